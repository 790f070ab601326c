/**
 * Benchmark (prints numbers; not a test): whole-process wall time of `samkit token --resource graph`
 * answered from the warm encrypted disk cache, against bare `node -e 0` and an MSAL Node reference
 * CLI doing the same job (bench/reference/msal-token-cli.ts). Runs are taken in turns, median of
 * BENCH_ROUNDS (default 15), with NODE_EXTRA_CA_CERTS and NODE_OPTIONS unset in the children.
 * Target (issue 7): samkit ≤ 3.0 × bare node.
 *
 *   npm run build && npx tsx bench/token-cli.ts
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import ts from "typescript";
import { EmulatorServer } from "../emulator/index.js";
import { deviceCodeRefreshToken, homeWithProfile, takeTokenRequests, world } from "../test/integration/broker-helpers.js";

const root = resolve(import.meta.dirname, "..");
const rounds = Number(process.env["BENCH_ROUNDS"] ?? "15");
const samkitMain = join(root, "dist", "src", "cli", "main.js");
if (!existsSync(samkitMain)) {
  process.stderr.write("dist/ is missing: run `npm run build` first.\n");
  process.exit(1);
}

function run(args: readonly string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"], cwd: root });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => done({ ms: Number(process.hrtime.bigint() - t0) / 1e6, code, out, err }));
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const server = new EmulatorServer({ seedCustomers: 4 });
const emu = await server.start();
const w = await world(emu);
const { home } = await homeWithProfile(emu, w);
const outDir = join(root, "bench", ".out");
mkdirSync(outDir, { recursive: true });
try {
  const baseEnv: NodeJS.ProcessEnv = { ...process.env };
  delete baseEnv["NODE_EXTRA_CA_CERTS"];
  delete baseEnv["NODE_OPTIONS"];
  const samkitEnv = { ...baseEnv, SAMKIT_HOME: home, SAMKIT_CLOUD: "emulator", SAMKIT_EMULATOR_URL: emu.url, SAMKIT_LOG_LEVEL: "silent" };
  const samkitArgs = [join(root, "bin", "samkit"), "token", "--resource", "graph"];

  // MSAL reference: transpile to plain JS (no loader at run time), seed its cache once.
  const src = readFileSync(join(root, "bench", "reference", "msal-token-cli.ts"), "utf8");
  const js = ts.transpileModule(src, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const msalFile = join(outDir, "msal-token-cli.mjs");
  writeFileSync(msalFile, js);
  const msalEnv = {
    ...baseEnv,
    EMU_URL: emu.url,
    TENANT: emu.partnerTenantId,
    CLIENT_ID: w.samApp.clientId,
    CLIENT_SECRET: w.samApp.clientSecret,
    REFRESH_TOKEN: await deviceCodeRefreshToken(emu, w),
    CACHE_FILE: join(home, "msal-cache.json"),
  };

  // Warm both caches.
  const warm = await run(samkitArgs, samkitEnv);
  if (warm.code !== 0) throw new Error(`samkit token failed: ${warm.err}`);
  const seed = await run([msalFile, "--seed"], msalEnv);
  if (seed.code !== 0) throw new Error(`msal seed failed: ${seed.err}`);
  const check = await run([msalFile], msalEnv);
  if (check.code !== 0 || check.out.split(".").length !== 3) throw new Error(`msal warm run failed: ${check.err}`);
  await takeTokenRequests(emu);

  const times = { node: [] as number[], samkit: [] as number[], msal: [] as number[] };
  for (let i = 0; i < rounds; i++) {
    times.node.push((await run(["-e", "0"], baseEnv)).ms);
    const s = await run(samkitArgs, samkitEnv);
    if (s.code !== 0 || s.out.trim().split(".").length !== 3) throw new Error(`samkit run ${i} failed: ${s.err}`);
    times.samkit.push(s.ms);
    const m = await run([msalFile], msalEnv);
    if (m.code !== 0) throw new Error(`msal run ${i} failed: ${m.err}`);
    times.msal.push(m.ms);
  }
  const tokenRequests = (await takeTokenRequests(emu)).length;
  const node = median(times.node);
  const samkit = median(times.samkit);
  const msal = median(times.msal);
  const fmt = (x: number): string => `${x.toFixed(1)} ms`;
  process.stdout.write(
    [
      `samkit token --resource graph, warm disk cache — median of ${rounds} runs in turns (Node ${process.version}, NODE_EXTRA_CA_CERTS unset)`,
      `  node -e 0                      ${fmt(node)}`,
      `  samkit token --resource graph  ${fmt(samkit)}   ${(samkit / node).toFixed(2)}× node   (target ≤ 3.00×)`,
      `  MSAL Node reference CLI        ${fmt(msal)}   ${(msal / node).toFixed(2)}× node`,
      `  token requests during timed runs: ${tokenRequests} (expected 0: all answered from cache)`,
      "",
    ].join("\n"),
  );
  process.stdout.write(`${JSON.stringify({ rounds, nodeMs: node, samkitMs: samkit, msalMs: msal, samkitRatio: samkit / node, msalRatio: msal / node, tokenRequests })}\n`);
} finally {
  await server.stop();
  rmSync(home, { recursive: true, force: true });
}
