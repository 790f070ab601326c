/**
 * Hardening (issue 10): secret leak scan. Runs the main flows of the real CLI (`bin/samkit`, built
 * `dist/`) against an in-process emulator with `SAMKIT_LOG_LEVEL=debug`: app create, consent,
 * token, customers, api, foreach, status (+ --renew, --tenants), failures (AADSTS7000215 wrong
 * secret, an unconsented tenant), app rotate-secret. Users get canary passwords; the client
 * secrets and every refresh token the emulator issued are read back from the emulator and the
 * store. Then: zero hits in captured stdout/stderr (logs included) and in every file under
 * `SAMKIT_HOME` (the encrypted store holds them only as ciphertext); no plaintext JWT on disk;
 * the decrypted token cache holds access tokens only; the decrypted store keeps each secret under
 * its own name and nowhere else.
 */
import { spawn } from "node:child_process";
import { createDecipheriv, randomBytes } from "node:crypto";
import { readdirSync, readFileSync, rmSync, statSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorServer } from "../../emulator/server.js";
import { EncryptedFileStore } from "../../src/store/file/file-store.js";
import { readProfile } from "../../src/store/profile.js";
import { ensureBuilt, SAMKIT_BIN, ROOT } from "../helpers/cli.js";

interface Run {
  name: string;
  code: number | null;
  stdout: string;
  stderr: string;
}

let emu: EmulatorServer;
let url: string;
let home: string;
let env: Record<string, string>;
const runs: Run[] = [];
const canaryPasswords = [`CanaryPw-${randomBytes(9).toString("hex")}!`, `CanaryPw-${randomBytes(9).toString("hex")}!`];
const clientSecrets = new Set<string>();

/** Runs `samkit ...args`; when `approve` is given, approves the device code printed on stderr as that user. */
function samkit(name: string, args: string[], approve?: string, timeoutMs = 60_000, stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SAMKIT_BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
    child.stdin.end(stdin ?? "");
    let stdout = "";
    let stderr = "";
    let approved = false;
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      const m = /code ([A-Z0-9]{6,}) at /.exec(stderr);
      if (approve && m && !approved) {
        approved = true;
        void fetch(`${url}/_emulator/devicecode/approve`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ userCode: m[1], username: approve, mfa: true }),
        }).catch(reject);
      }
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code) => {
      clearTimeout(timer);
      const r = { name, code, stdout, stderr };
      runs.push(r);
      resolve(r);
    });
  });
}

