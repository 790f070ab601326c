/**
 * Partner Center error responses → catalogue errors. Shapes: ApiFault
 * `{code, description, data, source}`, the throttling body `{statusCode, message}`, and the
 * body-less 401 `WWW-Authenticate: Bearer error="invalid_token"` for tokens without MFA
 * (shared/facts/errors.md §3).
 *
 * @see https://learn.microsoft.com/partner-center/developer/error-codes
 * @see https://learn.microsoft.com/partner-center/developer/api-throttling-guidance
 * @see https://learn.microsoft.com/partner-center/security/partner-security-requirements-mandating-mfa
 */
import { SamkitError } from "../samkit-error.js";
import { firstLine, isObject, normalize, retryAfterOf, str, waitText, type NormalizedResponse } from "./common.js";
import type { ClassifyOptions, ErrorResponse } from "./types.js";

/** ApiFault codes that mean "MFA required" (the .NET SDK's 10001; reported 900421, unverified). */
const MFA_CODES = new Set(["10001", "900421"]);

/** True when `body` is a Partner Center ApiFault. */
export function isApiFault(body: unknown): body is Record<string, unknown> {
  return isObject(body) && (typeof body["code"] === "string" || typeof body["code"] === "number") && ("description" in body || "source" in body || "data" in body);
}

/** True when `body` is Partner Center's throttling body `{statusCode, message}`. */
export function isPartnerCenterThrottleBody(body: unknown): boolean {
  return isObject(body) && typeof body["statusCode"] === "number" && typeof body["message"] === "string";
}

function secondsFromMessage(message: string | undefined): number | undefined {
  const m = message === undefined ? null : /try again in (\d+) seconds?/i.exec(message);
  return m?.[1] ? Number(m[1]) : undefined;
}

/** @internal */
export function classifyPartnerCenterNormalized(res: NormalizedResponse, options: ClassifyOptions): SamkitError {
  const body = res.body;
  const fault = isApiFault(body) ? body : undefined;
  const pcCode = fault ? String(fault["code"]) : undefined;
  const description = fault ? str(fault["description"]) : isObject(body) ? str(body["message"]) : typeof body === "string" ? body : undefined;
  const serviceMessage = firstLine(description);
  const status = res.status ?? (isObject(body) && typeof body["statusCode"] === "number" ? body["statusCode"] : undefined);
  const retryAfterSeconds = retryAfterOf(res, options) ?? (status === 429 ? secondsFromMessage(description) : undefined);
  const common = {
    ...(status !== undefined ? { status } : {}),
    ...(pcCode !== undefined ? { partnerCenterCode: pcCode } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(serviceMessage !== undefined ? { serviceMessage } : {}),
  };
  const params = { status: status ?? "?", pcCode: pcCode ?? "none", detail: serviceMessage ?? "(no message)" };
  const challenge = res.headers["www-authenticate"] ?? "";

  if (status === 429) {
    return new SamkitError("SAMKIT_THROTTLED", { ...common, params: { ...params, service: "Partner Center", wait: waitText(retryAfterSeconds) } });
  }
  if (
    (pcCode !== undefined && MFA_CODES.has(pcCode)) ||
    (status === 401 && (/invalid_token/i.test(challenge) || /\bMFA\b|multi-factor/i.test(description ?? "")))
  ) {
    return new SamkitError("SAMKIT_PC_MFA_REQUIRED", { ...common, params });
  }
  if (pcCode === "20002") return new SamkitError("SAMKIT_PC_NO_RELATIONSHIP", { ...common, params });
  if (status === 404 || pcCode === "60003" || pcCode === "1000") return new SamkitError("SAMKIT_PC_RESOURCE_NOT_FOUND", { ...common, params });
  if (status === 403) return new SamkitError("SAMKIT_PC_FORBIDDEN", { ...common, params });
  if (status === 502 || status === 503 || status === 504) {
    return new SamkitError("SAMKIT_SERVICE_UNAVAILABLE", { ...common, params: { ...params, service: "Partner Center" } });
  }
  return new SamkitError("SAMKIT_PC_ERROR", { ...common, params });
}

/**
 * Classify a Partner Center error response: 429 → `SAMKIT_THROTTLED` (retry-later, with
 * `retryAfterSeconds` from `Retry-After` or the "Try again in N seconds" text); 401 with
 * `invalid_token` (or an MFA code/text) → `SAMKIT_PC_MFA_REQUIRED` (reconsent); ApiFault 20002 →
 * `SAMKIT_PC_NO_RELATIONSHIP` (none); 404/60003 → `SAMKIT_PC_RESOURCE_NOT_FOUND`; 403 →
 * `SAMKIT_PC_FORBIDDEN`; 502/503/504 → `SAMKIT_SERVICE_UNAVAILABLE`; else `SAMKIT_PC_ERROR`.
 * `partnerCenterCode` is the ApiFault `code` as a string.
 */
export function classifyPartnerCenterError(res: ErrorResponse, options: ClassifyOptions = {}): SamkitError {
  return classifyPartnerCenterNormalized(normalize(res), options);
}
