import { AsyncLocalStorage } from "node:async_hooks";

/**
 * An in-process, re-entrant mutex: callers queue in order; a call made from inside the holder's
 * async call chain (AsyncLocalStorage) runs at once instead of dead-locking. The stores use it for
 * `withLock`, so `get`/`set` inside `withLock` work.
 */
export class LocalMutex {
  readonly #scope = new AsyncLocalStorage<LocalMutex>();
  #tail: Promise<unknown> = Promise.resolve();

  /** True when the current async call chain holds this mutex. */
  isHeld(): boolean {
    return this.#scope.getStore() === this;
  }

  /**
   * Runs `fn` holding the mutex. `acquire`/`release` wrap extra work done once the turn comes
   * (the file store takes its cross-process lock there); they are skipped on re-entry. When
   * `signal` has fired by the time the turn comes, `fn` is not run and the signal's reason is thrown.
   */
  async run<T>(
    fn: () => Promise<T>,
    hooks?: { readonly signal?: AbortSignal; readonly acquire?: () => Promise<() => Promise<void>> },
  ): Promise<T> {
    if (this.isHeld()) return fn();
    const previous = this.#tail;
    let done!: () => void;
    this.#tail = new Promise<void>((resolve) => {
      done = resolve;
    });
    try {
      await previous;
      hooks?.signal?.throwIfAborted();
      const release = hooks?.acquire ? await hooks.acquire() : undefined;
      try {
        return await this.#scope.run(this, fn);
      } finally {
        if (release) await release();
      }
    } finally {
      done();
    }
  }
}
