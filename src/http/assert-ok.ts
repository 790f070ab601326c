/** Turning a non-2xx {@link HttpResponse} into the catalogue error it means. */
import { classifyResponse } from "../errors/index.js";
import type { HttpResponse, ServiceKind } from "./types.js";

/**
 * Return `res` when its status is 2xx (or 3xx); otherwise throw the catalogue error
 * `classifyResponse` gives for it (e.g. `SAMKIT_THROTTLED` with `retryAfterSeconds` after the
 * seam's retries ran out, `SAMKIT_PC_MFA_REQUIRED`, `SAMKIT_GRAPH_APP_NOT_CONSENTED`).
 *
 * @param service which service answered (settles ambiguous bodies).
 * @throws SamkitError for any status ≥ 400.
 */
export function assertOk(res: HttpResponse, service?: ServiceKind): HttpResponse {
  if (res.status < 400) return res;
  throw classifyResponse({ status: res.status, headers: res.headers, text: res.text }, service ? { service } : {});
}
