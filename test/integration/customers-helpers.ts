/**
 * Test helper for the customers/api integration tests: a running EmulatorServer and a samkit home
 * whose default profile holds a refresh token minted with MFA through the emulator's device-code
 * flow (approved via the control API), as `samkit consent --device-code` would store it.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmulatorServer, type EmulatorServerOptions } from "../../emulator/server.js";
import { EncryptedFileStore } from "../../src/store/file/file-store.js";
import { writeProfile } from "../../src/store/profile.js";
import { deviceCodeRefreshToken } from "./broker-helpers.js";

export interface ConsentedEmulator {
  readonly emu: EmulatorServer;
  readonly url: string;
  readonly partnerCenterUrl: string;
  readonly graphUrl: string;
  readonly partnerTenantId: string;
  readonly clientId: string;
  /** Env for samkit: SAMKIT_HOME, SAMKIT_CLOUD=emulator, SAMKIT_EMULATOR_URL, SAMKIT_STORE_KEY. */
  readonly env: Record<string, string | undefined>;
  readonly world: World;
  control(method: string, path: string, body?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export interface World {
  partnerTenantId: string;
  samApp: { clientId: string; clientSecret: string };
  users: { username: string; mfa: boolean }[];
  customers: { tenantId: string; domain: string; name: string; state: string; consented: boolean; gdap: boolean; relationshipToPartner: string }[];
}

/** Options of {@link consentedEmulator}: the emulator's, plus whether the consent sign-in did MFA (default true). */
export interface ConsentedEmulatorOptions extends EmulatorServerOptions {
  readonly mfa?: boolean;
}

/** Start an emulator and consent the seeded SAM app as the service account (with MFA unless `mfa: false`). */
export async function consentedEmulator(options: ConsentedEmulatorOptions = {}): Promise<ConsentedEmulator> {
  const emu = new EmulatorServer(options);
  const cloud = await emu.start();
  const home = await mkdtemp(join(tmpdir(), "samkit-pc-test-"));
  const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${cloud.url}/_emulator${path}`, {
      method,
      ...(body !== undefined ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${text}`);
    return text === "" ? undefined : (JSON.parse(text) as unknown);
  };
  try {
    const world = (await control("GET", "/world")) as World;
    const { clientId, clientSecret } = world.samApp;
    // Without MFA: the seeded user who has no MFA method signs in (a user with one would get AADSTS50076).
    const refreshToken = await deviceCodeRefreshToken({ ...cloud, partnerTenantId: world.partnerTenantId }, world, { mfa: options.mfa ?? true });
    const storeKey = randomBytes(32).toString("base64");
    const store = new EncryptedFileStore({ home, storeKey });
    await writeProfile(store, {
      profile: "default",
      cloud: "emulator",
      tenantId: world.partnerTenantId,
      clientId,
      clientSecret,
      refreshToken,
      metadata: { consentedAt: new Date().toISOString(), mfaAtConsent: options.mfa ?? true },
    });
    const env: Record<string, string | undefined> = {
      ...process.env,
      SAMKIT_HOME: home,
      SAMKIT_CLOUD: "emulator",
      SAMKIT_EMULATOR_URL: cloud.url,
      SAMKIT_STORE_KEY: storeKey,
      SAMKIT_STORE: "file",
      SAMKIT_PROFILE: "default",
      SAMKIT_LOG_LEVEL: "silent",
    };
    return {
      emu,
      url: cloud.url,
      partnerCenterUrl: cloud.partnerCenterUrl,
      graphUrl: cloud.graphUrl,
      partnerTenantId: world.partnerTenantId,
      clientId,
      env,
      world,
      control,
      close: async () => {
        await emu.stop();
        await rm(home, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await emu.stop();
    await rm(home, { recursive: true, force: true });
    throw e;
  }
}

/** A writable that collects what is written. */
export class Sink {
  text = "";
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}
