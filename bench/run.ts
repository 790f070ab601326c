/**
 * `npm run bench`: builds (the npm script does), then runs every benchmark in bench/ with tsx,
 * one after the other, each bounded in time, streams their output, and prints one table of
 * results at the end. Benchmarks print numbers; none of them is a pass/fail test.
 *
 *   npm run bench
 *   BENCH_ONLY=fanout-compare,prod-tree npm run bench      # a subset
 *   BENCH_FANOUT_10K=1 npm run bench                       # adds the 10,000-tenant fan-out
 *
 * Each bench is killed after its time cap (BENCH_TIMEOUT_SCALE multiplies them all).
 */
import { spawn } from "node:child_process";
import { cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const scale = Number(process.env["BENCH_TIMEOUT_SCALE"] ?? "1");
const only = process.env["BENCH_ONLY"]?.split(",").map((s) => s.trim());

interface Row {
  bench: string;
  metric: string;
  value: string;
  target?: string;
}
interface Bench {
  name: string;
  file: string;
  args?: string[];
  timeoutMs: number;
  summarize: (out: string) => Row[];
}

/** The last line of `out` starting with `{` (or `BENCH_JSON {`), parsed. */
function lastJson(out: string): Record<string, unknown> | undefined {
  const lines = out.split("\n").map((l) => l.replace(/^BENCH_JSON /, "").trim());
  const line = lines.reverse().find((l) => l.startsWith("{") && l.endsWith("}"));
  if (!line) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
const num = (v: unknown, digits = 0): string => (typeof v === "number" ? v.toFixed(digits) : "?");

const benches: Bench[] = [
  {
    name: "token-cli",
    file: "token-cli.ts",
    timeoutMs: 180_000,
    summarize: (out) => {
      const j = lastJson(out);
      if (!j) return [];
      return [
        { bench: "token-cli", metric: "samkit token (warm) ÷ node -e 0", value: `${num(j["samkitRatio"], 2)}× (${num(j["samkitMs"])} vs ${num(j["nodeMs"])} ms)`, target: "≤ 3.0×" },
        { bench: "token-cli", metric: "MSAL reference CLI ÷ node -e 0", value: `${num(j["msalRatio"], 2)}× (${num(j["msalMs"])} ms)`, target: "ref 5.1×" },
      ];
    },
  },
  {
    name: "broker-lookup",
    file: "broker-lookup.ts",
    // Writes 10,000 encrypted cache entries first: minutes on a loaded machine.
    timeoutMs: 300_000,
    summarize: (out) => {
      const m = /ratio 10,000\/10: memory ([\d.]+)×, disk ([\d.]+)×/.exec(out);
      return m ? [{ bench: "broker-lookup", metric: "lookup cost 10,000 ÷ 10 cached tenants", value: `memory ${m[1]}×, disk ${m[2]}×`, target: "≈ 1×" }] : [];
    },
  },
  {
    name: "emulator-startup",
    file: "emulator-startup.ts",
    timeoutMs: 120_000,
    summarize: (out) => {
      const j = lastJson(out);
      if (!j) return [];
      return [
        { bench: "emulator-startup", metric: "start, 10,000 customers (cold)", value: `${num(j["startColdMs"])} ms, RSS ${num(j["rssAfterStartMB"])} MB`, target: "< 5000 ms, < 300 MB" },
        { bench: "emulator-startup", metric: "token endpoint (in-process client)", value: `${num(j["tokensPerSecond"])} tokens/s` },
      ];
    },
  },
  {
    name: "emulator-capacity",
    file: "emulator-capacity.ts",
    timeoutMs: 120_000,
    summarize: (out) => {
      const j = lastJson(out);
      return j ? [{ bench: "emulator-capacity", metric: "token requests/s, emulator pinned to one core", value: `${num(j["tokensPerSecond"])} /s (${num(j["failed"])} failed)` }] : [];
    },
  },
  {
    name: "fanout-compare",
    file: "fanout-compare.ts",
    timeoutMs: process.env["BENCH_FANOUT_10K"] === "1" ? 1_800_000 : 600_000,
    summarize: (out) => {
      const j = lastJson(out) as { rows?: { variant: string; tenants: number; concurrency: number; wallMs: number; ratio: number; peakRssMb: number; tokenRequests: number; ok: number; done: number; capped: boolean }[] } | undefined;
      return (j?.rows ?? []).map((r) => ({
        bench: "fanout-compare",
        metric: `${r.variant}, ${r.tenants} tenants, c${r.concurrency}`,
        value: `${(r.wallMs / 1000).toFixed(2)} s = ${r.ratio}× ideal, ${r.peakRssMb} MB, ${r.tokenRequests} token req, ${r.ok}/${r.tenants} ok${r.capped ? ` (capped after ${r.done})` : ""}`,
        ...(r.variant.startsWith("samkit") ? { target: r.tenants >= 10_000 ? "≤ 1.15×, ≤ 250 MB" : "≤ 1.10×, ≤ 120 MB" } : {}),
      }));
    },
  },
  {
    name: "fanout",
    file: "fanout.ts",
    timeoutMs: 300_000,
    summarize: (out) => {
      const wall = /wall time\s+(.*)/.exec(out)?.[1];
      const ratio = /ratio\s+(.*)/.exec(out)?.[1];
      const rss = /peak RSS\s+(\S+ MB)/.exec(out)?.[1];
      return wall ? [{ bench: "fanout", metric: "samkit foreach in-process, 1,000 tenants, c32 (customers from Partner Center)", value: `${wall}, ${ratio ?? "?"}, ${rss ?? "?"}` }] : [];
    },
  },
  {
    name: "prod-tree",
    file: "prod-tree.ts",
    timeoutMs: 240_000,
    summarize: (out) => {
      const j = lastJson(out);
      return j ? [{ bench: "prod-tree", metric: `production tree (${String(j["method"])})`, value: `${num(j["mb"], 1)} MB, ${num(j["packages"])} packages, ${num(j["files"])} files` }] : [];
    },
  },
];

function runOne(b: Bench): Promise<{ out: string; code: number | null; ms: number; timedOut: boolean }> {
  return new Promise((done) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "bench", b.file), ...(b.args ?? [])], { cwd: root, stdio: ["ignore", "pipe", "inherit"], detached: true });
    let out = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      process.stdout.write(d);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      // The bench and whatever it spawned (emulators, workers): its own process group.
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    }, b.timeoutMs * scale);
    child.on("close", (code) => {
      clearTimeout(timer);
      done({ out, code, ms: performance.now() - t0, timedOut });
    });
  });
}

