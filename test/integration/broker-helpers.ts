/**
 * Shared setup for the broker's emulator tests: a device-code consent against the emulator
 * (control API approves with MFA), and a samkit home with the resulting profile in the
 * encrypted file store.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EncryptedFileStore } from "../../src/store/file/file-store.js";
import { writeProfile } from "../../src/store/profile.js";

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

/** Device-code sign-in of an MFA user for the SAM app; returns the refresh token. */
export async function deviceCodeRefreshToken(emu: EmuInfo, w: EmuWorld): Promise<string> {
  const scope = "https://api.partnercenter.microsoft.com/user_impersonation offline_access openid profile";
  const dc = await fetch(`${emu.url}/${emu.partnerTenantId}/oauth2/v2.0/devicecode`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: w.samApp.clientId, scope }),
  });
  const d = (await dc.json()) as { user_code: string; device_code: string };
  if (!dc.ok) throw new Error(`devicecode: ${dc.status} ${JSON.stringify(d)}`);
  const user = w.users.find((u) => u.mfa) ?? w.users[0]!;
  const ok = await fetch(`${emu.url}/_emulator/devicecode/approve`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ userCode: d.user_code, username: user.username, mfa: true }),
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
export async function homeWithProfile(emu: EmuInfo, w: EmuWorld, rotatedAt = new Date()): Promise<{ home: string; store: EncryptedFileStore }> {
  const home = mkdtempSync(join(tmpdir(), "samkit-home-"));
  const store = new EncryptedFileStore({ home });
  await writeProfile(store, {
    profile: "default",
    cloud: "emulator",
    tenantId: emu.partnerTenantId,
    clientId: w.samApp.clientId,
    clientSecret: w.samApp.clientSecret,
    refreshToken: await deviceCodeRefreshToken(emu, w),
    metadata: { refreshTokenRotatedAt: rotatedAt.toISOString(), mfaAtConsent: true },
  });
  return { home, store };
}

/** Token-endpoint requests in the emulator's request log (taken: the log is cleared). */
export async function takeTokenRequests(emu: EmuInfo): Promise<{ path: string; form?: Record<string, string>; status?: number }[]> {
  const r = await fetch(`${emu.url}/_emulator/requests?service=identity`);
  const all = (await r.json()) as { path: string; method: string; form?: Record<string, string>; status?: number }[];
  return all.filter((e) => e.method === "POST" && /\/oauth2\/(v2\.0\/)?token$/.test(e.path));
}
