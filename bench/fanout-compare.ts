/**
 * Benchmark (prints numbers; not a test): samkit's fan-out against two reference clients, in the
 * same run, against the same emulator (a separate process, 50 ms latency on every request).
 * Per customer tenant: one Graph token (refresh-token redemption at the tenant's authority) and
 * one Graph call (`GET /v1.0/users?$top=5`).
 *
 *   npm run build && npx tsx bench/fanout-compare.ts
 *   BENCH_FANOUT_10K=1 npx tsx bench/fanout-compare.ts        # adds 10,000 tenants at concurrency 64
 *   BENCH_MSAL_CAP_MS=30000 BENCH_LATENCY_MS=50 …              # MSAL time cap per size, latency
 *   BENCH_VARIANTS=openid-client,library,foreach …            # run only these (also: msal)
 *   BENCH_CPU_PROF_DIR=/tmp/prof …                            # V8 CPU profiles of the emulator and every variant
 *   BENCH_NODE_FLAGS="--max-semi-space-size=4" …              # extra node flags for the variants (not the emulator)
 *   BENCH_TENANTS=100 …                                       # size of the first run (default 1000, concurrency 32)
 *
 * Variants (each in its own child process, so peak RSS is its own):
 * - `samkit foreach`: the real CLI (`dist/`), `samkit foreach --customers FILE --jsonl -- api /v1.0/users -f '$top=5'`,
 *   fresh `SAMKIT_HOME` (encrypted file store, cold disk cache); wall = its `main()`, node start-up excluded.
 * - `samkit library`: bench/baselines/samkit-library.ts (TokenBroker + runFanout).
 * - (a) `openid-client`: bench/baselines/openid-client.ts (hand-built per-tenant Configuration).
 * - (b) `msal-node`: bench/baselines/msal-node.ts, at 100, 200 and 400 tenants with a time cap.
 *
 * ideal = requests × latency ÷ concurrency, with requests = 2 per tenant. Token requests are
 * counted from the emulator's request log. The last stdout line is `BENCH_JSON {…}` for bench/run.ts.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { EncryptedFileStore } from "../src/store/file/file-store.js";
import { writeProfile } from "../src/store/profile.js";
import { deviceCodeRefreshToken, emulatorProfile, world, type EmuInfo } from "../test/integration/broker-helpers.js";
import type { FanoutBenchInput, FanoutBenchResult } from "./baselines/types.js";

const root = resolve(import.meta.dirname, "..");
const LATENCY = Number(process.env["BENCH_LATENCY_MS"] ?? "50");
const MSAL_CAP_MS = Number(process.env["BENCH_MSAL_CAP_MS"] ?? "30000");
const RUN_CAP_MS = Number(process.env["BENCH_RUN_CAP_MS"] ?? "120000");
const sizes: { tenants: number; concurrency: number }[] = [{ tenants: Number(process.env["BENCH_TENANTS"] ?? "1000"), concurrency: 32 }];
if (process.env["BENCH_FANOUT_10K"] === "1") sizes.push({ tenants: 10_000, concurrency: 64 });
const profDir = process.env["BENCH_CPU_PROF_DIR"];
const profArgs = profDir ? ["--cpu-prof", `--cpu-prof-dir=${resolve(profDir)}`] : [];
const only = process.env["BENCH_VARIANTS"]?.split(",").map((v) => v.trim());
const wanted = (v: string): boolean => only === undefined || only.some((o) => o !== "" && v.includes(o));
const msalSizes = wanted("msal") ? [100, 200, 400] : [];
const maxTenants = Math.max(...sizes.map((s) => s.tenants), ...msalSizes);

if (!existsSync(join(root, "dist", "src", "cli", "main.js"))) {
  process.stderr.write("dist/ is missing: run `npm run build` first.\n");
  process.exit(1);
}

/** The emulator as its own process (built entry), ready line parsed. */
async function startEmulator(customers: number): Promise<{ info: EmuInfo & { url: string }; pid: number | undefined; stop: () => void }> {
  const proc = spawn(process.execPath, [...profArgs, join(root, "bin", "samkit-emulator"), "start", "--port", "0", "--seed-customers", String(customers), "--latency-ms", String(LATENCY)], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: proc.stdout });
  for await (const line of lines) {
    if (line.trim().startsWith("{")) {
      lines.close();
      return { info: JSON.parse(line) as EmuInfo, pid: proc.pid, stop: () => void proc.kill("SIGTERM") };
    }
  }
  throw new Error("the emulator exited before it was ready");
}

