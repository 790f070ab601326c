/**
 * `samkit store migrate`, `samkit profile list|delete` end to end: the real CLI entry in-process,
 * the encrypted file store on disk, and the emulator's Key Vault over HTTPS with the default
 * credential pointed at the emulator. Also scans every byte of output and the store file for
 * the secret values.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Agent, fetch } from "undici";
import { EmulatorServer } from "../../emulator/server.js";
import type { EmulatorCloudInfo } from "../../emulator/context.js";
import { EmulatorTestCredential } from "../../emulator/test-credential.js";
import { main } from "../../src/cli/main.js";
import { EncryptedFileStore } from "../../src/store/file/file-store.js";
import { KeyVaultStore } from "../../src/store/keyvault/keyvault-store.js";
import { readProfile, writeProfile } from "../../src/store/profile.js";

const REFRESH_TOKEN = `0.AXoA-canary-${randomBytes(24).toString("base64url")}`;
const CLIENT_SECRET = `canary~${randomBytes(18).toString("base64url")}`;
const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT = "11111111-2222-3333-4444-555555555555";

let emu: EmulatorServer;
let cloud: EmulatorCloudInfo;
let home: string;
let ca: string;
const output: string[] = [];
const savedEnv = { ...process.env };

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = vi
    .spyOn(process.stdout, "write")
    .mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi
    .spyOn(process.stderr, "write")
    .mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  let code: number;
  try {
    process.exitCode = undefined;
    code = await main(argv);
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
  output.push(stdout, stderr);
  return { code, stdout, stderr };
}

const CHILD = new URL("./store-cli.child.ts", import.meta.url).pathname;
const ROOT = new URL("../..", import.meta.url).pathname;

/**
 * The CLI in a child process: the emulator serves HTTPS, and `--cloud emulator` first reads
 * `/_emulator/cloud`, which needs the emulator CA trusted at process start (NODE_EXTRA_CA_CERTS).
 */
