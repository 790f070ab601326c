/**
 * Microsoft Graph, Azure Resource Manager and Key Vault error responses (the shared
 * `{"error":{"code","message","innerError"}}` shape) → catalogue errors
 * (shared/facts/errors.md §4).
 *
 * @see https://learn.microsoft.com/graph/errors
 * @see https://learn.microsoft.com/entra/identity-platform/claims-challenge (CAE `insufficient_claims`)
 */
import { SamkitError } from "../samkit-error.js";
import { firstLine, isObject, normalize, retryAfterOf, serviceName, str, waitText, type NormalizedResponse } from "./common.js";
import type { ClassifyOptions, ErrorResponse } from "./types.js";

/** True when `body` has the `{"error":{"code", …}}` shape of Graph/ARM/Key Vault. */
export function isAzureErrorBody(body: unknown): body is { error: Record<string, unknown> } {
  return isObject(body) && isObject(body["error"]) && typeof body["error"]["code"] === "string";
}

/** @internal */
export function classifyAzureNormalized(res: NormalizedResponse, service: "graph" | "arm" | "keyvault", options: ClassifyOptions): SamkitError {
  const err = isAzureErrorBody(res.body) ? res.body.error : undefined;
  const graphCode = err ? str(err["code"]) : undefined;
  const serviceMessage = firstLine(err ? str(err["message"]) : typeof res.body === "string" ? res.body : undefined);
  const retryAfterSeconds = retryAfterOf(res, options);
  const status = res.status;
  const common = {
    ...(status !== undefined ? { status } : {}),
    ...(graphCode !== undefined ? { graphCode } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(serviceMessage !== undefined ? { serviceMessage } : {}),
  };
  const name = serviceName(service);
  const params = { status: status ?? "?", graphCode: graphCode ?? "no code", detail: serviceMessage ?? "(no message)", service: name };
  const challenge = res.headers["www-authenticate"] ?? "";

  if (status === 429 || graphCode === "TooManyRequests" || graphCode === "activityLimitReached") {
    return new SamkitError("SAMKIT_THROTTLED", { ...common, params: { ...params, wait: waitText(retryAfterSeconds) } });
  }
  if (status === 502 || status === 503 || status === 504 || graphCode === "serviceNotAvailable") {
    return new SamkitError("SAMKIT_SERVICE_UNAVAILABLE", { ...common, params });
  }
  if (service === "graph") {
    if (graphCode === "Authorization_IdentityNotFound") return new SamkitError("SAMKIT_GRAPH_APP_NOT_CONSENTED", { ...common, params });
    if (/insufficient_claims/i.test(challenge)) return new SamkitError("SAMKIT_GRAPH_CLAIMS_CHALLENGE", { ...common, params });
    if (status === 401 || graphCode === "InvalidAuthenticationToken") return new SamkitError("SAMKIT_GRAPH_TOKEN_REJECTED", { ...common, params });
    if (status === 403 || graphCode === "Authorization_RequestDenied" || graphCode === "Forbidden") {
      return new SamkitError("SAMKIT_GRAPH_FORBIDDEN", { ...common, params });
    }
    if (status === 404 || graphCode === "Request_ResourceNotFound" || graphCode === "ResourceNotFound") {
      return new SamkitError("SAMKIT_GRAPH_NOT_FOUND", { ...common, params });
    }
    return new SamkitError("SAMKIT_GRAPH_ERROR", { ...common, params });
  }
  if (status === 403 || graphCode === "AuthorizationFailed" || graphCode === "Forbidden") {
    return new SamkitError("SAMKIT_AZURE_FORBIDDEN", { ...common, params });
  }
  return new SamkitError("SAMKIT_AZURE_ERROR", { ...common, params });
}

/**
 * Classify a Microsoft Graph error: `Authorization_IdentityNotFound` → `SAMKIT_GRAPH_APP_NOT_CONSENTED`
 * (grant-customer-consent); a CAE `insufficient_claims` challenge → `SAMKIT_GRAPH_CLAIMS_CHALLENGE`;
 * 401 → `SAMKIT_GRAPH_TOKEN_REJECTED`; 403 → `SAMKIT_GRAPH_FORBIDDEN` (GDAP roles / permissions);
 * 404 → `SAMKIT_GRAPH_NOT_FOUND`; 429 → `SAMKIT_THROTTLED`; 502–504 → `SAMKIT_SERVICE_UNAVAILABLE`;
 * else `SAMKIT_GRAPH_ERROR`. `graphCode` is `error.code`.
 */
export function classifyGraphError(res: ErrorResponse, options: ClassifyOptions = {}): SamkitError {
  return classifyAzureNormalized(normalize(res), "graph", options);
}

/** Classify an Azure Resource Manager error (403 → `SAMKIT_AZURE_FORBIDDEN`, 429, 5xx, else `SAMKIT_AZURE_ERROR`). */
export function classifyArmError(res: ErrorResponse, options: ClassifyOptions = {}): SamkitError {
  return classifyAzureNormalized(normalize(res), "arm", options);
}

/** Classify a Key Vault error (same shape and mapping as {@link classifyArmError}). */
export function classifyKeyVaultError(res: ErrorResponse, options: ClassifyOptions = {}): SamkitError {
  return classifyAzureNormalized(normalize(res), "keyvault", options);
}
