/** Fan-out: one operation across many tenants (DESIGN.md "fanout/"). */
export { runFanout } from "./runner.js";
export { fanoutExitCode } from "./exit-code.js";
export {
  HostBackoff,
  hostOf,
  parseRetryAfterSeconds,
  withHostBackoff,
  type HostBackoffOptions,
} from "./host-backoff.js";
export {
  createTenantFilter,
  isTenantIdentifier,
  parseTenantList,
  readTenantList,
  type TenantFilterOptions,
} from "./tenant-filter.js";
export type * from "./types.js";
export { apiOperation, type ApiOperationContext } from "./api-operation.js";
export {
  customerTarget,
  customerTargets,
  tenantTargets,
  parseCustomerSelection,
  type CustomerSelection,
} from "./targets.js";
export { backoffInterceptor } from "./backoff-dispatcher.js";