function runChild(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, ...argv], {
      cwd: ROOT,
      env: { ...process.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => {
      output.push(stdout, stderr);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  emu = new EmulatorServer({ tls: true, seedCustomers: 1 });
  cloud = await emu.start();
  ca = fs.readFileSync(cloud.caCertPath!, "utf8");
  const dispatcher = new Agent({ connect: { ca } });
  const world = (await (await fetch(`${cloud.authorityHost}/_emulator/world`, { dispatcher })).json()) as {
    samApp: { clientId: string; clientSecret: string };
  };
  await dispatcher.close();
  home = fs.mkdtempSync(path.join(os.tmpdir(), "samkit-cli-"));
  Object.assign(process.env, {
    SAMKIT_HOME: home,
    SAMKIT_CLOUD: "emulator",
    SAMKIT_EMULATOR_URL: cloud.authorityHost,
    NODE_EXTRA_CA_CERTS: cloud.caCertPath!, // for the child processes
    SAMKIT_LOG_LEVEL: "debug", // logs are scanned for secrets too
    AZURE_CLIENT_ID: world.samApp.clientId,
    AZURE_CLIENT_SECRET: world.samApp.clientSecret,
    AZURE_TENANT_ID: cloud.partnerTenantId,
  });
  for (const k of ["SAMKIT_STORE", "SAMKIT_VAULT_URL", "SAMKIT_PROFILE", "SAMKIT_STORE_KEY"])
    delete process.env[k];
  await writeProfile(new EncryptedFileStore({ home }), {
    profile: "default",
    cloud: "emulator",
    tenantId: TENANT,
    clientId: CLIENT,
    clientSecret: CLIENT_SECRET,
    refreshToken: REFRESH_TOKEN,
    metadata: {
      consentedAt: "2026-11-01T00:00:00.000Z",
      consentedBy: "admin@partner.test",
      mfaAtConsent: true,
      refreshTokenRotatedAt: "2026-11-20T00:00:00.000Z",
    },
  });
}, 60_000);

afterAll(async () => {
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
  await emu.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

describe("samkit store / profile commands", () => {
  it("profile list --json shows the profile without secrets", async () => {
    const r = await run("profile", "list", "--json");
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows).toEqual([
      expect.objectContaining({
        profile: "default",
        current: true,
        origin: "samkit",
        cloud: "emulator",
        tenantId: TENANT,
        clientId: CLIENT,
        hasRefreshToken: true,
        hasClientSecret: true,
        refreshTokenRotatedAt: "2026-11-20T00:00:00.000Z",
        error: null,
      }),
    ]);
  });

  it(
    "store migrate --to keyvault copies, verifies, records the store in config.json",
    { timeout: 120_000 },
    async () => {
      const r = await runChild(
        "store",
        "migrate",
        "--to",
        "keyvault",
        "--vault-url",
        cloud.keyVaultUrl,
        "--json",
      );
      expect(r.code, r.stderr).toBe(0);
      const result = JSON.parse(r.stdout) as { to: string; secrets: string[]; verified: boolean };
      expect(result).toMatchObject({
        to: `keyvault:${cloud.keyVaultUrl}`,
        verified: true,
        store: "keyvault",
      });
      expect(result.secrets.sort()).toEqual([
        "ApplicationID",
        "ApplicationSecret",
        "RefreshToken",
        "SamkitProfile",
        "TenantID",
      ]);
      const config = JSON.parse(fs.readFileSync(path.join(home, "config.json"), "utf8")) as {
        profiles: Record<string, { store: string; vaultUrl: string }>;
      };
      expect(config.profiles["default"]).toMatchObject({ store: "keyvault", vaultUrl: cloud.keyVaultUrl });
      // the vault really holds it, under the names other SAM tools use, rotation time kept
      const credential = await EmulatorTestCredential.forEmulator(cloud);
      const kv = new KeyVaultStore({ vaultUrl: cloud.keyVaultUrl, credential, emulator: { ca } });
      const p = await readProfile(kv, "default");
      expect(p).toMatchObject({
        refreshToken: REFRESH_TOKEN,
        clientSecret: CLIENT_SECRET,
        metadata: { refreshTokenRotatedAt: "2026-11-20T00:00:00.000Z", mfaAtConsent: true },
      });
      await credential.close();
      // now the configured store is Key Vault
      const list = await runChild("profile", "list", "--json");
      expect(list.code, list.stderr).toBe(0);
      expect((JSON.parse(list.stdout) as { profile: string }[]).map((x) => x.profile)).toEqual(["default"]);
      // migrating to the store already in use is refused
      const same = await run("store", "migrate", "--to", "keyvault");
      expect(same.code).toBe(2);
      expect(same.stderr).toContain("SAMKIT_STORE_MIGRATE_SAME_STORE");
    },
  );

  it(
    "store migrate --to file refuses to overwrite the kept copy without --force, then switches back",
    { timeout: 120_000 },
    async () => {
      const refused = await runChild("store", "migrate", "--to", "file");
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain("SAMKIT_STORE_MIGRATE_TARGET_EXISTS");
      expect(refused.stderr).toMatch(/next step:.*--force/);
      // docs/cli.md: the result on stdout; progress and hints on stderr
      const text = await runChild("store", "migrate", "--to", "file", "--force");
      expect(text.code, text.stderr).toBe(0);
      expect(text.stdout).toMatch(
        new RegExp(`^Copied profile default \\(5 secrets\\) from keyvault:\\S+ to file:.+ and verified it\\.\nRecorded store "file" for profile default in \\S+config\\.json\\.\n$`),
      );
      expect(text.stderr).toContain("Copying profile default from the keyvault store to file");
      expect(text.stderr).toContain("samkit profile delete default --store keyvault --yes");
      expect(text.stderr).not.toContain("Copied profile");
      expect(text.stdout).not.toContain("profile delete");
      // and back, to check --json for --to file
      const back = await runChild("store", "migrate", "--to", "keyvault", "--vault-url", cloud.keyVaultUrl, "--force", "--json");
      expect(back.code, back.stderr).toBe(0);
      expect(back.stderr).not.toContain("Copying profile"); // no progress text in --json mode
      const r = await runChild("store", "migrate", "--to", "file", "--force", "--json");
      expect(r.code, r.stderr).toBe(0);
      // docs/store.md: --json has vaultUrl (for --to file: the source vault)
      expect(JSON.parse(r.stdout)).toMatchObject({ store: "file", vaultUrl: cloud.keyVaultUrl, verified: true });
      const config = JSON.parse(fs.readFileSync(path.join(home, "config.json"), "utf8")) as {
        profiles: Record<string, { store: string }>;
      };
      expect(config.profiles["default"]?.store).toBe("file");
    },
  );

  it("profile list on an empty home points to app create / app use before consent", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "samkit-empty-"));
    const saved = process.env["SAMKIT_HOME"];
    process.env["SAMKIT_HOME"] = empty;
    try {
      const r = await run("profile", "list");
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain("No profiles");
      expect(r.stderr).toContain("Run `samkit app create` (or `samkit app use`) and then `samkit consent`");
    } finally {
      process.env["SAMKIT_HOME"] = saved;
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it("profile delete needs --yes off a terminal, then removes every secret of the profile", async () => {
    const store = new EncryptedFileStore({ home });
    await store.set("c0ffee00-0000-0000-0000-000000000000", "direct-tenant-token");
    const noYes = await run("profile", "delete", "default");
    expect(noYes.code).toBe(2);
    expect((await readProfile(store, "default"))?.refreshToken).toBe(REFRESH_TOKEN);
    const r = await run("profile", "delete", "default", "--yes", "--json");
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { deleted: string[] }).deleted.sort()).toEqual([
      "ApplicationID",
      "ApplicationSecret",
      "RefreshToken",
      "SamkitProfile",
      "TenantID",
    ]);
    expect(await store.list()).toEqual(["c0ffee00-0000-0000-0000-000000000000"]);
    const again = await run("profile", "delete", "default", "--yes");
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("SAMKIT_STORE_PROFILE_NOT_FOUND");
    const bad = await run("profile", "delete", "Bad_Name", "--yes");
    expect(bad.code).toBe(2);
  });

  it(
    "no secret value ever appears in any output or in the store file's bytes",
    { timeout: 120_000 },
    async () => {
      // also provoke value-validation errors with the canary inside a malformed value
      const store = new EncryptedFileStore({ home });
      await writeProfile(store, {
        profile: "default",
        cloud: "emulator",
        tenantId: TENANT,
        clientId: CLIENT,
        refreshToken: REFRESH_TOKEN,
        metadata: {},
      });
      await store.set("RefreshToken", `"${REFRESH_TOKEN}"\n`);
      const list = await run("profile", "list", "--json");
      expect(list.stdout).toContain("SAMKIT_STORE_SECRET_INVALID");
      const migrate = await runChild(
        "store",
        "migrate",
        "--to",
        "keyvault",
        "--vault-url",
        cloud.keyVaultUrl,
        "--force",
      );
      expect(migrate.code).not.toBe(0);
      expect(migrate.stderr).toContain("RefreshToken");
      const all = output.join("\n");
      const bytes = fs.readFileSync(store.path);
      for (const secret of [
        REFRESH_TOKEN,
        CLIENT_SECRET,
        REFRESH_TOKEN.slice(12, 40),
        CLIENT_SECRET.slice(7),
      ]) {
        expect(all.includes(secret), "output").toBe(false);
        expect(bytes.includes(Buffer.from(secret)), "store file").toBe(false);
      }
      for (const f of fs.readdirSync(home, { recursive: true }) as string[]) {
        const full = path.join(home, f);
        if (fs.statSync(full).isFile())
          expect(fs.readFileSync(full).includes(Buffer.from(REFRESH_TOKEN)), full).toBe(false);
      }
    },
  );
});