async function control(path: string, body: unknown): Promise<void> {
  const r = await fetch(`${url}/_emulator/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

async function rememberClientSecret(): Promise<void> {
  const p = await readProfile(new EncryptedFileStore({ home, storeKey: env["SAMKIT_STORE_KEY"]! }), "default", { defaultCloud: "emulator" });
  if (p?.clientSecret) clientSecrets.add(p.clientSecret);
}

beforeAll(async () => {
  ensureBuilt();
  emu = new EmulatorServer({ seedCustomers: 8 });
  url = (await emu.start()).url;
  home = mkdtempSync(join(tmpdir(), "samkit-leak-"));
  env = {
    SAMKIT_HOME: home,
    SAMKIT_STORE_KEY: randomBytes(32).toString("base64"),
    SAMKIT_CLOUD: "emulator",
    SAMKIT_EMULATOR_URL: url,
    SAMKIT_LOG_LEVEL: "debug",
    SAMKIT_NO_BROWSER: "1",
    NO_COLOR: "1",
  };
  const w = emu.context.world;
  await control("users/password", { username: w.adminUpn, password: canaryPasswords[0] });
  await control("users/password", { username: w.serviceAccountUpn, password: canaryPasswords[1] });
  clientSecrets.add(w.samAppSecret);

  const created = await samkit("app create", ["app", "create", "--name", "leak scan app", "--device-code", "--json"], w.adminUpn, 90_000);
  expect(created.code, created.stderr).toBe(0);
  await rememberClientSecret();
  // Adopt the seeded SAM app (consented in the partner tenant and the healthy customers).
  const used = await samkit("app use", ["app", "use", "--client-id", w.samAppId, "--tenant", w.partnerTenantId, "--client-secret-stdin", "--json"], undefined, 60_000, w.samAppSecret);
  expect(used.code, used.stderr).toBe(0);
  const consent = await samkit("consent", ["consent", "--device-code", "--json"], w.serviceAccountUpn, 90_000);
  expect(consent.code, consent.stderr).toBe(0);

  const customers = w.customerList;
  const healthy = customers.filter((c) => c.seededState === "healthy").map((c) => c.tenantId);
  const unconsented = customers.find((c) => c.seededState === "no-consent")!.tenantId;
  await Promise.all([
    samkit("token", ["token", "--resource", "graph"]),
    samkit("token --json", ["token", "--resource", "partner-center", "--json"]),
    samkit("customers list", ["customers", "list", "--json"]),
  ]);
  await Promise.all([
    samkit("api", ["api", "/v1.0/users", "--tenant", healthy[0]!]),
    samkit("api (unconsented tenant)", ["api", "/v1.0/users", "--tenant", unconsented]),
    samkit("foreach", ["foreach", "--jsonl", "--concurrency", "4", "--", "api", "/v1.0/users", "-f", "$top=1"]),
    samkit("status", ["status", "--json", "--tenants"]),
  ]);
  await samkit("status --renew", ["status", "--renew", "--json"]);
  // The identity platform refuses the client secret once (AADSTS7000215): error paths log too.
  await control("scenarios", { aadsts: 7000215, times: 1 });
  const refused = await samkit("token (7000215)", ["token", "--resource", "arm", "--tenant", healthy[1]!]);
  expect(refused.code).not.toBe(0);
  const rotated = await samkit("app rotate-secret", ["app", "rotate-secret", "--device-code", "--json"], w.adminUpn, 90_000);
  expect(rotated.code, rotated.stderr).toBe(0);
  await rememberClientSecret();
  await samkit("token after rotation", ["token", "--resource", "arm", "--json"]);
}, 240_000);

afterAll(async () => {
  await emu?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe("secret leak scan", () => {
  const secrets = (): { kind: string; value: string }[] => [
    ...canaryPasswords.map((value) => ({ kind: "password", value })),
    ...[...clientSecrets].map((value) => ({ kind: "client secret", value })),
    ...[...emu.context.identity.refreshTokens.keys()].map((value) => ({ kind: "refresh token", value })),
  ];

  it("collected what it scans for", () => {
    expect(clientSecrets.size).toBeGreaterThanOrEqual(3); // seeded app, created app, rotated secret
    expect(emu.context.identity.refreshTokens.size).toBeGreaterThan(5);
    expect(runs.length).toBeGreaterThanOrEqual(12);
    // debug logging really was on: something was logged
    expect(runs.map((r) => r.stderr).join("").length).toBeGreaterThan(200);
  });

  it("no secret in any command's stdout or stderr (debug logs and error messages included)", () => {
    const hits: string[] = [];
    for (const r of runs) for (const s of secrets()) for (const [stream, text] of [["stdout", r.stdout], ["stderr", r.stderr]] as const) if (text.includes(s.value)) hits.push(`${s.kind} in ${r.name} ${stream}`);
    expect(hits).toEqual([]);
    // and no stack trace reached the user
    for (const r of runs) expect(r.stderr, r.name).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  });

  it("no secret and no plaintext JWT in any file under SAMKIT_HOME; files 0600, folders 0700", () => {
    const files = filesUnder(home);
    expect(files.length).toBeGreaterThan(2);
    const hits: string[] = [];
    for (const f of files) {
      const text = readFileSync(f).toString("latin1");
      for (const s of secrets()) if (text.includes(s.value)) hits.push(`${s.kind} in ${f}`);
      if (/eyJ[A-Za-z0-9_-]{10,}\.eyJ/.test(text)) hits.push(`JWT in ${f}`);
      expect((statSync(f).mode & 0o077).toString(8), f).toBe("0");
    }
    expect(hits).toEqual([]);
  });

  it("the decrypted token cache holds access tokens only", () => {
    const dir = join(home, "cache", "default", "tokens");
    const keyRaw = readFileSync(join(dir, "key"));
    const key = keyRaw.length === 32 ? keyRaw : Buffer.from(keyRaw.toString("utf8").trim(), "base64");
    expect(key.length).toBe(32);
    const entries = readdirSync(dir).filter((f) => f.endsWith(".tok"));
    expect(entries.length).toBeGreaterThan(2);
    for (const f of entries) {
      const blob = readFileSync(join(dir, f));
      // SKT1 | 12-byte IV | 16-byte tag | ciphertext (src/broker/disk-cache.ts); GCM is CTR underneath,
      // so update() yields the plaintext without the key-string AAD.
      const d = createDecipheriv("aes-256-gcm", key, blob.subarray(4, 16));
      const plain = d.update(blob.subarray(32)).toString("utf8");
      expect(plain, f).toMatch(/"t":"eyJ/);
      for (const s of secrets()) expect(plain.includes(s.value), `${s.kind} in cache ${f}`).toBe(false);
    }
  });

  it("the decrypted store keeps each secret under its own name only", async () => {
    const store = new EncryptedFileStore({ home, storeKey: env["SAMKIT_STORE_KEY"]! });
    const names = await store.list();
    expect(names.length).toBeGreaterThan(2);
    const misplaced: string[] = [];
    const found = new Set<string>();
    for (const name of names) {
      const v = await store.get(name);
      const blob = `${v?.value ?? ""}\n${JSON.stringify(v?.tags ?? {})}`;
      for (const s of secrets()) {
        if (!blob.includes(s.value)) continue;
        found.add(s.kind);
        const allowed = (s.kind === "refresh token" && /RefreshToken/i.test(name)) || (s.kind === "client secret" && /ApplicationSecret/i.test(name));
        if (!allowed || (v?.tags && JSON.stringify(v.tags).includes(s.value))) misplaced.push(`${s.kind} in ${name}`);
      }
      if (isPassword(blob)) misplaced.push(`password in ${name}`);
    }
    expect(misplaced).toEqual([]);
    // The scan sees real values: the store does hold the current refresh token and client secret.
    expect([...found].sort()).toEqual(["client secret", "refresh token"]);
  });
});

function isPassword(text: string): boolean {
  return canaryPasswords.some((p) => text.includes(p));
}
