import type { TextOut } from "./output.js";

/** Abort signals driven by Ctrl-C (SIGINT) and SIGTERM during a fan-out. */
export interface Interrupt {
  /** Fires on the first Ctrl-C / SIGTERM: stop scheduling tenants. */
  readonly stop: AbortSignal;
  /** Fires on the second: abort the tenants still running. */
  readonly abortInFlight: AbortSignal;
  /**
   * Aborted when stdout is closed (EPIPE: `samkit foreach … | head -1`): nothing more can be
   * printed, so the run stops scheduling and cancels the running tenants, quietly.
   */
  readonly outputClosed: AbortSignal;
  /** Remove the handlers (restores Node's default Ctrl-C behaviour). */
  dispose(): void;
}

/**
 * First Ctrl-C: stop starting tenants and let running ones finish; second: cancel those too.
 * Either way the run ends normally and prints what finished. With `stdout`, an EPIPE on it (the
 * reader went away) aborts all three signals.
 */
export function onInterrupt(
  stderr: TextOut,
  stdout?: { on(event: "error", l: (e: NodeJS.ErrnoException) => void): unknown; removeListener(event: "error", l: (e: NodeJS.ErrnoException) => void): unknown },
): Interrupt {
  const stop = new AbortController();
  const inFlight = new AbortController();
  const closed = new AbortController();
  // A closed stdout (EPIPE, then writes to the destroyed stream): stop everything without a word here.
  const onOutputError = (err: NodeJS.ErrnoException): void => {
    if (err.code !== "EPIPE" && err.code !== "ERR_STREAM_DESTROYED") throw err;
    if (closed.signal.aborted) return;
    closed.abort(new Error("stdout closed"));
    if (!stop.signal.aborted) stop.abort(new Error("stdout closed"));
    if (!inFlight.signal.aborted) inFlight.abort(new Error("stdout closed"));
  };
  stdout?.on("error", onOutputError);
  const handler = (): void => {
    if (!stop.signal.aborted) {
      stderr.write(
        "\nStopping: no new tenants will start; waiting for running ones (Ctrl-C again to cancel them).\n",
      );
      stop.abort(new Error("interrupted"));
    } else if (!inFlight.signal.aborted) {
      stderr.write("Cancelling the running tenants.\n");
      inFlight.abort(new Error("interrupted"));
    }
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    stop: stop.signal,
    abortInFlight: inFlight.signal,
    outputClosed: closed.signal,
    dispose() {
      stdout?.removeListener("error", onOutputError);
      process.removeListener("SIGINT", handler);
      process.removeListener("SIGTERM", handler);
    },
  };
}
