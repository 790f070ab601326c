/**
 * Access-token cache keys (DESIGN.md "Access-token cache"): cloud + client ID + tenant + sorted,
 * lower-cased scopes, plus the grant kind (delegated tokens and app-only tokens for the same
 * scopes are different tokens; CIPP keys them apart the same way, facts/partner-center.md §8).
 * Keys are deterministic strings so every lookup is one hash-map probe (O(1) at any size).
 */

/** The parts of a cache key. */
export interface CacheKeyParts {
  /** Identifies the cloud instance: its name and authority origin (emulators differ by port). */
  readonly cloud: string;
  readonly clientId: string;
  /** Tenant GUID or domain as requested (lower-cased here). */
  readonly tenant: string;
  readonly scopes: readonly string[];
  /** `user` for a delegated (refresh-token) token, `app` for client credentials. */
  readonly kind: "user" | "app";
}

/** Scopes de-duplicated (case-insensitively), lower-cased and sorted: the canonical scope list of a key. */
export function normalizeScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes.map((s) => s.trim().toLowerCase()).filter((s) => s !== ""))].sort();
}

/** Build the cache key string. Same inputs (in any scope order or case) give the same key. */
export function cacheKey(parts: CacheKeyParts): string {
  return [
    "v1",
    parts.cloud.toLowerCase(),
    parts.clientId.toLowerCase(),
    parts.tenant.toLowerCase(),
    parts.kind,
    normalizeScopes(parts.scopes).join(" "),
  ].join("|");
}
