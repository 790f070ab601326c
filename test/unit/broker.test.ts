import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GLOBAL_CLOUD } from "../../src/cloud/table.js";
import { TokenBroker, type BrokerGrants, type TokenBrokerOptions } from "../../src/broker/index.js";
import { DiskTokenCache } from "../../src/broker/disk-cache.js";
import { cacheKey } from "../../src/broker/cache-key.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { readProfile } from "../../src/store/profile.js";
import { isSamkitError } from "../../src/errors/index.js";
import type { GrantContext, TokenSet } from "../../src/oauth/types.js";
import type { HttpClient } from "../../src/http/types.js";
import { storeWithProfile } from "../helpers/broker.js";

const PARTNER = "11111111-1111-4111-8111-111111111111";
const CUSTOMER = "22222222-2222-4222-8222-222222222222";
const CLIENT = "33333333-3333-4333-8333-333333333333";
const NOW = 1_800_000_000; // epoch s, pinned via SAMKIT_TEST_NOW

const http = {} as HttpClient;

function jwt(claims: Record<string, unknown>): string {
  const b = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${b({ alg: "none", typ: "JWT" })}.${b(claims)}.sig`;
}

/** A fake identity platform: rotates refresh tokens; in `strict` it revokes the family on reuse. */
class FakeIdp implements BrokerGrants {
  calls: { kind: "rt" | "cc"; tenant: string; scopes: readonly string[]; rt?: string }[] = [];
  lifetimeS = 3600;
  valid = new Set<string>(["refresh-token-0000"]);
  used = new Set<string>();
  revoked = false;
  n = 0;
  delayMs = 0;
  constructor(readonly strict = false) {}
  async redeemRefreshToken(ctx: GrantContext, rt: string, scopes: readonly string[]): Promise<TokenSet> {
    this.calls.push({ kind: "rt", tenant: ctx.tenant, scopes, rt });
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.strict && (this.used.has(rt) || this.revoked)) {
      this.revoked = true;
      throw new Error("invalid_grant: reuse detected, family revoked");
    }
    if (!this.valid.has(rt)) throw new Error("invalid_grant");
    this.used.add(rt);
    const next = `refresh-token-${String(++this.n).padStart(4, "0")}`;
    this.valid.add(next);
    const now = Number(process.env["SAMKIT_TEST_NOW"]);
    return { accessToken: jwt({ tid: ctx.tenant, n: this.n }), tokenType: "Bearer", expiresAt: now + this.lifetimeS, scopes, refreshToken: next };
  }
  async clientCredentials(ctx: GrantContext, scopes: readonly string[]): Promise<TokenSet> {
    this.calls.push({ kind: "cc", tenant: ctx.tenant, scopes });
    await Promise.resolve();
    const now = Number(process.env["SAMKIT_TEST_NOW"]);
    return { accessToken: jwt({ tid: ctx.tenant, idtyp: "app" }), tokenType: "Bearer", expiresAt: now + this.lifetimeS, scopes };
  }
}

function seededStore(opts: { secret?: boolean; rt?: string; rotatedAt?: string } = {}): Promise<MemoryStore> {
  return storeWithProfile({
    tenantId: PARTNER,
    clientId: CLIENT,
    ...(opts.secret === false ? { clientSecret: undefined } : {}),
    ...(opts.rt === "" ? { refreshToken: undefined } : opts.rt !== undefined ? { refreshToken: opts.rt } : {}),
    refreshTokenRotatedAt: opts.rotatedAt ?? new Date((NOW - 2 * 86_400) * 1000).toISOString(),
  });
}

function broker(store: MemoryStore, idp: FakeIdp, extra: Partial<TokenBrokerOptions> = {}): TokenBroker {
  return new TokenBroker({ cloud: GLOBAL_CLOUD, store, http, grants: idp, ...extra });
}

let dir: string;
beforeEach(() => {
  process.env["SAMKIT_TEST_NOW"] = String(NOW);
  dir = mkdtempSync(join(tmpdir(), "samkit-broker-"));
});
afterEach(() => {
  delete process.env["SAMKIT_TEST_NOW"];
  rmSync(dir, { recursive: true, force: true });
});

describe("cache key", () => {
  it("is the same for scopes in any order or case, and differs by tenant, client, cloud and kind", () => {
    const base = { cloud: "global@https://login.microsoftonline.com", clientId: CLIENT, tenant: PARTNER, kind: "user" as const };
    const a = cacheKey({ ...base, scopes: ["https://graph.microsoft.com/User.Read", "openid"] });
    expect(cacheKey({ ...base, scopes: ["OPENID", "https://graph.microsoft.com/user.read"] })).toBe(a);
    expect(cacheKey({ ...base, tenant: CUSTOMER, scopes: ["openid"] })).not.toBe(cacheKey({ ...base, scopes: ["openid"] }));
    expect(cacheKey({ ...base, kind: "app", scopes: ["openid"] })).not.toBe(cacheKey({ ...base, scopes: ["openid"] }));
    expect(cacheKey({ ...base, cloud: "emulator@http://127.0.0.1:1", scopes: ["openid"] })).not.toBe(cacheKey({ ...base, scopes: ["openid"] }));
  });
});

describe("TokenBroker caching", () => {
  it("redeems once, then serves from memory; the result carries expiresOn, scopes and tid", async () => {
    const idp = new FakeIdp();
    const b = broker(await seededStore(), idp);
    const t1 = await b.getToken({ resource: "graph" });
    const t2 = await b.getToken({ resource: "https://graph.microsoft.com/" });
    expect(idp.calls).toHaveLength(1);
    expect(t2.token).toBe(t1.token);
    expect(t1.expiresOn.getTime()).toBe((NOW + 3600) * 1000);
    expect(t1.scopes).toEqual(["https://graph.microsoft.com/.default"]);
    expect(t1.tenantId).toBe(PARTNER);
    expect(idp.calls[0]?.tenant).toBe(PARTNER);
  });

  it("defaults to Partner Center and redeems at a customer tenant when asked", async () => {
    const idp = new FakeIdp();
    const b = broker(await seededStore(), idp);
    await b.getToken();
    await b.getToken({ resource: "graph", tenant: CUSTOMER.toUpperCase() });
    expect(idp.calls.map((c) => [c.tenant, c.scopes[0]])).toEqual([
      [PARTNER, "https://api.partnercenter.microsoft.com/user_impersonation"],
      [CUSTOMER, "https://graph.microsoft.com/.default"],
    ]);
  });

  it("refreshes within the margin before expiry (default 5 min), not before", async () => {
    const idp = new FakeIdp();
    const b = broker(await seededStore(), idp);
    await b.getToken({ resource: "graph" });
    process.env["SAMKIT_TEST_NOW"] = String(NOW + 3600 - 301);
    await b.getToken({ resource: "graph" });
    expect(idp.calls).toHaveLength(1);
    process.env["SAMKIT_TEST_NOW"] = String(NOW + 3600 - 299);
    await b.getToken({ resource: "graph" });
    expect(idp.calls).toHaveLength(2);
  });

  it("forceRefresh redeems even with a fresh cached token", async () => {
    const idp = new FakeIdp();
    const b = broker(await seededStore(), idp);
    const a = await b.getToken({ resource: "arm" });
    const c = await b.getToken({ resource: "arm", forceRefresh: true });
    expect(idp.calls).toHaveLength(2);
    expect(c.token).not.toBe(a.token);
    expect((await b.getToken({ resource: "arm" })).token).toBe(c.token);
  });

  it("1,000 concurrent calls for one key make one redemption; an aborted caller does not cancel the others", async () => {
    const idp = new FakeIdp();
    idp.delayMs = 20;
    const b = broker(await seededStore(), idp);
    const ac = new AbortController();
    const aborted = b.getToken({ resource: "graph", tenant: CUSTOMER, abortSignal: ac.signal });
    const all = Array.from({ length: 1000 }, () => b.getToken({ resource: "graph", tenant: CUSTOMER }));
    ac.abort();
    await expect(aborted).rejects.toThrow();
    const tokens = new Set((await Promise.all(all)).map((t) => t.token));
    expect(tokens.size).toBe(1);
    expect(idp.calls).toHaveLength(1);
  });

  it("the disk cache lets a second broker (another process) reuse the token; tampering reads as a miss", async () => {
    const store = await seededStore();
    const idp = new FakeIdp();
    const cache = () => new DiskTokenCache({ dir: join(dir, "tokens") });
    const t1 = await broker(store, idp, { cache: cache() }).getToken({ resource: "graph" });
    const idp2 = new FakeIdp();
    const t2 = await broker(store, idp2, { cache: cache(), identity: { clientId: CLIENT, tenantId: PARTNER } }).getToken({ resource: "graph" });
    expect(t2.token).toBe(t1.token);
    expect(idp2.calls).toHaveLength(0);

    const files = readdirSync(join(dir, "tokens")).filter((f) => f.endsWith(".tok"));
    expect(files).toHaveLength(1);
    const file = join(dir, "tokens", files[0]!);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "tokens", "key")).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).includes(Buffer.from(t1.token))).toBe(false);
    const blob = readFileSync(file);
    blob[blob.length - 1] = (blob[blob.length - 1] ?? 0) ^ 1;
    writeFileSync(file, blob);
    await broker(store, idp, { cache: cache() }).getToken({ resource: "graph" });
    expect(idp.calls).toHaveLength(2);
  });

  it("an entry copied onto another key's file fails authentication (key is the GCM AAD)", async () => {
    const c = new DiskTokenCache({ dir });
    await c.set("key-a", { token: "A", expiresOnMs: 1, scopes: [], tenantId: PARTNER });
    writeFileSync(c.pathFor("key-b"), readFileSync(c.pathFor("key-a")));
    expect(await c.get("key-a")).toMatchObject({ token: "A" });
    expect(await c.get("key-b")).toBeUndefined();
  });
});

describe("tenants and app-only", () => {
  it("refuses a tenant outside allowedTenants before any redemption; the partner is always allowed", async () => {
    const idp = new FakeIdp();
    const b = broker(await seededStore(), idp, { allowedTenants: ["contoso.onmicrosoft.com"] });
    await expect(b.getToken({ tenant: CUSTOMER })).rejects.toMatchObject({ code: "SAMKIT_BROKER_TENANT_NOT_ALLOWED" });
    await b.getToken({ tenant: "Contoso.onmicrosoft.com" });
    await b.getToken();
    expect(idp.calls.map((c) => c.tenant)).toEqual(["contoso.onmicrosoft.com", PARTNER]);
  });

  it("rejects malformed tenants and empty scopes as input errors (exit 2)", async () => {
    const b = broker(await seededStore(), new FakeIdp());
    const e = await b.getToken({ tenant: "organizations" }).catch((x: unknown) => x);
    expect(isSamkitError(e, "SAMKIT_BROKER_TENANT_INVALID") && e.exitCode).toBe(2);
    await expect(b.getToken({ scopes: [] })).rejects.toMatchObject({ code: "SAMKIT_BROKER_BAD_REQUEST" });
    await expect(b.getToken({ resource: "not a resource" })).rejects.toMatchObject({ code: "SAMKIT_RESOURCE_UNKNOWN" });
  });

  it("app-only tokens use client credentials with /.default, cached apart from delegated ones", async () => {
    const idp = new FakeIdp();
    const b = broker(await seededStore(), idp);
    await b.getToken({ resource: "graph", tenant: CUSTOMER, appOnly: true });
    await b.getToken({ resource: "graph", tenant: CUSTOMER });
    await b.getToken({ resource: "partner-center", appOnly: true });
    expect(idp.calls.map((c) => [c.kind, c.scopes.join(" ")])).toEqual([
      ["cc", "https://graph.microsoft.com/.default"],
      ["rt", "https://graph.microsoft.com/.default"],
      ["cc", "https://api.partnercenter.microsoft.com/.default"],
    ]);
  });

  it("app-only without a secret or certificate is SAMKIT_BROKER_NO_APP_CREDENTIAL", async () => {
    const b = broker(await seededStore({ secret: false }), new FakeIdp());
    await expect(b.getToken({ appOnly: true })).rejects.toMatchObject({ code: "SAMKIT_BROKER_NO_APP_CREDENTIAL" });
  });

  it("no stored refresh token is SAMKIT_BROKER_NO_REFRESH_TOKEN with exit code 4", async () => {
    const b = broker(await seededStore({ rt: "" }), new FakeIdp());
    const e = await b.getToken().catch((x: unknown) => x);
    expect(isSamkitError(e, "SAMKIT_BROKER_NO_REFRESH_TOKEN") && e.exitCode).toBe(4);
  });
});

describe("rotation: lenient", () => {
  it("persists a rotated token when the stored one is older than 24 h, then keeps newer ones in memory", async () => {
    const store = await seededStore();
    const idp = new FakeIdp();
    const b = broker(store, idp);
    await b.getToken({ tenant: CUSTOMER });
    expect((await readProfile(store, "default"))?.refreshToken).toBe("refresh-token-0001");
    await b.getToken({ resource: "graph" });
    await b.getToken({ resource: "arm" });
    // Redeemed with the newest token in memory, but not written again within 24 h.
    expect(idp.calls.map((c) => c.rt)).toEqual(["refresh-token-0000", "refresh-token-0001", "refresh-token-0002"]);
    expect((await readProfile(store, "default"))?.refreshToken).toBe("refresh-token-0001");
    process.env["SAMKIT_TEST_NOW"] = String(NOW + 86_400 + 10);
    await b.getToken({ resource: "keyvault" });
    expect((await readProfile(store, "default"))?.refreshToken).toBe("refresh-token-0004");
  });

  it("never writes an older token over a newer one written by another process, and adopts the newer one", async () => {
    const store = await seededStore();
    const idp = new FakeIdp();
    const b = broker(store, idp);
    await b.identity(); // this process has read the profile (refresh-token-0000, two days old)
    // Then another process stores a token minted later than the one this broker will mint.
    const later = new Date((NOW + 1000) * 1000).toISOString();
    const { updateRefreshToken } = await import("../../src/store/profile.js");
    idp.valid.add("refresh-token-other");
    expect(await updateRefreshToken(store, "default", "refresh-token-other", later)).toBe(true);
    await b.getToken({ resource: "graph" });
    const p = await readProfile(store, "default");
    expect(p?.refreshToken).toBe("refresh-token-other");
    expect(p?.metadata.refreshTokenRotatedAt).toBe(later);
    await b.getToken({ resource: "arm" });
    expect(idp.calls.at(-1)?.rt).toBe("refresh-token-other");
  });

  it("renewRefreshToken persists now whatever the interval", async () => {
    const store = await seededStore({ rotatedAt: new Date(NOW * 1000 - 60_000).toISOString() });
    const idp = new FakeIdp();
    const b = broker(store, idp);
    await b.getToken({ resource: "graph" });
    expect((await readProfile(store, "default"))?.refreshToken).toBe("refresh-token-0000");
    const r = await b.renewRefreshToken();
    expect(r.persisted).toBe(true);
    expect((await readProfile(store, "default"))?.refreshToken).toBe("refresh-token-0002");
    expect(r.accessToken.tenantId).toBe(PARTNER);
  });
});

describe("rotation: strict", () => {
  it("serializes redemptions and persists every rotated token: no reuse against a server that revokes on reuse", async () => {
    const store = await seededStore({ rotatedAt: new Date(NOW * 1000).toISOString() });
    const idp = new FakeIdp(true);
    // Two brokers on one store stand in for two processes (the store lock serializes them).
    const b1 = broker(store, idp, { rotation: "strict" });
    const b2 = broker(store, idp, { rotation: "strict" });
    const tenants = Array.from({ length: 20 }, (_, i) => `${String(i).padStart(8, "0")}-2222-4222-8222-222222222222`);
    await Promise.all(tenants.flatMap((t) => [b1.getToken({ tenant: t }), b2.getToken({ tenant: t, resource: "graph" })]));
    expect(idp.revoked).toBe(false);
    expect(idp.calls).toHaveLength(40);
    expect(new Set(idp.calls.map((c) => c.rt)).size).toBe(40);
    expect((await readProfile(store, "default"))?.refreshToken).toBe("refresh-token-0040");
  });

  it("re-checks the shared disk cache under the store lock: two processes asking for one key redeem once", async () => {
    const store = await seededStore({ rotatedAt: new Date(NOW * 1000).toISOString() });
    const idp = new FakeIdp(true);
    idp.delayMs = 30;
    const cache = () => new DiskTokenCache({ dir: join(dir, "shared") });
    const b1 = broker(store, idp, { rotation: "strict", cache: cache() });
    const b2 = broker(store, idp, { rotation: "strict", cache: cache() });
    const [t1, t2] = await Promise.all([b1.getToken({ resource: "graph" }), b2.getToken({ resource: "graph" })]);
    expect(t2.token).toBe(t1.token);
    expect(idp.calls).toHaveLength(1);
  });

  it("lenient against the same server revokes the family (the test can fail)", async () => {
    const store = await seededStore();
    const idp = new FakeIdp(true);
    const b1 = broker(store, idp);
    const b2 = broker(store, idp);
    await b2.identity(); // both processes read the same token before either redeems
    await b1.getToken();
    await expect(b2.getToken({ resource: "graph" })).rejects.toThrow(/reuse/);
    expect(idp.revoked).toBe(true);
  });
});

describe("TokenCredential adapter", () => {
  it("returns epoch-ms expiry, honours tenantId only when allowed, and forces a refresh on a claims challenge", async () => {
    const idp = new FakeIdp();
    const b = broker(await seededStore(), idp);
    const cred = b.asTokenCredential({ additionallyAllowedTenants: [CUSTOMER] });
    const t = await cred.getToken("https://vault.azure.net/.default");
    expect(t?.expiresOnTimestamp).toBe((NOW + 3600) * 1000);
    await cred.getToken(["https://vault.azure.net/.default"], { tenantId: CUSTOMER });
    await expect(cred.getToken("https://vault.azure.net/.default", { tenantId: "44444444-4444-4444-8444-444444444444" })).rejects.toMatchObject({
      code: "SAMKIT_BROKER_TENANT_NOT_ALLOWED",
    });
    expect(idp.calls.map((c) => c.tenant)).toEqual([PARTNER, CUSTOMER]);
    await cred.getToken("https://vault.azure.net/.default", { claims: "eyJ9" });
    expect(idp.calls).toHaveLength(3);
  });
});