/** CPU time (user + system) a process has used so far, ms, from /proc (Linux); undefined elsewhere. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // /proc/<pid>/stat: fields after the ")" of the command name; utime and stime are the 12th and 13th, in clock ticks (100/s).
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

interface LoggedRequest {
  service: string;
  method: string;
  path: string;
}

/** Counts requests while a variant runs: polls (and clears) the emulator's log so it never overflows. */
function requestCounter(url: string): { stop: () => Promise<{ token: number; graph: number }> } {
  let token = 0;
  let graph = 0;
  const take = async (): Promise<void> => {
    const r = await fetch(`${url}/_emulator/requests`);
    const list = (await r.json()) as LoggedRequest[] | { requests: LoggedRequest[] };
    for (const q of Array.isArray(list) ? list : list.requests) {
      if (q.service === "identity" && q.method === "POST" && /\/oauth2\/(v2\.0\/)?token$/.test(q.path)) token++;
      if (q.service === "graph") graph++;
    }
  };
  let busy = Promise.resolve();
  const timer = setInterval(() => {
    busy = busy.then(take, take);
  }, 1000);
  return {
    stop: async () => {
      clearInterval(timer);
      await busy;
      await take();
      return { token, graph };
    },
  };
}

/** Spawn a child and collect its stdout/stderr; killed after `capMs`. */
function runChild(args: string[], env: NodeJS.ProcessEnv, capMs: number): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  return new Promise((done) => {
    const t0 = performance.now();
    const flags = (process.env["BENCH_NODE_FLAGS"] ?? "").split(/\s+/).filter(Boolean);
    const child = spawn(process.execPath, [...profArgs, ...flags, ...args], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), capMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ code, out, err, ms: performance.now() - t0 });
    });
  });
}

interface Row {
  variant: string;
  tenants: number;
  concurrency: number;
  wallMs: number;
  idealMs: number;
  ratio: number;
  peakRssMb: number;
  /** Client CPU (user + system) during the run, ms per tenant finished. */
  clientCpuMsPerTenant: number | null;
  /** Emulator CPU during the run (request-log polling included), ms per tenant finished. */
  emulatorCpuMsPerTenant: number | null;
  tokenRequests: number;
  graphRequests: number;
  ok: number;
  failed: number;
  done: number;
  capped: boolean;
  note: string;
}

