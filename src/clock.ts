/**
 * The one clock seam in samkit (CONTRACTS §6). Everything that compares times calls
 * {@link nowSeconds} / {@link nowMs}. `SAMKIT_TEST_NOW` (epoch **seconds**) pins the clock and
 * exists only so tests that move the emulator's clock can move samkit's too.
 */
export function nowMs(): number {
  const pinned = process.env["SAMKIT_TEST_NOW"];
  if (pinned !== undefined && pinned !== "") {
    const s = Number(pinned);
    if (Number.isFinite(s)) return s * 1000;
  }
  return Date.now();
}

/** Current time in epoch seconds (integer). See {@link nowMs}. */
export function nowSeconds(): number {
  return Math.floor(nowMs() / 1000);
}

/**
 * Wait `ms` milliseconds (a global `setTimeout`), or reject as soon as `signal` aborts: with its
 * reason when that is an Error, else an `AbortError` DOMException. Never leaves a listener behind.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const reason = (): Error => (signal?.reason instanceof Error ? signal.reason : new DOMException("aborted", "AbortError"));
    if (signal?.aborted) {
      reject(reason());
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(reason());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
