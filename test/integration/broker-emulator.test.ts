/**
 * TokenBroker against the emulator over real HTTP: single-flight, partner/customer/app-only
 * tokens, identity errors through the catalogue, and the disk cache shared by two brokers.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorServer } from "../../emulator/index.js";
import { DiskTokenCache, TokenBroker } from "../../src/broker/index.js";
import { emulatorCloud } from "../../src/cloud/emulator.js";
import type { CloudDefinition } from "../../src/cloud/types.js";
import { createHttpClient } from "../../src/http/client.js";
import type { EncryptedFileStore } from "../../src/store/file/file-store.js";
import { homeWithProfile, takeTokenRequests, world, type EmuInfo, type EmuWorld } from "./broker-helpers.js";

let server: EmulatorServer;
let emu: EmuInfo;
let w: EmuWorld;
let cloud: CloudDefinition;
let home: string;
let store: EncryptedFileStore;
const http = createHttpClient();

function broker(extra: Partial<ConstructorParameters<typeof TokenBroker>[0]> = {}): TokenBroker {
  return new TokenBroker({ cloud, store, http, ...extra });
}

beforeAll(async () => {
  server = new EmulatorServer({ seedCustomers: 8 });
  emu = await server.start();
  cloud = emulatorCloud(emu);
  w = await world(emu);
  ({ home, store } = await homeWithProfile(emu, w));
  await takeTokenRequests(emu);
});

afterAll(async () => {
  await server.stop();
  rmSync(home, { recursive: true, force: true });
});

describe("TokenBroker × emulator", () => {
  it("1,000 concurrent getToken calls for one key make exactly one token request", async () => {
    const b = broker();
    await takeTokenRequests(emu);
    const tokens = await Promise.all(Array.from({ length: 1000 }, () => b.getToken({ resource: "graph" })));
    expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
    const reqs = await takeTokenRequests(emu);
    expect(reqs).toHaveLength(1);
    expect(reqs[0]!.form?.["grant_type"]).toBe("refresh_token");
    expect(reqs[0]!.form?.["scope"]).toContain("https://graph.microsoft.com/.default");
    expect(tokens[0]!.tenantId).toBe(emu.partnerTenantId);
    expect(tokens[0]!.expiresOn.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
  });

  it("redeems the partner refresh token at a consented customer's authority (tid = customer)", async () => {
    const healthy = w.customers.find((c) => c.state === "healthy")!;
    const t = await broker().getToken({ resource: "graph", tenant: healthy.domain });
    expect(t.tenantId).toBe(healthy.tenantId);
    const reqs = await takeTokenRequests(emu);
    expect(reqs.map((r) => r.path)).toEqual([`/${healthy.domain}/oauth2/v2.0/token`]);
  });

  it("app-only tokens use client credentials and carry roles, no user", async () => {
    const healthy = w.customers.find((c) => c.state === "healthy")!;
    const t = await broker().getToken({ resource: "graph", tenant: healthy.tenantId, appOnly: true });
    const reqs = await takeTokenRequests(emu);
    expect(reqs[0]!.form?.["grant_type"]).toBe("client_credentials");
    const claims = JSON.parse(Buffer.from(t.token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(claims["tid"]).toBe(healthy.tenantId);
    expect(claims["upn"]).toBeUndefined();
  });

  it("maps identity errors through the catalogue: a customer without app consent needs customer consent", async () => {
    const noConsent = w.customers.find((c) => c.state === "no-consent");
    if (noConsent === undefined) return expect.fail("world has no no-consent customer");
    const e = await broker().getToken({ resource: "graph", tenant: noConsent.tenantId }).catch((x: unknown) => x);
    expect(e).toMatchObject({ name: "SamkitError", code: "SAMKIT_CONSENT_MISSING", aadsts: 65001 });
  });

  it("the encrypted disk cache lets a second broker (another CLI run) answer with no token request", async () => {
    const dir = join(home, "cache", "default", "tokens");
    const t1 = await broker({ cache: new DiskTokenCache({ dir }) }).getToken({ resource: "partner-center" });
    await takeTokenRequests(emu);
    const b2 = broker({ cache: new DiskTokenCache({ dir }), identity: { clientId: w.samApp.clientId, tenantId: emu.partnerTenantId } });
    const t2 = await b2.getToken({ resource: "partner-center" });
    expect(t2.token).toBe(t1.token);
    expect(await takeTokenRequests(emu)).toHaveLength(0);
  });

  it("refuses tenants outside the allow-list before any request", async () => {
    const other = w.customers.find((c) => c.state === "healthy")!;
    await takeTokenRequests(emu);
    await expect(broker({ allowedTenants: [] }).getToken({ tenant: other.tenantId })).rejects.toMatchObject({ code: "SAMKIT_BROKER_TENANT_NOT_ALLOWED" });
    expect(await takeTokenRequests(emu)).toHaveLength(0);
  });

  it("a refresh token unused for 90 days is AADSTS700082 → SAMKIT_REFRESH_TOKEN_INACTIVE, exit 4 (run samkit consent)", async () => {
    const clock = (body: unknown) =>
      fetch(`${emu.url}/_emulator/clock`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    await clock({ advanceSeconds: 91 * 86_400 });
    try {
      const e = await broker().getToken({ resource: "graph", forceRefresh: true }).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: "SAMKIT_REFRESH_TOKEN_INACTIVE", aadsts: 700082, action: "reconsent", exitCode: 4 });
      expect((e as Error).message).not.toContain("1.A"); // never echoes the token
    } finally {
      await clock({ reset: true });
    }
  });
});
