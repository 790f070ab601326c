import { SamkitError } from "../errors/index.js";

/** Default per-call timeout of a store call, milliseconds (lock wait + I/O). */
export const DEFAULT_FILE_TIMEOUT_MS = 10_000;
/** Default per-call timeout of a Key Vault call, milliseconds (token + HTTP + SDK retries). */
export const DEFAULT_VAULT_TIMEOUT_MS = 30_000;

/** What a deadline-bound call is, for error messages. */
export interface DeadlineContext {
  /** e.g. `read`, `write RefreshToken`. */
  readonly operation: string;
  /** The store's description (`file:/…`, `keyvault:https://…`). */
  readonly store: string;
  readonly timeoutMs: number;
  readonly abortSignal?: AbortSignal | undefined;
}

/**
 * Runs `fn` with an AbortSignal that fires when the caller aborts or after `timeoutMs`, and
 * rejects with a catalogue error as soon as either happens (even if `fn` ignores the signal).
 * @throws SamkitError `SAMKIT_STORE_TIMEOUT`, `SAMKIT_STORE_ABORTED`, or whatever `fn` throws
 */
export async function withDeadline<T>(
  ctx: DeadlineContext,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (ctx.abortSignal?.aborted)
    throw new SamkitError("SAMKIT_STORE_ABORTED", { params: { operation: ctx.operation } });
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const err = new SamkitError("SAMKIT_STORE_TIMEOUT", {
        params: { store: ctx.store, timeoutMs: ctx.timeoutMs, operation: ctx.operation },
      });
      controller.abort(err);
      reject(err);
    }, ctx.timeoutMs);
    timer.unref?.();
    onAbort = () => {
      const err = new SamkitError("SAMKIT_STORE_ABORTED", { params: { operation: ctx.operation } });
      controller.abort(err);
      reject(err);
    };
    ctx.abortSignal?.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([fn(controller.signal), stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort) ctx.abortSignal?.removeEventListener("abort", onAbort);
  }
}
