/** One-time Secure Application Model steps: consent and app registration (DESIGN.md `provision/`). */
export {
  runConsent,
  importRefreshToken,
  consentScopes,
  CONSENT_OIDC_SCOPES,
  DEFAULT_CONSENT_TIMEOUT_MS,
  type ConsentOptions,
  type ConsentCommonOptions,
  type ConsentResult,
  type ImportRefreshTokenOptions,
} from "./consent.js";
