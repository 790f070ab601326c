/**
 * Identity-platform (Entra ID) error bodies → catalogue errors. Body shape and fields:
 * shared/facts/errors.md §1 (entra-docs reference-error-codes; msal-common
 * ServerAuthorizationTokenResponse / InteractionRequiredAuthError).
 *
 * @see https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
import { SamkitError } from "../samkit-error.js";
import type { IdentityErrorFields } from "../types.js";
import { aadstsOf, catalogueCodeForAadsts } from "./aadsts.js";
import { firstLine, isObject, normalize, retryAfterOf, str, waitText, type NormalizedResponse } from "./common.js";
import type { ClassifyOptions, ErrorResponse } from "./types.js";

/** `error` values MSAL treats as "interaction required" (InteractionRequiredAuthError). */
const INTERACTION_ERRORS = new Set(["interaction_required", "consent_required", "login_required", "bad_token"]);
/** `suberror` values MSAL treats as "interaction required". */
const INTERACTION_SUBERRORS = new Set(["basic_action", "additional_action", "message_only", "user_password_expired", "consent_required", "bad_token"]);

/** The raw identity fields of a body, strings and numbers only; nothing else is kept (no secrets). */
export function identityFieldsOf(body: unknown): IdentityErrorFields | undefined {
  if (!isObject(body)) return undefined;
  const codes = Array.isArray(body["error_codes"])
    ? (body["error_codes"] as unknown[]).map((c) => (typeof c === "string" ? Number(c) : c)).filter((c): c is number => typeof c === "number" && Number.isFinite(c))
    : undefined;
  const fields: IdentityErrorFields = {
    ...(str(body["error"]) !== undefined ? { error: str(body["error"]) } : {}),
    ...(str(body["error_description"]) !== undefined ? { error_description: str(body["error_description"]) } : {}),
    ...(codes !== undefined ? { error_codes: codes } : {}),
    ...(str(body["suberror"]) !== undefined ? { suberror: str(body["suberror"]) } : {}),
    ...(str(body["trace_id"]) !== undefined ? { trace_id: str(body["trace_id"]) } : {}),
    ...(str(body["correlation_id"]) !== undefined ? { correlation_id: str(body["correlation_id"]) } : {}),
    ...(str(body["claims"]) !== undefined ? { claims: str(body["claims"]) } : {}),
    ...(str(body["timestamp"]) !== undefined ? { timestamp: str(body["timestamp"]) } : {}),
  };
  return Object.keys(fields).length > 0 ? fields : undefined;
}

/** True when `body` looks like an identity-platform error (`error` string, `error_codes` or `error_description`). */
export function isIdentityErrorBody(body: unknown): boolean {
  return isObject(body) && (typeof body["error"] === "string" || Array.isArray(body["error_codes"]) || typeof body["error_description"] === "string");
}

/** @internal Classify an already-normalised response. */
export function classifyIdentityNormalized(res: NormalizedResponse, options: ClassifyOptions): SamkitError {
  const identity = identityFieldsOf(res.body);
  const textForCode = typeof res.body === "string" ? res.body : undefined;
  const aadsts = aadstsOf(res.body, textForCode);
  const retryAfterSeconds = retryAfterOf(res, options);
  const description = identity?.error_description ?? (typeof res.body === "string" ? res.body : undefined);
  const serviceMessage = firstLine(description);
  const error = identity?.error ?? "";
  const common = {
    ...(identity ? { identity } : {}),
    ...(aadsts !== undefined ? { aadsts } : {}),
    ...(res.status !== undefined ? { status: res.status } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    ...(serviceMessage !== undefined ? { serviceMessage } : {}),
  };
  const params = { aadsts: aadsts ?? "", error: error || "no error code", detail: serviceMessage ?? (error || `HTTP ${res.status ?? "error"}`) };

  const mapped = aadsts === undefined ? undefined : catalogueCodeForAadsts(aadsts);
  if (mapped) return new SamkitError(mapped, { ...common, params });

  if (res.status === 429) {
    return new SamkitError("SAMKIT_THROTTLED", { ...common, params: { ...params, service: "The identity platform", wait: waitText(retryAfterSeconds) } });
  }
  if (error === "invalid_client" || error === "unauthorized_client") return new SamkitError("SAMKIT_CLIENT_AUTH_FAILED", { ...common, params });
  if (error === "invalid_scope") return new SamkitError("SAMKIT_INVALID_SCOPE", { ...common, params });
  if (identity?.suberror === "bad_token") return new SamkitError("SAMKIT_REFRESH_TOKEN_REVOKED", { ...common, params });
  if (INTERACTION_ERRORS.has(error) || (identity?.suberror !== undefined && INTERACTION_SUBERRORS.has(identity.suberror))) {
    return new SamkitError("SAMKIT_INTERACTION_REQUIRED", { ...common, params });
  }
  if (error === "temporarily_unavailable" || error === "server_error" || (res.status !== undefined && res.status >= 500)) {
    return new SamkitError("SAMKIT_IDENTITY_UNAVAILABLE", { ...common, params: { ...params, error: error || `HTTP ${res.status ?? ""}` } });
  }
  return new SamkitError("SAMKIT_IDENTITY_ERROR", { ...common, params });
}

/**
 * Classify an identity-platform error response (token, device code, discovery endpoints).
 * The AADSTS code comes from `error_codes`, else the `AADSTSnnnn:` prefix of
 * `error_description`; every code of shared/facts/errors.md maps to its own catalogue entry
 * (e.g. 700082 → `SAMKIT_REFRESH_TOKEN_INACTIVE`, action `reconsent`; 90038/900382 →
 * `SAMKIT_WRONG_CLOUD`, action `check-cloud`). Unknown codes fall back on `error`
 * (`invalid_client` → fix-app-credentials, `interaction_required` family → reconsent,
 * `temporarily_unavailable` → retry-later) and finally `SAMKIT_IDENTITY_ERROR` (action `none`,
 * the service's text kept in `serviceMessage`).
 *
 * The returned error keeps `error`, `error_codes`, `suberror`, `trace_id`, `correlation_id`,
 * `claims`, `timestamp` in `identity`; it never copies other body fields.
 */
export function classifyIdentityError(res: ErrorResponse, options: ClassifyOptions = {}): SamkitError {
  return classifyIdentityNormalized(normalize(res), options);
}
