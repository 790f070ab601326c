import { LRUCache } from "lru-cache";
import type { CachedToken } from "./cache-types.js";

/**
 * In-memory access-token cache on lru-cache: a hash map with a bounded size, so a lookup costs
 * the same at 10 or 10,000 tenants. Expiry is checked by the broker against samkit's clock seam
 * (`SAMKIT_TEST_NOW`), not lru-cache's TTL timer, so tests that move the clock stay consistent.
 */
export class MemoryTokenCache {
  private readonly lru: LRUCache<string, CachedToken>;

  /** @param maxEntries - most tokens kept (default 50,000: 10,000 tenants × 5 resources). */
  constructor(maxEntries = 50_000) {
    this.lru = new LRUCache<string, CachedToken>({ max: maxEntries });
  }

  get(key: string): CachedToken | undefined {
    return this.lru.get(key);
  }

  set(key: string, entry: CachedToken): void {
    this.lru.set(key, entry);
  }

  delete(key: string): void {
    this.lru.delete(key);
  }

  clear(): void {
    this.lru.clear();
  }

  get size(): number {
    return this.lru.size;
  }
}
