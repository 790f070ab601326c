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
   * Runs `fn` holding the mutex. `acquire` runs once the turn comes (the file store takes its
   * cross-process lock there) and returns the matching release; both are skipped on re-entry.
   * When `signal` fires while waiting, the wait ends with the signal's reason and `fn` never runs.
   */
  async run<T>(
    fn: () => Promise<T>,
    hooks?: {
      readonly signal?: AbortSignal | undefined;
      readonly acquire?: () => Promise<() => Promise<void>>;
    },
  ): Promise<T> {
    if (this.isHeld()) return fn();
    const previous = this.#tail;
    let done!: () => void;
    const mine = new Promise<void>((resolve) => {
      done = resolve;
    });
    // The next caller waits for the previous holder too, even if this caller gives up early.
    this.#tail = Promise.all([previous, mine]);
    try {
      await waitOrAbort(previous, hooks?.signal);
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

function waitOrAbort(p: Promise<unknown>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return p.then(() => undefined);
  signal.throwIfAborted();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
    );
  });
}
