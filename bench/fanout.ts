/**
 * Benchmark (prints numbers; not a test): `samkit foreach --jsonl -- api /v1.0/users -f '$top=5'`
 * over every customer of an emulator started as a separate process with injected latency. The
 * measured run is the built CLI (`dist/src/cli/main.js`) in a plain Node child, as users run it:
 * context, encrypted file store, token broker (with its disk cache), HTTP seam, fan-out runner.
 *
 *   npm run build
 *   npx tsx bench/fanout.ts                       # 1,000 customers, 50 ms latency, concurrency 32
 *   npx tsx bench/fanout.ts --customers 10000 --concurrency 64
 *   npx tsx bench/fanout.ts --cpu-prof /tmp/prof  # plus a CPU profile of the samkit process
 *
 * Prints wall time of the fan-out, the ideal (requests × latency ÷ concurrency, with one token
 * request and one Graph call per tenant), their ratio, peak RSS of this process, the token
 * requests the emulator saw, and whether every tenant ended with the outcome its seeded state
 * calls for (healthy → ok; the deliberately broken ones → a catalogue error). It also prints this
 * process's CPU time and the machine's load average: on a shared machine the wall time is only
 * meaningful next to them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { FanoutRecord } from "../src/fanout/types.js";
import { EncryptedFileStore } from "../src/store/file/file-store.js";
import { writeProfile } from "../src/store/profile.js";

const { values } = parseArgs({
  options: {
    customers: { type: "string", default: "1000" },
    "latency-ms": { type: "string", default: "50" },
    concurrency: { type: "string", default: "32" },
    /** Write a V8 CPU profile of the samkit process into this folder. */
    "cpu-prof": { type: "string" },
  },
});
const CUSTOMERS = Number(values.customers);
const LATENCY_MS = Number(values["latency-ms"]);
const CONCURRENCY = Number(values.concurrency);
const root = join(dirname(fileURLToPath(import.meta.url)), "..");

interface Cloud {
  url: string;
  authorityHost: string;
}
interface World {
  partnerTenantId: string;
  samApp: { clientId: string; clientSecret: string };
  customers: { tenantId: string; state: string }[];
}

/** Start `samkit-emulator start` (through tsx) and wait for its ready line. */
async function startEmulator(): Promise<{ proc: ChildProcess; cloud: Cloud }> {
  const proc = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "--input-type=module",
      "-e",
      `const m = await import(${JSON.stringify(join(root, "emulator", "main.ts"))}); process.exitCode = await m.main(process.argv.slice(1));`,
      "start",
      "--port",
      "0",
      "--seed-customers",
      String(CUSTOMERS),
      "--latency-ms",
      String(LATENCY_MS),
    ],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  const lines = createInterface({ input: proc.stdout });
  for await (const line of lines) {
    if (line.trim().startsWith("{")) {
      lines.close();
      return { proc, cloud: JSON.parse(line) as Cloud };
    }
  }
  throw new Error("the emulator exited before it was ready");
}

