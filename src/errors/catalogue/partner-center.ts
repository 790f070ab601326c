import type { CatalogueEntry } from "../types.js";

/**
 * Partner Center API errors (ApiFault `{code, description, data, source}`, the 401 MFA answer).
 * Facts: shared/facts/errors.md §3.
 *
 * @see https://learn.microsoft.com/partner-center/developer/error-codes
 * @see https://learn.microsoft.com/partner-center/security/partner-security-requirements-mandating-mfa
 */
export const partnerCenterErrors = {
  SAMKIT_PC_MFA_REQUIRED: {
    message: "Partner Center rejected the access token: the sign-in behind it has no MFA claim (HTTP 401 invalid_token).",
    nextStep: "Run `samkit consent` and complete multi-factor authentication; samkit stores the refresh token only after an MFA sign-in.",
    action: "reconsent",
  },
  SAMKIT_PC_NO_RELATIONSHIP: {
    message: "Partner Center: the partner has no reseller relationship with this customer (code 20002).",
    nextStep: "Nothing samkit can fix: the customer must accept a reseller relationship in Partner Center first.",
    action: "none",
  },
  SAMKIT_PC_RESOURCE_NOT_FOUND: {
    message: "Partner Center could not find the resource (HTTP {status}, code {pcCode}): {detail}",
    nextStep: "Check the customer or tenant ID (`samkit customers list`).",
    action: "none",
  },
  SAMKIT_PC_FORBIDDEN: {
    message: "Partner Center denied access (HTTP 403, code {pcCode}): {detail}",
    nextStep: "Check that the consenting user holds a Partner Center role (Admin Agent) and the partner relationship covers this customer.",
    action: "none",
  },
  SAMKIT_PC_ERROR: {
    message: "Partner Center answered HTTP {status} (code {pcCode}): {detail}",
    nextStep: "Read Partner Center's message above; re-run with SAMKIT_LOG_LEVEL=debug and quote MS-CorrelationId to Microsoft support.",
    action: "none",
  },
} as const satisfies Record<string, CatalogueEntry>;