async function main(): Promise<void> {
  const started = performance.now();
  const emu = await startEmulator(maxTenants + 5);
  const rows: Row[] = [];
  const homes: string[] = [];
  try {
    const url = emu.info.url;
    const w = await world(emu.info);
    const healthy = w.customers.filter((c) => c.state === "healthy").map((c) => c.tenantId);
    const refreshToken = await deviceCodeRefreshToken(emu.info, w);
    const storeKey = randomBytes(32).toString("base64");
    const freshHome = async (): Promise<string> => {
      const home = mkdtempSync(join(tmpdir(), "samkit-bench-cmp-"));
      homes.push(home);
      await writeProfile(new EncryptedFileStore({ home, storeKey }), emulatorProfile(w, refreshToken, { consentedAt: new Date().toISOString(), refreshTokenRotatedAt: new Date().toISOString(), mfaAtConsent: true }));
      return home;
    };

    const measure = async (variant: string, tenants: string[], concurrency: number, capMs: number): Promise<void> => {
      await fetch(`${url}/_emulator/requests`, { method: "DELETE" });
      const counter = requestCounter(url);
      const emuCpu0 = processCpuMs(emu.pid);
      let r: FanoutBenchResult;
      let note = "";
      if (variant === "samkit foreach") {
        const home = await freshHome();
        const file = join(home, "tenants.txt");
        writeFileSync(file, `${tenants.join("\n")}\n`);
        // Run the CLI's main() in a thin wrapper that reports main()'s wall time and the process's peak RSS.
        // It also checks RSS every 20 ms (the cheap process.memoryUsage.rss()) and reports the heap at the highest RSS seen.
        const wrapper = `const t0=performance.now();const c0=process.cpuUsage();let peak={rss:0};const tick=setInterval(()=>{if(process.memoryUsage.rss()>peak.rss)peak=process.memoryUsage()},20);const m=await import(${JSON.stringify(join(root, "dist/src/cli/main.js"))});const code=await m.main(process.argv.slice(1));clearInterval(tick);const c=process.cpuUsage(c0);const mb=(n)=>Math.round(n/1048576);process.stderr.write("\\nBENCH_CHILD "+JSON.stringify({ms:performance.now()-t0,rss:process.resourceUsage().maxRSS,cpuMs:Math.round((c.user+c.system)/1000),code,mem:{rssMb:mb(peak.rss),heapUsedMb:mb(peak.heapUsed),heapTotalMb:mb(peak.heapTotal),externalMb:mb(peak.external)}})+"\\n");`;
        const env: NodeJS.ProcessEnv = { ...process.env, SAMKIT_HOME: home, SAMKIT_CLOUD: "emulator", SAMKIT_EMULATOR_URL: url, SAMKIT_STORE: "file", SAMKIT_STORE_KEY: storeKey, SAMKIT_LOG_LEVEL: "silent", NO_COLOR: "1" };
        delete env["NODE_OPTIONS"];
        const c = await runChild(
          ["--input-type=module", "-e", wrapper, "foreach", "--customers", file, "--concurrency", String(concurrency), "--jsonl", "--", "api", "/v1.0/users", "-f", "$top=5"],
          env,
          capMs,
        );
        const m = /BENCH_CHILD (\{.*\})/.exec(c.err);
        const child = m
          ? (JSON.parse(m[1]!) as { ms: number; rss: number; cpuMs?: number; code: number; mem?: { rssMb: number; heapUsedMb: number; heapTotalMb: number; externalMb: number } })
          : { ms: c.ms, rss: 0, code: c.code ?? -1 };
        const records = c.out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as { ok: boolean; error?: { code: string; message: string } });
        const bad = records.filter((x) => !x.ok);
        r = {
          wallMs: child.ms,
          done: records.length,
          ok: records.length - bad.length,
          failed: bad.length,
          capped: c.code === null,
          peakRssKb: child.rss,
          ...(child.cpuMs !== undefined ? { cpuMs: child.cpuMs } : {}),
          sampleErrors: bad.slice(0, 3).map((x) => `${x.error?.code}: ${x.error?.message}`),
        };
        const mem = "mem" in child && child.mem ? `; at peak RSS ${child.mem.rssMb} MB: heap ${child.mem.heapUsedMb}/${child.mem.heapTotalMb} MB, external ${child.mem.externalMb} MB` : "";
        note = `exit ${child.code}; process ${(c.ms / 1000).toFixed(2)} s incl. node start${mem}`;
      } else {
        const input: FanoutBenchInput = {
          identityUrl: url,
          graphUrl: emu.info.graphUrl,
          partnerTenantId: w.partnerTenantId,
          clientId: w.samApp.clientId,
          clientSecret: w.samApp.clientSecret,
          refreshToken,
          tenants,
          concurrency,
          capMs,
          ...(variant === "samkit library" ? { home: await freshHome(), storeKey } : {}),
        };
        const file = variant === "samkit library" ? "samkit-library" : variant.startsWith("(a)") ? "openid-client" : "msal-node";
        const inputDir = mkdtempSync(join(tmpdir(), "samkit-bench-input-"));
        homes.push(inputDir);
        const inputFile = join(inputDir, "input.json");
        writeFileSync(inputFile, JSON.stringify(input), { mode: 0o600 });
        const env: NodeJS.ProcessEnv = { ...process.env, BENCH_FANOUT_INPUT_FILE: inputFile, SAMKIT_LOG_LEVEL: "silent" };
        delete env["NODE_OPTIONS"];
        const c = await runChild(["--import", "tsx", join(root, "bench", "baselines", "worker.ts"), file], env, capMs + 30_000);
        const line = c.out.split("\n").find((l) => l.startsWith("{"));
        if (!line) throw new Error(`${variant} worker failed (exit ${c.code}): ${c.err.slice(-600)}`);
        r = JSON.parse(line) as FanoutBenchResult;
      }
      const emuCpu1 = processCpuMs(emu.pid);
      const counts = await counter.stop();
      const idealMs = (tenants.length * 2 * LATENCY) / concurrency;
      const row: Row = {
        variant,
        tenants: tenants.length,
        concurrency,
        wallMs: Math.round(r.wallMs),
        idealMs: Math.round(idealMs),
        ratio: Number((r.wallMs / idealMs).toFixed(2)),
        peakRssMb: Math.round(r.peakRssKb / 1024),
        clientCpuMsPerTenant: r.cpuMs !== undefined ? Number((r.cpuMs / Math.max(1, r.done)).toFixed(2)) : null,
        emulatorCpuMsPerTenant: emuCpu0 !== undefined && emuCpu1 !== undefined ? Number(((emuCpu1 - emuCpu0) / Math.max(1, r.done)).toFixed(2)) : null,
        tokenRequests: counts.token,
        graphRequests: counts.graph,
        ok: r.ok,
        failed: r.failed,
        done: r.done,
        capped: r.capped,
        note: [note, r.capped ? `capped at ${capMs / 1000} s after ${r.done} tenants` : "", r.sampleErrors.length ? `e.g. ${r.sampleErrors[0]}` : ""].filter(Boolean).join("; "),
      };
      rows.push(row);
      process.stdout.write(
        `${row.variant.padEnd(16)} ${String(row.tenants).padStart(6)} c${String(row.concurrency).padEnd(3)} wall ${(row.wallMs / 1000).toFixed(2)} s  ideal ${(row.idealMs / 1000).toFixed(2)} s  ${row.ratio}×  RSS ${row.peakRssMb} MB  CPU/tenant client ${row.clientCpuMsPerTenant ?? "?"} ms, emulator ${row.emulatorCpuMsPerTenant ?? "?"} ms  tokens ${row.tokenRequests}  ok ${row.ok}/${row.tenants}${row.note ? `  (${row.note})` : ""}\n`,
      );
    };

    process.stdout.write(`\nfan-out compare: ${LATENCY} ms latency per request; node ${process.version}; ${cpus().length} CPUs (${cpus()[0]?.model ?? "?"}); load ${loadavg()[0]?.toFixed(1)}\n`);
    for (const s of sizes) {
      const tenants = healthy.slice(0, s.tenants);
      for (const v of ["(a) openid-client", "samkit library", "samkit foreach"].filter(wanted)) {
        if (performance.now() - started > RUN_CAP_MS * 4) break;
        await measure(v, tenants, s.concurrency, RUN_CAP_MS);
      }
    }
    for (const n of msalSizes) await measure("(b) msal-node", healthy.slice(0, n), 32, MSAL_CAP_MS);

    const msal = rows.filter((r) => r.variant === "(b) msal-node");
    if (msal.length > 1) {
      process.stdout.write(
        `msal-node growth: ${msal.map((r) => `${r.tenants} → ${(r.wallMs / Math.max(1, r.done)).toFixed(1)} ms/tenant (${r.ratio}× ideal${r.capped ? `, capped after ${r.done}` : ""})`).join("; ")}\n`,
      );
    }
    process.stdout.write(`load average after: ${loadavg()[0]?.toFixed(1)}\n`);
    process.stdout.write(`BENCH_JSON ${JSON.stringify({ latencyMs: LATENCY, rows })}\n`);
  } finally {
    emu.stop();
    for (const h of homes) rmSync(h, { recursive: true, force: true });
  }
}

await main();
