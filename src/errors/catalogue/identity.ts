import type { CatalogueEntry } from "../types.js";

/**
 * Identity-platform (Entra ID) errors. Each known AADSTS code maps to one entry through
 * `AADSTS_CODES` (`src/errors/classify/aadsts.ts`). Meanings and fixes: shared/facts/errors.md §2.
 *
 * @see https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
export const identityErrors = {
  SAMKIT_REDIRECT_URI_NOT_REGISTERED: {
    message: "The app registration does not list the redirect URI samkit used (AADSTS50011).",
    nextStep: "Add the Web redirect URI http://localhost to the app (Entra admin center → App registrations → Authentication), or run `samkit app create` to repair it, then run `samkit consent` again.",
    action: "register-redirect",
  },
  SAMKIT_USER_NOT_IN_CUSTOMER_TENANT: {
    message: "The signed-in partner user has no access in this customer tenant (AADSTS50020): the GDAP relationship is missing or expired, or the user is not in its security groups.",
    nextStep: "In Partner Center, check that the customer still has a reseller relationship with you (without one, request it first: consent cannot be granted) and a GDAP relationship whose security groups include the samkit user; then run `samkit customers consent <tenant>`.",
    action: "grant-customer-consent",
  },
  SAMKIT_ACCOUNT_NOT_FOUND: {
    message: "The account does not exist in this directory (AADSTS50034).",
    nextStep: "Check the user name and that you sign in to the partner tenant (--tenant).",
    action: "fix-input",
  },
  SAMKIT_SIGN_IN_REQUIRED: {
    message: "An interactive sign-in is required (AADSTS{aadsts}).",
    nextStep: "Run `samkit consent` to sign in again with MFA.",
    action: "reconsent",
  },
  SAMKIT_MFA_REQUIRED: {
    message: "Multi-factor authentication is now required and the stored refresh token has no MFA claim (AADSTS50076).",
    nextStep: "Run `samkit consent` and complete MFA; if it recurs for one customer, check that customer's Conditional Access and that the app's enterprise application is enabled.",
    action: "reconsent",
  },
  SAMKIT_MFA_ENROLLMENT_REQUIRED: {
    message: "The user must register for multi-factor authentication (AADSTS50079).",
    nextStep: "Register MFA for the account (https://aka.ms/mfasetup), then run `samkit consent`.",
    action: "reconsent",
  },
  SAMKIT_INVALID_USER_CREDENTIALS: {
    message: "The user name or password is wrong (AADSTS50126).",
    nextStep: "Fix the credentials; samkit signs in interactively with `samkit consent`, which is preferred over passwords.",
    action: "fix-input",
  },
  SAMKIT_REFRESH_TOKEN_REVOKED: {
    message: "The refresh token was revoked (AADSTS{aadsts}): the user's password was reset or their sessions were revoked.",
    nextStep: "Run `samkit consent` to sign in again and store a new refresh token.",
    action: "reconsent",
  },
  SAMKIT_CONDITIONAL_ACCESS_BLOCKED: {
    message: "A Conditional Access policy blocked the sign-in (AADSTS53003).",
    nextStep: "Ask the tenant's admin to exclude the samkit service account (or service-provider users) from the blocking policy, then try again.",
    action: "check-conditional-access",
  },
  SAMKIT_AUTH_CODE_REUSED: {
    message: "The authorization code was already redeemed (AADSTS54005).",
    nextStep: "Run `samkit consent` again; codes are single-use.",
    action: "reconsent",
  },
  SAMKIT_CONSENT_MISSING: {
    message: "The app has not been consented for this user or tenant (AADSTS65001).",
    nextStep: "For a customer tenant: run `samkit customers consent <tenant>` (Partner Center application consent). For the partner tenant: grant admin consent by running `samkit app create` again (it grants it), or ask a Global Administrator to grant it in the Entra admin center.",
    action: "grant-customer-consent",
  },
  SAMKIT_CONSENT_DECLINED: {
    message: "The consent prompt was declined (AADSTS65004).",
    nextStep: "Run `samkit consent` again and accept the permissions.",
    action: "reconsent",
  },
  SAMKIT_REFRESH_TOKEN_INVALID: {
    message: "The stored refresh token is malformed or not valid for the requested scopes (AADSTS70000).",
    nextStep: "Check the stored value was not truncated or given extra characters (line breaks, quotes); run `samkit consent` to store a fresh one.",
    action: "reconsent",
  },
  SAMKIT_REFRESH_TOKEN_EXPIRED: {
    message: "The refresh token has expired or was revoked (AADSTS{aadsts}).",
    nextStep: "Run `samkit consent` to store a new refresh token; `samkit status --renew` keeps it alive.",
    action: "reconsent",
  },
  SAMKIT_REFRESH_TOKEN_INACTIVE: {
    message: "The refresh token expired because it was not used for 90 days (AADSTS700082).",
    nextStep: "Run `samkit consent`; then schedule `samkit status --renew` at least weekly so the token stays active.",
    action: "reconsent",
  },
  SAMKIT_REFRESH_TOKEN_MALFORMED: {
    message: "The identity platform rejected the request as malformed (AADSTS{aadsts}); the stored refresh token is probably empty or a placeholder.",
    nextStep: "Run `samkit status` to check a refresh token is stored, then `samkit consent` to store a real one.",
    action: "reconsent",
  },
  SAMKIT_INVALID_SCOPE: {
    message: "The requested scope is not valid (AADSTS70011).",
    nextStep: "Use a resource alias (--resource graph) or a scope of the form <resource>/.default or <resource>/<permission>.",
    action: "fix-input",
  },
  SAMKIT_REFRESH_TOKEN_WRONG_CLIENT: {
    message: "The refresh token was issued to a different application (client ID) than the one redeeming it (AADSTS700007).",
    nextStep: "Redeem with the client ID that ran consent: check the profile's application ID (`samkit status`), or run `samkit consent` with the current app.",
    action: "fix-app-credentials",
  },
  SAMKIT_APP_NOT_IN_TENANT: {
    message: "The application is not known in the target tenant (AADSTS700016): it has no service principal there.",
    nextStep: "Check the client ID and tenant; for a customer, run `samkit customers consent <tenant>` (Partner Center application consent).",
    action: "grant-customer-consent",
  },
  SAMKIT_PUBLIC_CLIENT_SENT_SECRET: {
    message: "The app is registered as a public client but samkit sent a client secret or assertion (AADSTS700025).",
    nextStep: "Register the app as a Web (confidential) app: remove Mobile-and-desktop redirect URIs, or run `samkit app create` to repair it.",
    action: "fix-app-credentials",
  },
  SAMKIT_RESPONSE_TYPE_NOT_ENABLED: {
    message: "The app does not allow the requested response type (AADSTS700054).",
    nextStep: "samkit requests `code` only; check that the request did not come from another tool, or enable ID tokens on the app.",
    action: "fix-input",
  },
  SAMKIT_REFRESH_TOKEN_SPA_EXPIRED: {
    message: "The refresh token was issued to a single-page app and is past its fixed 24-hour lifetime (AADSTS700084).",
    nextStep: "Use a Web (confidential) app registration and run `samkit consent`.",
    action: "reconsent",
  },
  SAMKIT_CLIENT_SECRET_INVALID: {
    message: "The client secret was rejected (AADSTS7000215); often the secret's ID was stored instead of its value, or a new secret has not replicated yet.",
    nextStep: "Store the secret's value (not its ID) with `samkit app use` (or `samkit app rotate-secret` for a new one), or wait a few minutes after creating a secret and retry.",
    action: "fix-app-credentials",
  },
  SAMKIT_CLIENT_AUTH_MISSING: {
    message: "The confidential app sent neither a client secret nor a certificate assertion (AADSTS7000218).",
    nextStep: "Store a client secret or certificate for the profile (`samkit app create`, `samkit app use` or `samkit app rotate-secret`).",
    action: "fix-app-credentials",
  },
  SAMKIT_CLIENT_SECRET_EXPIRED: {
    message: "The app's client secret has expired (AADSTS7000222).",
    nextStep: "Add a new secret and store it (`samkit app rotate-secret`), then retry.",
    action: "fix-app-credentials",
  },
  SAMKIT_CLIENT_ASSERTION_INVALID: {
    message: "The certificate client assertion was rejected (AADSTS700027).",
    nextStep: "Check the certificate registered on the app matches the stored one; after a rotation wait a minute and retry.",
    action: "fix-app-credentials",
  },
  SAMKIT_CLIENT_AUTH_FAILED: {
    message: "The application's credentials were rejected ({error}).",
    nextStep: "Check the client ID, secret or certificate stored for the profile (`samkit status`).",
    action: "fix-app-credentials",
  },
  SAMKIT_TENANT_NOT_FOUND: {
    message: "The tenant was not found in this cloud (AADSTS{aadsts}).",
    nextStep: "Check the tenant ID or domain; if the tenant lives in a national cloud, pass --cloud usgov or --cloud china.",
    action: "fix-input",
  },
  SAMKIT_REQUEST_REJECTED: {
    message: "The identity platform rejected a value in the request (AADSTS{aadsts}).",
    nextStep: "Check that a real refresh token is stored (`samkit status`), then run `samkit consent` to store a new one.",
    action: "reconsent",
  },
  SAMKIT_REQUEST_PARAMETER_MISSING: {
    message: "The token request is missing a required field (AADSTS{aadsts}).",
    nextStep: "Check the command's flags (e.g. --resource or --scope) and try again.",
    action: "fix-input",
  },
  SAMKIT_WRONG_CLOUD: {
    message: "The tenant is homed in a different national cloud than the one samkit used (AADSTS{aadsts}).",
    nextStep: "Pass --cloud usgov (US Government) or --cloud china (21Vianet), or set SAMKIT_CLOUD, so samkit uses that cloud's authority; see docs/clouds.md.",
    action: "check-cloud",
  },
  SAMKIT_UNKNOWN_INSTANCE: {
    message: "The identity platform does not know the authority host samkit used (AADSTS50049).",
    nextStep: "Pass --cloud global, usgov or china; for the emulator set SAMKIT_EMULATOR_URL.",
    action: "check-cloud",
  },
  SAMKIT_APP_NOT_AUTHORIZED_FOR_CUSTOMER: {
    message: "The partner's app is not authorised in the customer tenant, so delegated admins cannot use it (AADSTS90099).",
    nextStep: "Run `samkit customers consent <tenant>` (Partner Center application consent).",
    action: "grant-customer-consent",
  },
  SAMKIT_RESOURCE_PRINCIPAL_MISSING: {
    message: "The resource's service principal does not exist in the tenant (AADSTS500011).",
    nextStep: "Consent the app in that tenant (`samkit customers consent <tenant>`) so the resource's service principal is created.",
    action: "grant-customer-consent",
  },
  SAMKIT_RESOURCE_PARAM_ON_V2: {
    message: "A v1 `resource` parameter was sent to the v2 endpoint (AADSTS901002).",
    nextStep: "Use scopes (<resource>/.default) with the v2 endpoint.",
    action: "fix-input",
  },
  SAMKIT_DEVICE_CODE_PENDING: {
    message: "The device-code sign-in has not finished yet (AADSTS70016).",
    nextStep: "Finish the sign-in in the browser; samkit keeps polling.",
    action: "retry-later",
  },
  SAMKIT_DEVICE_CODE_INVALID: {
    message: "The device code is not valid (AADSTS70018).",
    nextStep: "Run `samkit consent --device-code` again and enter the new code.",
    action: "reconsent",
  },
  SAMKIT_DEVICE_CODE_EXPIRED: {
    message: "The device code expired before the sign-in finished (AADSTS70019).",
    nextStep: "Run `samkit consent --device-code` again and finish within the time shown.",
    action: "reconsent",
  },
  SAMKIT_SIGN_IN_FREQUENCY_EXPIRED: {
    message: "A Conditional Access sign-in frequency policy expired the refresh token (AADSTS70043).",
    nextStep: "Run `samkit consent`; to avoid repeats, exclude the samkit account from the sign-in frequency policy.",
    action: "reconsent",
  },
  SAMKIT_PKCE_MISMATCH: {
    message: "The PKCE code verifier did not match the challenge (AADSTS501481).",
    nextStep: "Run `samkit consent` again.",
    action: "reconsent",
  },
  SAMKIT_SERVICE_PRINCIPAL_PROPAGATING: {
    message: "The service principal is still being created or replicated (AADSTS650051).",
    nextStep: "Wait about 30 seconds and try again.",
    action: "retry-later",
  },
  SAMKIT_INTERACTION_REQUIRED: {
    message: "The identity platform requires an interactive sign-in ({error}).",
    nextStep: "Run `samkit consent` to sign in again with MFA.",
    action: "reconsent",
  },
  SAMKIT_IDENTITY_UNAVAILABLE: {
    message: "The identity platform is temporarily unavailable ({error}).",
    nextStep: "Try again in a few minutes.",
    action: "retry-later",
  },
  SAMKIT_IDENTITY_ERROR: {
    message: "The identity platform refused the request: {detail}",
    nextStep: "Look the code up with `samkit explain <AADSTS code>` or at https://login.microsoftonline.com/error?code=<code>.",
    action: "none",
  },
} as const satisfies Record<string, CatalogueEntry>;
