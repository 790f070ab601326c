/**
 * Partner Center's error shapes: the `ApiFault` body on 4xx/5xx, the different throttling body on
 * 429, and the body-less MFA-required 401.
 * @see https://learn.microsoft.com/partner-center/developer/error-codes (ApiFault)
 * @see https://learn.microsoft.com/partner-center/developer/api-throttling-guidance (429 body)
 * @see https://learn.microsoft.com/partner-center/security/partner-security-requirements-mandating-mfa
 */

/** `ApiFault`: `code` (number as Partner Center sends it), `description`, `data`, `source`. */
export interface ApiFault {
  code: number;
  description: string;
  data: string[];
  source: string;
}

/** Documented codes the emulator answers with. */
export const PC_CODES = {
  /** HTTP 401: access denied (token invalid, wrong tenant, wrong audience). */
  accessDenied: 400,
  /** HTTP 404: resource not found. */
  notFound: 1000,
  /** HTTP 403: access denied (caller lacks the right). */
  forbidden: 2032,
  /** HTTP 400: invalid property / bad input. */
  invalidInput: 3000,
  /** HTTP 403: the partner has no reseller relationship with the customer. */
  noRelationship: 20002,
  /** HTTP 404: tenant not found. */
  tenantNotFound: 60003,
  /** HTTP 409: the consent already exists (text CIPP treats as success). */
  alreadyExists: 600041,
} as const;

/** Builds an `ApiFault` response. */
export function apiFault(status: number, code: number, description: string, data: string[] = []): Response {
  const body: ApiFault = { code, description, data, source: "PartnerFD" };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
  });
}

/** 429 with `Retry-After` (seconds) and `{statusCode, message}`. */
export function throttled(retryAfterSeconds: number): Response {
  return new Response(
    JSON.stringify({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.` }),
    { status: 429, headers: { "content-type": "application/json", "retry-after": String(retryAfterSeconds) } },
  );
}

/** App+User token without `amr` ∋ `mfa`: 401, `WWW-Authenticate: Bearer error="invalid_token"`, no body. */
export function mfaRequired(): Response {
  return new Response(null, {
    status: 401,
    statusText: "Unauthorized - MFA required",
    headers: { "www-authenticate": 'Bearer error="invalid_token"' },
  });
}