const rows: Row[] = [];
const started = new Date();
for (const b of benches) {
  if (only && !only.includes(b.name)) continue;
  process.stdout.write(`\n=== ${b.name} (bench/${b.file}, cap ${Math.round((b.timeoutMs * scale) / 1000)} s) ===\n`);
  const r = await runOne(b);
  const summary = b.summarize(r.out);
  if (r.timedOut || r.code !== 0 || summary.length === 0) {
    rows.push({ bench: b.name, metric: "run", value: r.timedOut ? `killed after ${Math.round(r.ms / 1000)} s` : `exit ${r.code}${summary.length === 0 ? ", no numbers" : ""}` });
  }
  rows.push(...summary);
}

const cpu = cpus()[0]?.model ?? "?";
process.stdout.write(
  `\n=== results: ${started.toISOString()}, node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} ===\n`,
);
const w = [Math.max(...rows.map((r) => r.bench.length), 5), Math.max(...rows.map((r) => r.metric.length), 6), Math.max(...rows.map((r) => r.value.length), 5)];
const line = (a: string, b: string, c: string, d: string): string => `| ${a.padEnd(w[0]!)} | ${b.padEnd(w[1]!)} | ${c.padEnd(w[2]!)} | ${d} |\n`;
process.stdout.write(line("bench", "metric", "value", "target"));
process.stdout.write(`|${"-".repeat(w[0]! + 2)}|${"-".repeat(w[1]! + 2)}|${"-".repeat(w[2]! + 2)}|---|\n`);
for (const r of rows) process.stdout.write(line(r.bench, r.metric, r.value, r.target ?? ""));