async function json(url: string, init?: RequestInit): Promise<unknown> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${url}: ${res.status} ${text.slice(0, 200)}`);
  return text === "" ? undefined : (JSON.parse(text) as unknown);
}
const form = (body: Record<string, string>): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(body),
});

/** Consent the emulator's ready-made SAM app with MFA (device code approved via the control API) and store it. */
async function consent(cloud: Cloud, world: World, home: string, storeKey: string): Promise<void> {
  const authority = `${cloud.authorityHost}/${world.partnerTenantId}/oauth2/v2.0`;
  const dc = (await json(
    `${authority}/devicecode`,
    form({
      client_id: world.samApp.clientId,
      scope: "https://api.partnercenter.microsoft.com/user_impersonation offline_access openid profile",
    }),
  )) as Record<string, string>;
  await json(`${cloud.url}/_emulator/devicecode/approve`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ userCode: dc["user_code"], mfa: true }),
  });
  const tok = (await json(
    `${authority}/token`,
    form({
      grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      client_id: world.samApp.clientId,
      client_secret: world.samApp.clientSecret,
      device_code: dc["device_code"]!,
    }),
  )) as Record<string, string>;
  await writeProfile(new EncryptedFileStore({ home, storeKey }), {
    profile: "default",
    cloud: "emulator",
    tenantId: world.partnerTenantId,
    clientId: world.samApp.clientId,
    clientSecret: world.samApp.clientSecret,
    refreshToken: tok["refresh_token"]!,
    metadata: { consentedAt: new Date().toISOString(), mfaAtConsent: true },
  });
}

/** What the measured child reports on its last stderr line. */
interface ChildStats {
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly peakRssKb: number;
  readonly rssAtStartKb: number;
  readonly exitCode: number;
}

/**
 * Run the built CLI (`dist/src/cli/main.js`) in a plain Node child — no tsx loader hooks, as users
 * run it — streaming stdout lines to `onLine`; the child reports its own wall time (from after
 * start-up), CPU time and peak RSS on its last stderr line.
 */
async function runCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void,
): Promise<{ stats: ChildStats; stderr: string }> {
  const mainJs = join(root, "dist", "src", "cli", "main.js");
  if (!existsSync(mainJs))
    throw new Error("build first: npm run build (the benchmark runs dist/src/cli/main.js)");
  const wrapper = [
    `const rssAtStartKb = Math.round(process.memoryUsage().rss / 1024);`,
    `const { main } = await import(${JSON.stringify(pathToFileURL(mainJs).href)});`,
    `const c0 = process.cpuUsage(); const t0 = performance.now();`,
    `const exitCode = await main(process.argv.slice(1));`,
    `const c = process.cpuUsage(c0);`,
    `process.stderr.write("\\n" + JSON.stringify({ wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, peakRssKb: process.resourceUsage().maxRSS, rssAtStartKb, exitCode }) + "\\n");`,
    `process.exitCode = exitCode;`,
  ].join("\n");
  const prof = values["cpu-prof"] !== undefined ? ["--cpu-prof", `--cpu-prof-dir=${values["cpu-prof"]}`] : [];
  const child = spawn(process.execPath, [...prof, "--input-type=module", "-e", wrapper, ...args], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  for await (const line of createInterface({ input: child.stdout })) onLine(line);
  await new Promise((resolve) => child.once("close", resolve));
  const lines = stderr.trim().split("\n");
  const stats = JSON.parse(lines.pop() ?? "{}") as ChildStats;
  return { stats, stderr: lines.join("\n") };
}

const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;

async function main(): Promise<void> {
  const { proc, cloud } = await startEmulator();
  const home = await mkdtemp(join(tmpdir(), "samkit-bench-fanout-"));
  try {
    const world = (await json(`${cloud.url}/_emulator/world`)) as World;
    const storeKey = randomBytes(32).toString("base64");
    await consent(cloud, world, home, storeKey);
    const env = {
      ...process.env,
      SAMKIT_HOME: home,
      SAMKIT_CLOUD: "emulator",
      SAMKIT_EMULATOR_URL: cloud.url,
      SAMKIT_STORE: "file",
      SAMKIT_STORE_KEY: storeKey,
      SAMKIT_LOG_LEVEL: "silent",
    };

    const expected = new Map(world.customers.map((c) => [c.tenantId, c.state === "healthy"]));
    let records = 0;
    let asExpected = 0;
    const mismatches: string[] = [];
    const codes = new Map<string, number>();
    const onRecord = (line: string): void => {
      if (line.trim() === "") return;
      const r = JSON.parse(line) as FanoutRecord<unknown>;
      records++;
      if (expected.get(r.tenantId) === r.ok) asExpected++;
      else if (mismatches.length < 5) mismatches.push(`${r.tenantId} ok=${r.ok}`);
      if (!r.ok) codes.set(r.error.code, (codes.get(r.error.code) ?? 0) + 1);
    };

    await json(`${cloud.url}/_emulator/requests`, { method: "DELETE" });
    const loadBefore = loadavg()[0] ?? 0;
    const run = await runCli(
      [
        "foreach",
        "--jsonl",
        "--no-progress",
        "--concurrency",
        String(CONCURRENCY),
        "--",
        "api",
        "/v1.0/users",
        "-f",
        "$top=5",
      ],
      env,
      onRecord,
    );
    const loadAfter = loadavg()[0] ?? 0;
    const { wallMs, peakRssKb, cpuMs, rssAtStartKb, exitCode } = run.stats;
    const summaryLine = run.stderr;

    const log = (await json(`${cloud.url}/_emulator/requests`)) as
      { service: string; path: string }[] | { requests: { service: string; path: string }[] };
    const reqs = Array.isArray(log) ? log : log.requests;
    const tokenRequests = reqs.filter((r) => r.service === "identity" && r.path.endsWith("/token")).length;
    const listPages = reqs.filter((r) => r.service === "partner-center").length;
    // Ideal: per tenant one token request and one Graph call, each `latency`, `concurrency` at a time,
    // plus the Partner Center customer pages, which are sequential.
    const idealMs = (CUSTOMERS * 2 * LATENCY_MS) / CONCURRENCY + listPages * LATENCY_MS;

    const row = (k: string, v: string): void => void process.stdout.write(`${k.padEnd(22)} ${v}\n`);
    process.stdout.write(
      `\nsamkit foreach: ${CUSTOMERS} customers, ${LATENCY_MS} ms latency per request, concurrency ${CONCURRENCY} (node ${process.version})\n`,
    );
    row("wall time", `${(wallMs / 1000).toFixed(2)} s`);
    row(
      "ideal",
      `${(idealMs / 1000).toFixed(2)} s  (${CUSTOMERS} × 2 requests × ${LATENCY_MS} ms ÷ ${CONCURRENCY} + ${listPages} customer pages × ${LATENCY_MS} ms)`,
    );
    row("ratio", `${(wallMs / idealMs).toFixed(2)}× ideal`);
    row("peak RSS", `${mb(peakRssKb)} (the samkit process; ${mb(rssAtStartKb)} after Node start-up)`);
    row("samkit CPU", `${(cpuMs / 1000).toFixed(2)} s (the samkit process; the emulator runs in another)`);
    row("exit code", `${exitCode} (3: some tenants failed, as the broken seeded customers should)`);
    row(
      "machine load",
      `${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)} (1-min load average, ${cpus().length} CPUs)`,
    );
    row("token requests", `${tokenRequests}${reqs.length >= 20_000 ? " (request log full: at least)" : ""}`);
    row(
      "records",
      `${records}; ${asExpected} with the outcome their seeded state calls for${mismatches.length ? `; e.g. ${mismatches.join(", ")}` : ""}`,
    );
    row("failures by code", [...codes].map(([c, n]) => `${c} ${n}`).join(", ") || "none");
    row("summary", summaryLine.trim().split("\n")[0] ?? "");
  } finally {
    proc.kill("SIGTERM");
    await rm(home, { recursive: true, force: true });
  }
}

await main();
