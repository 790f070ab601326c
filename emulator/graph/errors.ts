/**
 * Microsoft Graph's error body: `{"error":{"code","message","innerError":{"date","request-id",
 * "client-request-id"}}}`, with `request-id` / `client-request-id` response headers.
 * @see https://learn.microsoft.com/graph/errors
 * @see shared/facts/errors.md §4
 */

/** Error codes the emulated Graph answers with. */
export type GraphErrorCode =
  | "InvalidAuthenticationToken"
  | "Authorization_IdentityNotFound"
  | "Authorization_RequestDenied"
  | "Request_ResourceNotFound"
  | "Request_BadRequest"
  | "Request_UnsupportedQuery"
  | "Request_MultipleObjectsWithSameKeyValue"
  | "BadRequest"
  | "TooManyRequests"
  | "UnknownError";

/** Per-request ids Graph reports in `innerError` and headers. */
export interface GraphRequestIds {
  requestId: string;
  clientRequestId: string;
  /** Epoch seconds (the emulator clock). */
  nowSeconds: number;
}

/** Graph's `innerError.date`: ISO 8601 without milliseconds or zone designator. */
export function graphDate(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19);
}

/** Builds a Graph error response. */
export function graphError(
  status: number,
  code: GraphErrorCode,
  message: string,
  ids: GraphRequestIds,
  headers: Record<string, string> = {},
): Response {
  const body = {
    error: {
      code,
      message,
      innerError: { date: graphDate(ids.nowSeconds), "request-id": ids.requestId, "client-request-id": ids.clientRequestId },
    },
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      "content-type": "application/json",
      "request-id": ids.requestId,
      "client-request-id": ids.clientRequestId,
      ...headers,
    },
  });
}
