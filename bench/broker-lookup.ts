/**
 * Benchmark (prints numbers; not a test): cost of a warm `TokenBroker.getToken` lookup with 10
 * versus 10,000 customer tenants cached — memory hits, and disk hits from a fresh broker (another
 * CLI run). Issue 7: the cost per lookup must not grow with the number of cached tenants (MSAL Node
 * with one shared cache was measured at 377× the ideal fan-out time over 1,000 tenants).
 *
 *   npx tsx bench/broker-lookup.ts
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DiskTokenCache, TokenBroker, type BrokerGrants, type BrokerProfileSource } from "../src/broker/index.js";
import { GLOBAL_CLOUD } from "../src/cloud/table.js";
import type { HttpClient } from "../src/http/types.js";

const PARTNER = "11111111-1111-4111-8111-111111111111";
const CLIENT = "33333333-3333-4333-8333-333333333333";
const tenant = (i: number): string => `${i.toString(16).padStart(8, "0")}-2222-4222-8222-222222222222`;

let redemptions = 0;
const grants: BrokerGrants = {
  redeemRefreshToken: (ctx, _rt, scopes) => {
    redemptions++;
    return Promise.resolve({ accessToken: `at-${ctx.tenant}-${"x".repeat(1200)}`, tokenType: "Bearer", expiresAt: Math.floor(Date.now() / 1000) + 3600, scopes });
  },
  clientCredentials: () => Promise.reject(new Error("unused")),
};
const source: BrokerProfileSource = {
  name: "bench",
  read: () => Promise.resolve({ profile: "bench", cloud: "global", tenantId: PARTNER, clientId: CLIENT, clientSecret: "s", refreshToken: "r".repeat(40), metadata: { refreshTokenRotatedAt: new Date().toISOString() } }),
  saveRefreshToken: () => Promise.resolve(true),
  withLock: (fn) => fn(),
};

async function measure(n: number): Promise<{ memoryUs: number; diskUs: number }> {
  const dir = mkdtempSync(join(tmpdir(), "samkit-bench-"));
  try {
    const mk = () => new TokenBroker({ cloud: GLOBAL_CLOUD, profileSource: source, identity: { clientId: CLIENT, tenantId: PARTNER }, http: {} as HttpClient, grants, cache: new DiskTokenCache({ dir }) });
    const b = mk();
    for (let i = 0; i < n; i++) await b.getToken({ resource: "graph", tenant: tenant(i) });
    const probes = Array.from({ length: 2000 }, (_, k) => tenant((k * 7919) % n));
    let t0 = process.hrtime.bigint();
    for (const t of probes) await b.getToken({ resource: "graph", tenant: t });
    const memoryUs = Number(process.hrtime.bigint() - t0) / 1e3 / probes.length;
    await b.flush(); // every entry on disk before timing disk hits (writes run in the background)
    const fresh = mk(); // a new process: empty memory, warm disk
    const before = redemptions;
    const diskProbes = probes.slice(0, 500).filter((t, i, a) => a.indexOf(t) === i);
    t0 = process.hrtime.bigint();
    for (const t of diskProbes) await fresh.getToken({ resource: "graph", tenant: t });
    const diskUs = Number(process.hrtime.bigint() - t0) / 1e3 / diskProbes.length;
    if (redemptions !== before) throw new Error("disk probes redeemed");
    return { memoryUs, diskUs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const small = await measure(10);
const large = await measure(10_000);
process.stdout.write(
  [
    "TokenBroker warm lookup cost vs number of cached tenants (graph, delegated)",
    `  10 tenants:      memory ${small.memoryUs.toFixed(1)} µs/lookup, disk (new broker) ${small.diskUs.toFixed(1)} µs/lookup`,
    `  10,000 tenants:  memory ${large.memoryUs.toFixed(1)} µs/lookup, disk (new broker) ${large.diskUs.toFixed(1)} µs/lookup`,
    `  ratio 10,000/10: memory ${(large.memoryUs / small.memoryUs).toFixed(2)}×, disk ${(large.diskUs / small.diskUs).toFixed(2)}×  (flat ≈ 1×)`,
    "",
  ].join("\n"),
);
