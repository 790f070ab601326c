/**
 * Shared setup for the broker's emulator tests: a device-code consent against the emulator
 * (control API approves with MFA), a samkit home with the resulting profile in the encrypted
 * file store, and child processes run from source with tsx (the CLI, workers).
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EncryptedFileStore } from "../../src/store/file/file-store.js";
import { writeProfile } from "../../src/store/profile.js";
import type { PartnerProfile } from "../../src/store/types.js";

/** The emulator's CONTRACTS §1 JSON (what `EmulatorServer.start()` returns). */
export interface EmuInfo {
  readonly url: string;
  readonly partnerTenantId: string;
  readonly graphUrl: string;
  readonly keyVaultUrl: string;
}

export interface EmuWorld {
  partnerTenantId: string;
  samApp: { clientId: string; clientSecret: string };
  users: { username: string; mfa: boolean }[];
  customers: { tenantId: string; domain: string; state: string; consented: boolean; gdap: boolean }[];
}

export async function world(emu: EmuInfo): Promise<EmuWorld> {
  const r = await fetch(`${emu.url}/_emulator/world`);
  return (await r.json()) as EmuWorld;
}

/**
 * Device-code sign-in for the SAM app at the partner tenant, approved through the control API by
 * the first partner user with MFA (with `mfa: false`: the first one without, signing in without
 * MFA); returns the refresh token.
 */
export async function deviceCodeRefreshToken(emu: EmuInfo, w: EmuWorld, options: { mfa?: boolean } = {}): Promise<string> {
  const mfa = options.mfa ?? true;
  const scope = "https://api.partnercenter.microsoft.com/user_impersonation offline_access openid profile";
  const dc = await fetch(`${emu.url}/${emu.partnerTenantId}/oauth2/v2.0/devicecode`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: w.samApp.clientId, scope }),
  });
  const d = (await dc.json()) as { user_code: string; device_code: string };
  if (!dc.ok) throw new Error(`devicecode: ${dc.status} ${JSON.stringify(d)}`);
  const user = mfa ? (w.users.find((u) => u.mfa) ?? w.users[0]) : w.users.find((u) => !u.mfa);
  const ok = await fetch(`${emu.url}/_emulator/devicecode/approve`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ userCode: d.user_code, ...(user ? { username: user.username } : {}), mfa }),
  });
  if (!ok.ok) throw new Error(`approve: ${ok.status} ${await ok.text()}`);
  const tr = await fetch(`${emu.url}/${emu.partnerTenantId}/oauth2/v2.0/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:device_code",
      device_code: d.device_code,
      client_id: w.samApp.clientId,
      client_secret: w.samApp.clientSecret,
    }),
  });
  const t = (await tr.json()) as { refresh_token?: string };
  if (!tr.ok || t.refresh_token === undefined) throw new Error(`token: ${tr.status} ${JSON.stringify(t)}`);
  return t.refresh_token;
}

/** A fresh `$SAMKIT_HOME` whose default profile holds the SAM app and a consented refresh token. */
/** The emulator's SAM app as a stored `default` profile (cloud emulator, partner tenant, app secret) holding `refreshToken`. */
export function emulatorProfile(w: EmuWorld, refreshToken: string, metadata: PartnerProfile["metadata"]): PartnerProfile {
  return {
    profile: "default",
    cloud: "emulator",
    tenantId: w.partnerTenantId,
    clientId: w.samApp.clientId,
    clientSecret: w.samApp.clientSecret,
    refreshToken,
    metadata,
  };
}

export async function homeWithProfile(emu: EmuInfo, w: EmuWorld, rotatedAt = new Date()): Promise<{ home: string; store: EncryptedFileStore }> {
  const home = mkdtempSync(join(tmpdir(), "samkit-home-"));
  const store = new EncryptedFileStore({ home });
  await writeProfile(store, emulatorProfile(w, await deviceCodeRefreshToken(emu, w), { refreshTokenRotatedAt: rotatedAt.toISOString(), mfaAtConsent: true }));
  return { home, store };
}

/** Token-endpoint requests in the emulator's request log (taken: the log is cleared). */
export async function takeTokenRequests(emu: EmuInfo): Promise<{ path: string; form?: Record<string, string>; status?: number }[]> {
  const r = await fetch(`${emu.url}/_emulator/requests?service=identity`);
  const all = (await r.json()) as { path: string; method: string; form?: Record<string, string>; status?: number }[];
  return all.filter((e) => e.method === "POST" && /\/oauth2\/(v2\.0\/)?token$/.test(e.path));
}

/** What a child process run by {@link runTsx} produced. */
export interface ChildRun {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs `node --import tsx <script> ...args` (stdin closed) with `env` over `process.env`; killed
 * with `killSignal` (default SIGKILL) after `timeoutMs` (default 60 s).
 */
export function runTsx(
  script: string,
  args: readonly string[],
  env: Record<string, string | undefined>,
  options: { timeoutMs?: number; killSignal?: NodeJS.Signals } = {},
): Promise<ChildRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill(options.killSignal ?? "SIGKILL"), options.timeoutMs ?? 60_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

const CLI_RUNNER = join(import.meta.dirname, "broker-cli-runner.ts");

/** `samkit ...args` from source (broker-cli-runner.ts) with `env`, logging silenced and Node warnings off; as {@link runTsx}. */
export function runSamkitFromSource(args: readonly string[], env: Record<string, string | undefined>): Promise<ChildRun> {
  return runTsx(CLI_RUNNER, args, { NODE_NO_WARNINGS: "1", SAMKIT_LOG_LEVEL: "silent", ...env });
}
