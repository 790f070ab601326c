/**
 * Benchmark (prints numbers; not a test): emulator start-up time and memory with 10,000 seeded
 * customers (target issue 3: < 5 s and < 300 MB), plus token-endpoint throughput.
 *
 *   npx tsx bench/emulator-startup.ts [customers=10000] [requests=2000]
 *   node --expose-gc --import tsx bench/emulator-startup.ts   # heap after a full GC too
 *
 * "cold" includes generating the process-wide RS256 signing key; "warm" starts a second
 * emulator in the same process (key reused). Memory is the process RSS after start (tsx's
 * loader included, so it is an upper bound) and the V8 heap in use.
 */
import { loadavg } from "node:os";
import { EmulatorServer } from "../emulator/index.js";

const customers = Number(process.argv[2] ?? "10000");
const requests = Number(process.argv[3] ?? "2000");
const mb = (n: number): string => (n / 1_048_576).toFixed(1);
const gc = (globalThis as { gc?: () => void }).gc;

/** Start one emulator; wall time and this process's CPU time (user+system, all threads). */
async function timeStart(): Promise<{ emu: EmulatorServer; ms: number; cpuMs: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const emu = new EmulatorServer({ seedCustomers: customers });
  await emu.start();
  const c = process.cpuUsage(c0);
  return { emu, ms: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 };
}

const before = process.memoryUsage();
const cold = await timeStart();
gc?.();
const afterCold = process.memoryUsage();
const warm = await timeStart();
await warm.emu.stop();

// Lookups stay O(1): resolve every customer by id and domain, and the last customer's users.
const w = cold.emu.context.world;
let t0 = performance.now();
let hits = 0;
for (const c of w.customerList) if (w.resolveTenant(c.tenantId) && w.resolveTenant(c.domain)) hits++;
const lookupMs = performance.now() - t0;
const lastUsers = w.usersIn(w.customerList.at(-1)?.tenantId ?? w.partnerTenantId).length;

// Token endpoint throughput: client credentials at the partner tenant, 16 in flight.
const url = cold.emu.url;
const body = new URLSearchParams({ grant_type: "client_credentials", client_id: w.samAppId, client_secret: w.samAppSecret, scope: "https://graph.microsoft.com/.default" }).toString();
const endpoint = `${url}/${w.partnerTenantId}/oauth2/v2.0/token`;
let next = 0;
let failed = 0;
const tokenCpu0 = process.cpuUsage();
t0 = performance.now();
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (next++ < requests) {
      const r = await fetch(endpoint, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
      if (r.status !== 200) failed++;
      await r.arrayBuffer();
    }
  }),
);
const tokenSeconds = (performance.now() - t0) / 1000;
const tokenCpu = process.cpuUsage(tokenCpu0);
/** CPU per request, client (undici) and server in this one process, milliseconds. */
const cpuMsPerToken = (tokenCpu.user + tokenCpu.system) / 1000 / requests;
cold.emu.takeRequests();
gc?.();
const afterTokens = process.memoryUsage();
await cold.emu.stop();

const result = {
  customers,
  startColdMs: Math.round(cold.ms),
  startWarmMs: Math.round(warm.ms),
  startColdCpuMs: Math.round(cold.cpuMs),
  startWarmCpuMs: Math.round(warm.cpuMs),
  loadAverage1m: Number(loadavg()[0]!.toFixed(1)),
  rssBeforeMB: Number(mb(before.rss)),
  rssAfterStartMB: Number(mb(afterCold.rss)),
  heapUsedAfterStartMB: Number(mb(afterCold.heapUsed)),
  heapMeasuredAfterGc: gc !== undefined,
  tenantLookups: hits * 2,
  tenantLookupMs: Number(lookupMs.toFixed(1)),
  lazyUsersOfLastCustomer: lastUsers,
  tokenRequests: requests,
  tokenFailures: failed,
  tokensPerSecond: Math.round(requests / tokenSeconds),
  cpuMsPerTokenRequest: Number(cpuMsPerToken.toFixed(2)),
  rssAfterTokensMB: Number(mb(afterTokens.rss)),
  targets: { startMs: 5000, rssMB: 300 },
};
process.stdout.write(
  [
    `emulator start with ${customers} customers: cold ${result.startColdMs} ms (incl. signing key; CPU ${result.startColdCpuMs} ms), warm ${result.startWarmMs} ms (CPU ${result.startWarmCpuMs} ms)  [target < 5000 ms; load average ${result.loadAverage1m}]`,
    `memory: RSS ${result.rssAfterStartMB} MB after start (${result.rssBeforeMB} MB before), heap ${result.heapUsedAfterStartMB} MB${gc ? " after GC" : ""}  [target < 300 MB]`,
    `lookups: ${result.tenantLookups} tenant lookups in ${result.tenantLookupMs} ms`,
    `token endpoint: ${result.tokensPerSecond} client-credentials tokens/s over ${requests} requests (16 in flight), ${failed} failed; ${result.cpuMsPerTokenRequest} ms CPU per request incl. the client (≈ ${Math.round(1000 / result.cpuMsPerTokenRequest)}/s per free core); RSS ${result.rssAfterTokensMB} MB`,
    JSON.stringify(result),
    "",
  ].join("\n"),
);
