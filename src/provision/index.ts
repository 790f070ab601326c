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
export { adminGraphToken, type AdminSignInOptions, type AdminGraphToken } from "./admin-signin.js";
export { planApp, applyAppPlan, ADMIN_AGENTS_GROUP, type AppCreateOptions, type AppPlan, type PlanChange, type AppApplyResult } from "./app-create.js";
export {
  grantAdminConsent,
  planAdminConsent,
  adminConsentComplete,
  adminConsentUrl,
  type AdminConsentOptions,
  type AdminConsentPlan,
  type AdminConsentItem,
  type AppRoleItem,
} from "./admin-consent.js";
export { rotateAppCredential, type RotateOptions, type RotateResult } from "./app-rotate.js";
export { useExistingApp, appGaps, type UseAppOptions, type UseAppResult } from "./app-use.js";
export {
  APP_IDS,
  DEFAULT_APP_NAME,
  DEFAULT_REQUIRED_ACCESS,
  LEGACY_AAD_GRAPH_ACCESS,
  LOOPBACK_REDIRECT_URI,
  LEGACY_OOB_REDIRECT_URI,
  parsePermission,
  mergeRequiredAccess,
  missingAccess,
  type PermissionSpec,
} from "./app-spec.js";
export { addSecretCredential, addCertificateCredential, removeCredential, CERTIFICATE_DAYS, type AddedCredential } from "./credentials.js";
