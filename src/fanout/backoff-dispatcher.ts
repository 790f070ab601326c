import type { Dispatcher } from "undici";
import { hostOf, type HostBackoff } from "./host-backoff.js";

type Headers = Record<string, string | string[] | undefined>;

function flatten(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  return out;
}

/** Forwards every callback to `handler` (new undici handler API), observing the response status. */
function observing(
  handler: Dispatcher.DispatchHandler,
  origin: string,
  backoff: HostBackoff,
): Dispatcher.DispatchHandler {
  return {
    onRequestStart: (c, ctx) => handler.onRequestStart?.(c, ctx),
    onRequestUpgrade: (c, status, headers, socket) => handler.onRequestUpgrade?.(c, status, headers, socket),
    onResponseStart: (c, status, headers, message) => {
      backoff.observe(origin, status, flatten(headers));
      handler.onResponseStart?.(c, status, headers, message);
    },
    onResponseData: (c, chunk) => handler.onResponseData?.(c, chunk),
    onResponseEnd: (c, trailers) => handler.onResponseEnd?.(c, trailers),
    onResponseError: (c, error) => handler.onResponseError?.(c, error),
  };
}

/**
 * An undici interceptor that makes **every attempt** — including the HTTP seam's own retries —
 * share one {@link HostBackoff}: a 429/503 with `Retry-After` pauses that host, and any request
 * to a paused host is dispatched only when the pause ends. Compose it onto the dispatcher given
 * to `createHttpClient({ dispatcher })`:
 *
 * ```ts
 * const http = createHttpClient({ dispatcher: createDispatcher(ca).compose(backoffInterceptor(backoff)) });
 * ```
 * @see https://learn.microsoft.com/partner-center/developer/api-throttling-guidance
 */
export function backoffInterceptor(backoff: HostBackoff): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    const origin = String(opts.origin ?? "");
    const wrapped = observing(handler, origin, backoff);
    const wait = backoff.remainingMs(hostOf(origin));
    if (wait <= 0) return dispatch(opts, wrapped);
    setTimeout(() => {
      try {
        dispatch(opts, wrapped);
      } catch (error) {
        handler.onResponseError?.(
          {
            abort() {},
            pause() {},
            resume() {},
            paused: false,
            aborted: true,
            reason: error,
          } as unknown as Dispatcher.DispatchController,
          error instanceof Error ? error : new Error(String(error)),
        );
      }
    }, wait);
    return true;
  };
}
