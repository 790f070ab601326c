/**
 * One entry point for any Microsoft error response: detects the body shape (identity platform,
 * Partner Center ApiFault / throttle body, Graph-style `{"error":{"code"}}`) and hands it to the
 * matching classifier; the `service` hint settles ambiguous cases.
 */
import { SamkitError } from "../samkit-error.js";
import { aadstsOf } from "./aadsts.js";
import { firstLine, normalize, retryAfterOf, serviceName, waitText } from "./common.js";
import { classifyAzureNormalized, isAzureErrorBody } from "./graph.js";
import { classifyIdentityNormalized, isIdentityErrorBody } from "./identity.js";
import { classifyPartnerCenterNormalized, isApiFault, isPartnerCenterThrottleBody } from "./partner-center.js";
import type { ClassifyOptions, ErrorResponse } from "./types.js";

/**
 * Classify an HTTP error response from any service samkit talks to. Detection order:
 * 1. identity body (`error` string / `error_codes` / `error_description`) or `AADSTSnnnn` in text →
 *    {@link classifyIdentityError};
 * 2. `{"error":{"code"}}` → Graph (or ARM / Key Vault with that `service` hint);
 * 3. ApiFault or `{statusCode, message}` → {@link classifyPartnerCenterError};
 * 4. by `service` hint; a body-less 401 with `Bearer error="invalid_token"` and no hint is
 *    Partner Center's MFA answer;
 * 5. by status: 429 → `SAMKIT_THROTTLED`, 502–504 → `SAMKIT_SERVICE_UNAVAILABLE`, else
 *    `SAMKIT_HTTP_STATUS` (action `none`, the service's text kept).
 *
 * Never throws; always returns a {@link SamkitError} for the caller to throw or report.
 */
export function classifyResponse(res: ErrorResponse, options: ClassifyOptions = {}): SamkitError {
  const n = normalize(res);
  const service = options.service;
  if (isIdentityErrorBody(n.body)) return classifyIdentityNormalized(n, options);
  if (isAzureErrorBody(n.body)) {
    return classifyAzureNormalized(n, service === "arm" || service === "keyvault" ? service : "graph", options);
  }
  if (isApiFault(n.body) || isPartnerCenterThrottleBody(n.body)) return classifyPartnerCenterNormalized(n, options);
  if (typeof n.body === "string" && aadstsOf(undefined, n.body) !== undefined) return classifyIdentityNormalized(n, options);
  switch (service) {
    case "identity":
      return classifyIdentityNormalized(n, options);
    case "partner-center":
      return classifyPartnerCenterNormalized(n, options);
    case "graph":
    case "arm":
    case "keyvault":
      return classifyAzureNormalized(n, service, options);
    default:
      break;
  }
  if (n.status === 401 && /invalid_token/i.test(n.headers["www-authenticate"] ?? "") && n.body === undefined) {
    return classifyPartnerCenterNormalized(n, options);
  }
  const retryAfterSeconds = retryAfterOf(n, options);
  const serviceMessage = firstLine(typeof n.body === "string" ? n.body : n.text || undefined);
  const common = {
    ...(n.status !== undefined ? { status: n.status } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(serviceMessage !== undefined ? { serviceMessage } : {}),
  };
  const params = { service: serviceName(service), status: n.status ?? "?", detail: serviceMessage ?? "(no message)", wait: waitText(retryAfterSeconds) };
  if (n.status === 429) return new SamkitError("SAMKIT_THROTTLED", { ...common, params });
  if (n.status === 502 || n.status === 503 || n.status === 504) return new SamkitError("SAMKIT_SERVICE_UNAVAILABLE", { ...common, params });
  return new SamkitError("SAMKIT_HTTP_STATUS", { ...common, params });
}
