import type { TextOut } from "./output.js";

/** Abort signals driven by Ctrl-C (SIGINT) and SIGTERM during a fan-out. */
export interface Interrupt {
  /** Fires on the first Ctrl-C / SIGTERM: stop scheduling tenants. */
  readonly stop: AbortSignal;
  /** Fires on the second: abort the tenants still running. */
  readonly abortInFlight: AbortSignal;
  /** Remove the handlers (restores Node's default Ctrl-C behaviour). */
  dispose(): void;
}

/**
 * First Ctrl-C: stop starting tenants and let running ones finish; second: cancel those too.
 * Either way the run ends normally and prints what finished.
 */
export function onInterrupt(stderr: TextOut): Interrupt {
  const stop = new AbortController();
  const inFlight = new AbortController();
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
    dispose() {
      process.removeListener("SIGINT", handler);
      process.removeListener("SIGTERM", handler);
    },
  };
}
