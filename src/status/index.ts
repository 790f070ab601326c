/** `samkit status` as a library: what is stored where, and is it healthy. */
export { collectStatus, statusExitCode } from "./report.js";
export { refreshTokenStatus, daysUntil, INACTIVITY_WINDOW_DAYS } from "./refresh-token.js";
export { appCredentialStatus } from "./app-credential.js";
export { tenantHealth } from "./tenant-health.js";
export type * from "./types.js";
