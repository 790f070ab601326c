/**
 * Partner Center error responses → catalogue errors through the foundation's classifier:
 * ApiFault `{code, description, data, source}` (`partnerCenterCode`), the 429 `{statusCode,
 * message}` body with `Retry-After` (`SAMKIT_THROTTLED`, retry-later), and the body-less 401
 * `WWW-Authenticate: Bearer error="invalid_token"` for a token without MFA
 * (`SAMKIT_PC_MFA_REQUIRED`: re-run consent with MFA, exit 4).
 * @see https://learn.microsoft.com/partner-center/developer/error-codes
 * @see https://learn.microsoft.com/partner-center/developer/api-throttling-guidance
 */
import { classifyResponse, type SamkitError } from "../errors/index.js";
import type { HttpResponse } from "../http/types.js";

/** The catalogue error for a non-2xx Partner Center response. */
export function partnerCenterErrorFromResponse(res: HttpResponse): SamkitError {
  return classifyResponse({ status: res.status, headers: res.headers, text: res.text }, { service: "partner-center" });
}
