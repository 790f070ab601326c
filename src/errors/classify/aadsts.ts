/**
 * AADSTS code → samkit catalogue code. Every code in shared/facts/errors.md §2 (table and
 * "related codes") is listed; anything else falls back on the OAuth `error` value.
 *
 * @see https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
import type { SamkitErrorCode } from "../catalogue/index.js";

/** The AADSTS mapping. Keys are the numeric codes. */
export const AADSTS_CODES: Readonly<Record<number, SamkitErrorCode>> = {
  50011: "SAMKIT_REDIRECT_URI_NOT_REGISTERED",
  50020: "SAMKIT_USER_NOT_IN_CUSTOMER_TENANT",
  50034: "SAMKIT_ACCOUNT_NOT_FOUND",
  50049: "SAMKIT_UNKNOWN_INSTANCE",
  50058: "SAMKIT_SIGN_IN_REQUIRED",
  50076: "SAMKIT_MFA_REQUIRED",
  50079: "SAMKIT_MFA_ENROLLMENT_REQUIRED",
  50126: "SAMKIT_INVALID_USER_CREDENTIALS",
  50173: "SAMKIT_REFRESH_TOKEN_REVOKED",
  53003: "SAMKIT_CONDITIONAL_ACCESS_BLOCKED",
  54005: "SAMKIT_AUTH_CODE_REUSED",
  65001: "SAMKIT_CONSENT_MISSING",
  65004: "SAMKIT_CONSENT_DECLINED",
  70000: "SAMKIT_REFRESH_TOKEN_INVALID",
  70008: "SAMKIT_REFRESH_TOKEN_EXPIRED",
  70011: "SAMKIT_INVALID_SCOPE",
  70016: "SAMKIT_DEVICE_CODE_PENDING",
  70018: "SAMKIT_DEVICE_CODE_INVALID",
  70019: "SAMKIT_DEVICE_CODE_EXPIRED",
  70043: "SAMKIT_SIGN_IN_FREQUENCY_EXPIRED",
  700007: "SAMKIT_REFRESH_TOKEN_WRONG_CLIENT",
  700016: "SAMKIT_APP_NOT_IN_TENANT",
  700025: "SAMKIT_PUBLIC_CLIENT_SENT_SECRET",
  700027: "SAMKIT_CLIENT_ASSERTION_INVALID",
  700054: "SAMKIT_RESPONSE_TYPE_NOT_ENABLED",
  700082: "SAMKIT_REFRESH_TOKEN_INACTIVE",
  700084: "SAMKIT_REFRESH_TOKEN_SPA_EXPIRED",
  7000215: "SAMKIT_CLIENT_SECRET_INVALID",
  7000218: "SAMKIT_CLIENT_AUTH_MISSING",
  7000222: "SAMKIT_CLIENT_SECRET_EXPIRED",
  90002: "SAMKIT_TENANT_NOT_FOUND",
  90013: "SAMKIT_REQUEST_REJECTED",
  90014: "SAMKIT_REQUEST_PARAMETER_MISSING",
  90038: "SAMKIT_WRONG_CLOUD",
  90099: "SAMKIT_APP_NOT_AUTHORIZED_FOR_CUSTOMER",
  9002313: "SAMKIT_REFRESH_TOKEN_MALFORMED",
  500011: "SAMKIT_RESOURCE_PRINCIPAL_MISSING",
  501481: "SAMKIT_PKCE_MISMATCH",
  650051: "SAMKIT_SERVICE_PRINCIPAL_PROPAGATING",
  900144: "SAMKIT_REQUEST_PARAMETER_MISSING",
  900382: "SAMKIT_WRONG_CLOUD",
  900432: "SAMKIT_WRONG_CLOUD",
  901002: "SAMKIT_RESOURCE_PARAM_ON_V2",
  1000104: "SAMKIT_WRONG_CLOUD",
};

/** The catalogue code for an AADSTS number, or `undefined` when samkit does not know it. */
export function catalogueCodeForAadsts(aadsts: number): SamkitErrorCode | undefined {
  return AADSTS_CODES[aadsts];
}

const PREFIX = /AADSTS(\d{4,8})\b/;

/**
 * The AADSTS number of an identity error body: `error_codes[0]` (numbers; numeric strings
 * tolerated), else the `AADSTSnnnn:` prefix of `error_description`, else the first `AADSTSnnnn`
 * anywhere in `text` (a pasted log line).
 */
export function aadstsOf(body: unknown, text?: string): number | undefined {
  if (typeof body === "object" && body !== null && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    const codes = b["error_codes"];
    if (Array.isArray(codes) && codes.length > 0) {
      const first: unknown = codes[0];
      const n = typeof first === "number" ? first : typeof first === "string" && /^\d+$/.test(first) ? Number(first) : undefined;
      if (n !== undefined && Number.isInteger(n) && n > 0) return n;
    }
    const desc = b["error_description"];
    if (typeof desc === "string") {
      const m = PREFIX.exec(desc);
      if (m?.[1]) return Number(m[1]);
    }
  }
  const m = text === undefined ? null : PREFIX.exec(text);
  return m?.[1] ? Number(m[1]) : undefined;
}
