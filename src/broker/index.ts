/** The token broker (DESIGN.md `broker/`). Re-exports only. */
export { TokenBroker, createTokenBroker } from "./broker.js";
export { BrokerCredential, type BrokerCredentialOptions } from "./credential.js";
export { DiskTokenCache, type DiskTokenCacheOptions } from "./disk-cache.js";
export { MemoryTokenCache } from "./memory-cache.js";
export type { CachedToken, TokenCacheStore } from "./cache-types.js";
export { cacheKey, normalizeScopes, type CacheKeyParts } from "./cache-key.js";
export { resolveScopes, DEFAULT_RESOURCE, type ResolvedScopes } from "./scopes.js";
export { printableClaims, PRINTABLE_CLAIMS } from "./claims.js";
export { storeProfileSource, type StoreProfileSourceOptions } from "./profile-source.js";
export type {
  BrokerGrants,
  BrokerProfileSource,
  BrokerToken,
  RenewResult,
  RotationPolicy,
  TokenBrokerOptions,
  TokenRequest,
} from "./types.js";
