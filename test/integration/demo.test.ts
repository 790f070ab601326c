/**
 * `npm run demo` as a newcomer runs it: build, then `node dist/scripts/demo.js` in a child process.
 * Asserts exit 0, the narration of every step, that the broken customers show next steps, and
 * that a temporary SAMKIT_HOME is cleaned up while a given one is used (profile `demo`) and kept.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const demo = join(root, "dist", "scripts", "demo.js");

function run(
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [demo], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 110_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, ms: Date.now() - started });
    });
  });
}

let home: string;
beforeAll(() => {
  // Build first, as `npm ci` (prepare) does. tsc emits even when another area has a type error,
  // so only a missing output fails the test here.
  spawnSync(
    process.execPath,
    [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")],
    { cwd: root, stdio: "ignore" },
  );
  expect(existsSync(demo)).toBe(true);
}, 180_000);
afterAll(async () => {
  if (home) await rm(home, { recursive: true, force: true });
});

const baseEnv = (): Record<string, string | undefined> => {
  const env: Record<string, string | undefined> = {
    ...process.env,
    NO_COLOR: "1",
    SAMKIT_LOG_LEVEL: "silent",
  };
  for (const k of [
    "SAMKIT_HOME",
    "SAMKIT_PROFILE",
    "SAMKIT_CLOUD",
    "SAMKIT_EMULATOR_URL",
    "SAMKIT_STORE",
    "SAMKIT_STORE_KEY",
    "SAMKIT_TEST_NOW",
  ])
    delete env[k];
  return env;
};

describe("npm run demo", () => {
  it("walks the whole Secure Application Model and exits 0", async () => {
    // A private TMPDIR, so other demo runs on the machine cannot make the clean-up check flaky.
    const tmp = await mkdtemp(join(tmpdir(), "samkit-demo-test-tmp-"));
    const r = await run({ ...baseEnv(), TMPDIR: tmp });
    expect(r.err).toBe("");
    expect(r.code, r.out).toBe(0);
    const o = r.out;
    for (const heading of [
      "[1/9] Start the offline Microsoft cloud",
      "[2/9] Register the multi-tenant SAM app",
      "[3/9] Consent once, with MFA: the refresh token",
      "[4/9] The secret store",
      "[5/9] Access tokens from the stored refresh token",
      "[6/9] Customers from Partner Center",
      "[7/9] Consent the new app in customer tenants (CPV)",
      "[8/9] Five users from every customer tenant",
      "[9/9] Health check and keep-alive",
    ]) {
      expect(o).toContain(heading);
    }
    expect(o).toMatch(/approved in the emulator as admin@/);
    expect(o).toMatch(/MFA: yes \(amr: pwd, mfa\)/);
    expect(o).toMatch(/Secrets \(names only.*\): .*ApplicationID.*RefreshToken/);
    for (const aud of [
      "https://api.partnercenter.microsoft.com",
      "https://graph.microsoft.com",
      "https://management.azure.com",
    ])
      expect(o).toContain(`aud=${aud}`);
    expect(o).toMatch(/25 customers/);
    expect(o).toMatch(/has never seen the new app: no Graph token: .*AADSTS65001/);
    expect(o).toMatch(/now: a Graph token is issued/);
    expect(o).toMatch(/25 tenants finished in [\d.]+ s: \d+ ok, [1-9]\d* failed/);
    expect(o).toMatch(/^\s+next step: /m);
    expect(o).toContain("foreach exit code 3");
    expect(o).toMatch(/renewed\s+yes, stored a new refresh token/);
    expect(o).toMatch(/Done in [\d.]+ s\./);
    // no escapes when NO_COLOR / not a TTY
    expect(o).not.toContain("\x1b[");
    // the temporary SAMKIT_HOME is removed
    const after = (await readdir(tmp)).filter((n) => n.startsWith("samkit-demo-"));
    expect(after).toEqual([]);
    await rm(tmp, { recursive: true, force: true });
    console.log(`demo wall time: ${(r.ms / 1000).toFixed(1)} s`);
  }, 120_000);

  it("uses SAMKIT_HOME when set, with profile 'demo', and keeps it", async () => {
    home = await mkdtemp(join(tmpdir(), "samkit-demo-home-"));
    const r = await run({ ...baseEnv(), SAMKIT_HOME: home });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain(`SAMKIT_HOME=${home} (yours; profile 'demo')`);
    expect(r.out).toMatch(/samkit status — profile demo/);
    expect(existsSync(join(home, "store.enc"))).toBe(true);
  }, 120_000);
});
