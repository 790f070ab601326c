/**
 * `samkit token` as a process against the emulator: raw token and JSON output, the warm disk
 * cache across runs (no token request), the emulator cloud kept with the profile, the AAD Graph
 * retirement warning, and exit codes for bad input (2) and missing consent (4).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorServer } from "../../emulator/index.js";
import { PRINTABLE_CLAIMS } from "../../src/broker/claims.js";
import { EncryptedFileStore } from "../../src/store/file/file-store.js";
import { writeProfile } from "../../src/store/profile.js";
import { homeWithProfile, runSamkitFromSource, takeTokenRequests, world, type EmuInfo, type EmuWorld } from "./broker-helpers.js";

let server: EmulatorServer;
let emu: EmuInfo;
let w: EmuWorld;
let home: string;
const homes: string[] = [];

/** `samkit ...args` from source with `env`. */
const samkit = runSamkitFromSource;

beforeAll(async () => {
  server = new EmulatorServer({ seedCustomers: 4 });
  emu = await server.start();
  w = await world(emu);
  ({ home } = await homeWithProfile(emu, w));
  homes.push(home);
});

afterAll(async () => {
  await server.stop();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

describe("samkit token", () => {
  it("prints a raw token; a second run is served from the disk cache and the kept emulator cloud", { timeout: 120_000 }, async () => {
    await takeTokenRequests(emu);
    const first = await samkit(["token", "--resource", "graph", "--cloud", "emulator"], { SAMKIT_HOME: home, SAMKIT_EMULATOR_URL: emu.url });
    expect(first).toMatchObject({ code: 0, err: "" });
    expect(first.out.trim().split(".")).toHaveLength(3);
    expect(await takeTokenRequests(emu)).toHaveLength(1);
    // No SAMKIT_EMULATOR_URL this time: the cloud definition kept with the profile is used.
    const second = await samkit(["token", "--resource", "graph"], { SAMKIT_HOME: home, SAMKIT_CLOUD: "emulator" });
    expect(second).toMatchObject({ code: 0, out: first.out });
    expect(await takeTokenRequests(emu)).toHaveLength(0);
  });

  it("--json prints expiresOn (ISO), tenantId, scopes and only allow-listed claims", { timeout: 60_000 }, async () => {
    const healthy = w.customers.find((c) => c.state === "healthy")!;
    const r = await samkit(["token", "--json", "--tenant", healthy.domain, "--resource", "https://graph.microsoft.com"], {
      SAMKIT_HOME: home,
      SAMKIT_CLOUD: "emulator",
      SAMKIT_EMULATOR_URL: emu.url,
    });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { expiresOn: string; tenantId: string; scopes: string[]; claims: Record<string, unknown>; accessToken: string };
    expect(new Date(j.expiresOn).toISOString()).toBe(j.expiresOn);
    expect(j.tenantId).toBe(healthy.tenantId);
    expect(j.scopes.join(" ")).toContain("https://graph.microsoft.com/");
    expect(j.claims["tid"]).toBe(healthy.tenantId);
    for (const k of Object.keys(j.claims)) expect(PRINTABLE_CLAIMS).toContain(k);
    expect(j.claims).not.toHaveProperty("aio");
    expect(j.claims).not.toHaveProperty("uti");
  });

  it("warns that AAD Graph is retired", { timeout: 60_000 }, async () => {
    const r = await samkit(["token", "--resource", "aad-graph"], { SAMKIT_HOME: home, SAMKIT_CLOUD: "emulator", SAMKIT_EMULATOR_URL: emu.url });
    expect(r.err).toMatch(/warning: .*graph\.windows\.net.*retired/);
  });

  it("bad input exits 2 with a catalogue error and no stack trace", { timeout: 60_000 }, async () => {
    for (const tenant of ["organizations", "common", "a b"]) {
      const r = await samkit(["token", "--tenant", tenant], { SAMKIT_HOME: home, SAMKIT_CLOUD: "emulator", SAMKIT_EMULATOR_URL: emu.url });
      expect(r.code, tenant).toBe(2);
      expect(r.err).toContain("error SAMKIT_BROKER_TENANT_INVALID:");
      expect(r.err).toContain(`'${tenant}'`);
      // the next step is about the tenant, not --resource/--scope
      expect(r.err).toMatch(/next step: .*not tenants.*tenant ID \(GUID\) or verified domain/);
      expect(r.err).not.toMatch(/Pass --resource/);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it("a profile without a refresh token exits 4 (re-consent)", { timeout: 60_000 }, async () => {
    const { mkdtempSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const bare = mkdtempSync(join(tmpdir(), "samkit-home-"));
    homes.push(bare);
    await writeProfile(new EncryptedFileStore({ home: bare }), {
      profile: "default",
      cloud: "emulator",
      tenantId: emu.partnerTenantId,
      clientId: w.samApp.clientId,
      clientSecret: w.samApp.clientSecret,
      metadata: {},
    });
    const r = await samkit(["token"], { SAMKIT_HOME: bare, SAMKIT_CLOUD: "emulator", SAMKIT_EMULATOR_URL: emu.url });
    expect(r.code).toBe(4);
    expect(r.err).toContain("samkit consent");
  });
});
