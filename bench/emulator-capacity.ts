/**
 * Benchmark (prints numbers): the emulator's token-endpoint capacity on one core — the emulator
 * runs as its own process pinned to CPU 0 (`taskset -c 0`, when available), this process drives
 * refresh-token redemptions at customer tenants (the fan-out's hot path) with 32 requests in
 * flight for BENCH_CAPACITY_MS (default 8 s), and reports requests per second.
 *
 *   npm run build && npx tsx bench/emulator-capacity.ts
 *
 * On a shared machine the other core(s) are busy too: read it next to the printed load average.
 * BENCH_CPU_PROF_DIR=/tmp/prof writes a V8 CPU profile of the emulator there.
 */
import { spawn, spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { deviceCodeRefreshToken, world, type EmuInfo } from "../test/integration/broker-helpers.js";

const root = resolve(import.meta.dirname, "..");
const durationMs = Number(process.env["BENCH_CAPACITY_MS"] ?? "8000");
const pinned = spawnSync("taskset", ["-V"]).status === 0;
const cmd = pinned ? "taskset" : process.execPath;
const profDir = process.env["BENCH_CPU_PROF_DIR"];
const profArgs = profDir ? ["--cpu-prof", `--cpu-prof-dir=${resolve(profDir)}`] : [];
const args = [...(pinned ? ["-c", "0", process.execPath] : []), ...profArgs, join(root, "bin", "samkit-emulator"), "start", "--port", "0", "--seed-customers", "1000"];
const proc = spawn(cmd, args, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
try {
  let info: EmuInfo | undefined;
  for await (const line of createInterface({ input: proc.stdout })) {
    if (line.trim().startsWith("{")) {
      info = JSON.parse(line) as EmuInfo;
      break;
    }
  }
  if (!info) throw new Error("the emulator exited before it was ready");
  const w = await world(info);
  const rt = await deviceCodeRefreshToken(info, w);
  const tenants = w.customers.filter((c) => c.state === "healthy").map((c) => c.tenantId);
  let sent = 0;
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() - t0 < durationMs) {
        const tenant = tenants[sent++ % tenants.length]!;
        const r = await fetch(`${info.url}/${tenant}/oauth2/v2.0/token`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: rt, client_id: w.samApp.clientId, client_secret: w.samApp.clientSecret, scope: "https://graph.microsoft.com/.default" }),
        });
        await r.arrayBuffer();
        if (r.status !== 200) failed++;
      }
    }),
  );
  const s = (performance.now() - t0) / 1000;
  const result = { tokensPerSecond: Math.round(sent / s), requests: sent, failed, seconds: Number(s.toFixed(1)), pinnedToOneCore: pinned, loadAverage1m: Number((loadavg()[0] ?? 0).toFixed(1)) };
  process.stdout.write(`emulator token endpoint (refresh grant at customer tenants, 32 in flight, emulator ${pinned ? "pinned to CPU 0" : "not pinned"}): ${result.tokensPerSecond} tokens/s over ${sent} requests, ${failed} failed; load ${result.loadAverage1m}\n`);
  process.stdout.write(`BENCH_JSON ${JSON.stringify(result)}\n`);
} finally {
  proc.kill("SIGTERM");
}
