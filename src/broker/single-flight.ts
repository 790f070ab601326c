/**
 * Single-flight: concurrent calls for one key share one in-flight promise, so 1,000 concurrent
 * `getToken` calls for one (tenant, scopes) make one token request. Callers may abort their own
 * wait without cancelling the shared work others still wait for.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  /** Number of keys with work in flight (for tests and diagnostics). */
  get size(): number {
    return this.inFlight.size;
  }

  /**
   * Run `work` for `key` unless a run for `key` is already in flight, in which case wait for that
   * one. The entry is removed when the work settles, so a later call starts fresh.
   */
  run(key: string, work: () => Promise<T>, abortSignal?: AbortSignal): Promise<T> {
    let p = this.inFlight.get(key);
    if (p === undefined) {
      p = (async () => {
        try {
          return await work();
        } finally {
          this.inFlight.delete(key);
        }
      })();
      this.inFlight.set(key, p);
    }
    return abortSignal === undefined ? p : raceAbort(p, abortSignal);
  }
}

/** Reject with the signal's reason when it aborts first; `p` itself keeps running. */
export function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  if (r instanceof Error) return r;
  const e = new Error("The operation was aborted.");
  e.name = "AbortError";
  return e;
}

/** A promise-chain mutex: one holder at a time within this process, in call order. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  /** Run `fn` once every earlier holder has finished. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const prev = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => (release = r));
    try {
      await prev;
      return await fn();
    } finally {
      release();
    }
  }
}
