/**
 * The broker's cache seam. Memory (lru-cache) is always in front; a second level (the encrypted
 * disk cache, or a shared cache such as Redis for fleets, DESIGN.md "Beyond one machine") plugs in
 * behind this interface without touching callers.
 */

/** One cached access token. Times are epoch **milliseconds**. */
export interface CachedToken {
  readonly token: string;
  /** When the access token expires, epoch ms. */
  readonly expiresOnMs: number;
  /** Scopes as granted (or as requested, when the server did not say). */
  readonly scopes: readonly string[];
  /** The tenant the token is for (GUID when known from the token's `tid`). */
  readonly tenantId: string;
}

/** A second-level token cache. Every method must be O(1) in the number of entries: no scans. */
export interface TokenCacheStore {
  /** The entry for `key`, or `undefined` (missing, unreadable or tampered entries read as missing). */
  get(key: string): Promise<CachedToken | undefined>;
  /** Store or replace the entry for `key`. */
  set(key: string, entry: CachedToken): Promise<void>;
  delete(key: string): Promise<void>;
}
