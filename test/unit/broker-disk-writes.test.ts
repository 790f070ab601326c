/**
 * The broker's disk-cache writes run off the getToken critical path (bench/fanout.ts), without
 * weakening the cache: 0600 files, atomic rename with no temp file left behind, the expiry in the
 * mtime, writes of one entry ordered, a delete never overtaken by an older write, read-your-writes
 * across instances in one process, and the strict policy still writing before the lock is released.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TokenBroker } from "../../src/broker/broker.js";
import type { CachedToken, TokenCacheStore } from "../../src/broker/cache-types.js";
import { DiskTokenCache } from "../../src/broker/disk-cache.js";
import { GLOBAL_CLOUD } from "../../src/cloud/table.js";
import type { HttpClient } from "../../src/http/types.js";
import { countingGrants, storeWithProfile } from "../helpers/broker.js";

const PARTNER = "11111111-1111-1111-1111-111111111111";
const CLIENT = "22222222-2222-2222-2222-222222222222";
const NOW = 1_900_000_000; // epoch s

/** A second-level cache whose writes block until released (or fail), recording what was asked. */
class GatedCache implements TokenCacheStore {
  readonly sets: string[] = [];
  fail = false;
  private release!: () => void;
  private gate = new Promise<void>((r) => (this.release = r));
  open(): void {
    this.release();
  }
  get(): Promise<CachedToken | undefined> {
    return Promise.resolve(undefined);
  }
  async set(key: string): Promise<void> {
    this.sets.push(key);
    await this.gate;
    if (this.fail) throw new Error("disk full");
  }
  delete(): Promise<void> {
    return Promise.resolve();
  }
}

async function broker(cache: TokenCacheStore, rotation: "lenient" | "strict" = "lenient"): Promise<TokenBroker> {
  const store = await storeWithProfile({ tenantId: PARTNER, clientId: CLIENT, refreshTokenRotatedAt: new Date(NOW * 1000).toISOString() });
  const grants = countingGrants(NOW);
  return new TokenBroker({ cloud: GLOBAL_CLOUD, store, http: {} as HttpClient, grants, cache, rotation });
}

/**
 * Resolves to "pending" when `p` has not settled within `ms` (default 50 ms). A "settles" check
 * gets a generous `ms`: the gate below never opens by itself, so a getToken that waited for the
 * write would stay pending however long we wait, while a loaded machine may need seconds for the
 * first (lazily imported) redemption.
 */
async function settledSoon<T>(p: Promise<T>, ms = 50): Promise<T | "pending"> {
  let timer: NodeJS.Timeout | undefined;
  const pending = new Promise<"pending">((r) => {
    timer = setTimeout(() => r("pending"), ms);
  });
  try {
    return await Promise.race([p, pending]);
  } finally {
    clearTimeout(timer);
  }
}

describe("broker: disk-cache writes off the critical path", () => {
  beforeEach(() => {
    process.env["SAMKIT_TEST_NOW"] = String(NOW);
  });
  afterEach(() => {
    delete process.env["SAMKIT_TEST_NOW"];
  });

  it("getToken returns before the disk write finishes; flush() waits for it; a failed write is not an error", async () => {
    const cache = new GatedCache();
    cache.fail = true;
    const b = await broker(cache);
    const t = await settledSoon(b.getToken({ tenant: "contoso.onmicrosoft.com", resource: "graph" }), 10_000);
    expect(t).toMatchObject({ token: "at-1" });
    expect(cache.sets).toHaveLength(1);
    expect(await settledSoon(b.flush())).toBe("pending");
    cache.open();
    await expect(b.flush()).resolves.toBeUndefined();
  });

  it("strict policy: the write completes before getToken returns (the next process under the lock must see it)", async () => {
    const cache = new GatedCache();
    const b = await broker(cache, "strict");
    const p = b.getToken({ resource: "graph" });
    expect(await settledSoon(p)).toBe("pending");
    cache.open();
    expect(await p).toMatchObject({ token: "at-1" });
  });
});

describe("DiskTokenCache writes", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "samkit-diskw-"));
  });
  afterEach(async () => {
    await DiskTokenCache.flush();
    rmSync(dir, { recursive: true, force: true });
  });
  const entry = (token: string, expiresOnMs = 2_000_000_000_000): CachedToken => ({ token, expiresOnMs, scopes: ["s"], tenantId: PARTNER });

  it("writes 0600 files atomically, leaves no temp file, and carries the expiry in the mtime", async () => {
    const c = new DiskTokenCache({ dir: join(dir, "t"), prune: false });
    await Promise.all(Array.from({ length: 20 }, (_, i) => c.set(`k${i}`, entry(`tok-${i}`, 2_000_000_000_000 + i * 1000))));
    const names = readdirSync(join(dir, "t")).sort();
    expect(names.filter((n) => n.endsWith(".tok"))).toHaveLength(20);
    expect(names.filter((n) => n !== "key" && !n.endsWith(".tok"))).toEqual([]);
    for (let i = 0; i < 20; i++) {
      const st = statSync(c.pathFor(`k${i}`));
      expect(st.mode & 0o777).toBe(0o600);
      expect(st.mtimeMs).toBe(2_000_000_000_000 + i * 1000);
    }
    expect(statSync(join(dir, "t")).mode & 0o777).toBe(0o700);
  });

  it("orders writes of one entry (last wins), a delete is not overtaken by an older write, and another instance reads a write in flight", async () => {
    const a = new DiskTokenCache({ dir, prune: false });
    const b = new DiskTokenCache({ dir, prune: false });
    void a.set("k", entry("one"));
    void a.set("k", entry("two"));
    expect(await b.get("k")).toMatchObject({ token: "two" });

    void a.set("k", entry("three"));
    await b.delete("k");
    expect(await a.get("k")).toBeUndefined();
    expect(readdirSync(dir).filter((n) => n.endsWith(".tok"))).toEqual([]);
  });
});
