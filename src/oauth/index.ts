/** OAuth protocol mechanics on openid-client and jose (DESIGN.md `oauth/`). Re-exports only. */
export type { ClientCredentials, TokenSet, GrantContext } from "./types.js";
export { authorityEndpoints, checkAuthorityHost, isTenantGuid, type AuthorityEndpoints } from "./endpoints.js";
export { certificateThumbprints, clientAuthFor, type CertificateThumbprints } from "./client-auth.js";
export { createOAuthConfiguration, type OAuthConfiguration, type OAuthConfigurationOptions, type IdTokenTap } from "./configuration.js";
export { toTokenSet, decodeClientInfo, DEFAULT_EXPIRES_IN_SECONDS } from "./token-set.js";
export { toGrantError, identityError } from "./errors.js";
export { redeemRefreshToken, clientCredentials, refreshScopes, type RedeemRefreshTokenOptions } from "./grants.js";
export { createAuthorizationRequest, redeemAuthorizationCode, probeAuthorizationUrl, type AuthorizationRequest, type AuthorizationRequestOptions, type CodeRedemption } from "./authorize.js";
export {
  startLoopbackReceiver,
  authorizationError,
  DEFAULT_LOOPBACK_TIMEOUT_MS,
  type LoopbackReceiver,
  type LoopbackReceiverOptions,
  type LoopbackCallback,
  type WaitForCodeOptions,
} from "./loopback.js";
export { startDeviceCode, type DeviceCodeSession } from "./device-code.js";
export { verifyIdToken, type IdTokenClaims, type VerifyIdTokenOptions } from "./id-token.js";
export { signInMethods, type SignInMethods } from "./mfa.js";
