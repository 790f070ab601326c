/**
 * `samkit/emulator`: the offline Microsoft cloud as a library. Never imported by `src/`.
 * @packageDocumentation
 */
export { EmulatorServer, SERVICE_ORDER, type EmulatorServerOptions } from "./server.js";
export type { EmulatorCloudInfo, EmulatorContext, EmulatorResolvedOptions, ServiceName } from "./context.js";
export { World, SEEDED_PASSWORDS, BROKEN_CUSTOMER_STATES, type WorldOptions } from "./world.js";
export { EmulatorClock } from "./clock.js";
export { ScenarioStore, scenarioRuleSchema, scenarioMiddleware, type ScenarioRule } from "./scenarios.js";
export { RequestLog, type LoggedRequest } from "./request-log.js";
export {
  verifyAccessToken,
  verifyBearer,
  issueUserAccessToken,
  issueAppAccessToken,
  issueIdToken,
  v1Issuer,
  v2Issuer,
  type AccessTokenClaims,
  type AccessTokenCheck,
  type AccessTokenFailureReason,
  type IdTokenClaims,
  type VerifyAccessTokenOptions,
} from "./tokens.js";
export { revokeUserSessions, resetUserPassword } from "./identity/sessions.js";
export { APP_IDS, RESOURCE_URIS, DIRECTORY_ROLES, RESOURCE_PERMISSIONS } from "./well-known.js";
export type * from "./world-types.js";
export {
  EmulatorTestCredential,
  type EmulatorTestCredentialOptions,
  type EmulatorCloudRef,
} from "./test-credential.js";
