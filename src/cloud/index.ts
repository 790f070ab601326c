/**
 * The national-cloud table (global, usgov, china) and the `emulator` cloud. Nothing outside this
 * folder hard-codes a Microsoft host (DESIGN.md).
 */
export type { CloudDefinition, CloudName, CloudResource, ResourceAlias } from "./types.js";
export { GLOBAL_CLOUD, USGOV_CLOUD, CHINA_CLOUD, STATIC_CLOUDS, RESOURCE_ALIASES, CLOUD_NAMES } from "./table.js";
export {
  getCloud,
  parseCloudName,
  resolveResource,
  scopesForResource,
  resourceForUrl,
  requireResourceForUrl,
  v2Issuer,
  isAuthorityHostOf,
  type ResolvedResource,
} from "./resolve.js";
export { emulatorCloud, loadEmulatorCloud, emulatorCloudInfoSchema, type EmulatorCloudInfo, type LoadEmulatorCloudOptions } from "./emulator.js";
