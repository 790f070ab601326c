/**
 * A corrupt token-cache key file (truncated, wrong length) does not turn the disk cache off: the
 * next write replaces it atomically with a new key, entries encrypted under the old key read as
 * misses, and instances replacing it at the same time never fail (one key, or a miss).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CachedToken } from "../../src/broker/cache-types.js";
import { DiskTokenCache } from "../../src/broker/disk-cache.js";

const NOW_MS = 1_900_000_000_000;
const entry = (token: string): CachedToken => ({ token, expiresOnMs: NOW_MS + 3_600_000, scopes: ["s/.default"], tenantId: "t" });

let dir: string;
beforeEach(() => {
  process.env["SAMKIT_TEST_NOW"] = String(NOW_MS / 1000);
  dir = mkdtempSync(join(tmpdir(), "samkit-diskkey-"));
});
afterEach(() => {
  delete process.env["SAMKIT_TEST_NOW"];
  rmSync(dir, { recursive: true, force: true });
});

describe("DiskTokenCache with a malformed key file", () => {
  it("replaces a truncated key on the next write; old entries are misses, new ones are read back", async () => {
    const first = new DiskTokenCache({ dir, prune: false });
    await first.set("k1", entry("old-token"));
    const keyFile = join(dir, "key");
    const oldKey = readFileSync(keyFile);
    writeFileSync(keyFile, oldKey.subarray(0, 5)); // truncated to 5 bytes

    const cache = new DiskTokenCache({ dir, prune: false });
    expect(await cache.get("k1")).toBeUndefined(); // a miss, not an error
    await cache.set("k2", entry("new-token")); // used to reject: "key file … is malformed"
    const newKey = readFileSync(keyFile);
    expect(newKey).toHaveLength(32);
    expect(newKey.equals(oldKey)).toBe(false);
    if (process.platform !== "win32") expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(await cache.get("k2")).toMatchObject({ token: "new-token" });
    // Another process (a new instance) uses the new key too; the old entry stays a miss.
    const later = new DiskTokenCache({ dir, prune: false });
    expect(await later.get("k2")).toMatchObject({ token: "new-token" });
    expect(await later.get("k1")).toBeUndefined();
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });

  it("instances replacing it at the same time never fail: each entry reads back or is a miss", async () => {
    const keyFile = join(dir, "key");
    writeFileSync(keyFile, Buffer.alloc(5, 1), { mode: 0o600 });
    const caches = Array.from({ length: 8 }, () => new DiskTokenCache({ dir, prune: false }));
    await Promise.all(caches.map((c, i) => c.set(`k${i}`, entry(`token-${i}`))));
    expect(readFileSync(keyFile)).toHaveLength(32);
    const reader = new DiskTokenCache({ dir, prune: false });
    const seen = await Promise.all(caches.map((_, i) => reader.get(`k${i}`)));
    for (const [i, e] of seen.entries()) if (e !== undefined) expect(e.token).toBe(`token-${i}`);
    // After the race every instance agrees on the key on disk from its next write on.
    const after = new DiskTokenCache({ dir, prune: false });
    await after.set("k-after", entry("after"));
    expect(await reader.get("k-after")).toMatchObject({ token: "after" });
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });
});
