/**
 * One retry with a new token after a 401 (revoked sessions, CAE claims challenge), shared by the
 * Partner Center client and the API passthrough through the `getToken` seam; the broker's
 * `forceRefresh` drops the rejected token from memory and disk; `customers/{id}` 404 →
 * SAMKIT_PC_CUSTOMER_NOT_FOUND; the disk cache prunes expired entries on write, never on read.
 */
import { mkdtempSync, readdirSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { callApi } from "../../src/api/call.js";
import type { ApiRequestSpec } from "../../src/api/types.js";
import { TokenBroker } from "../../src/broker/broker.js";
import { DiskTokenCache } from "../../src/broker/disk-cache.js";
import { challengeClaims } from "../../src/broker/reauth.js";
import { GLOBAL_CLOUD } from "../../src/cloud/table.js";
import { SamkitError, isSamkitError } from "../../src/errors/index.js";
import type { HttpClient } from "../../src/http/types.js";
import { scriptedHttp } from "../helpers/http.js";
import { PartnerCenterClient } from "../../src/partner-center/client.js";
import type { AccessTokenRequest } from "../../src/partner-center/types.js";
import { countingGrants, storeWithProfile, type CountingGrants } from "../helpers/broker.js";

const PARTNER = "11111111-1111-4111-8111-111111111111";
const CLIENT = "33333333-3333-4333-8333-333333333333";
const NOW = 1_800_000_000;

/** A token provider: `tok-1`, then `tok-2`, … ; records every request. */
function tokens(fail?: SamkitError): { getToken: (r: AccessTokenRequest) => Promise<{ token: string }>; requests: AccessTokenRequest[] } {
  const requests: AccessTokenRequest[] = [];
  return {
    requests,
    getToken: (r) => {
      requests.push(r);
      if (fail !== undefined && r.forceRefresh === true) return Promise.reject(fail);
      return Promise.resolve({ token: `tok-${requests.length}` });
    },
  };
}

const REVOKED_PC = { status: 401, body: { code: 400, description: "Unauthorized: The user's sessions were revoked after this token was issued.", data: [], source: "PartnerFD" } };
const CLAIMS = '{"access_token":{"nbf":{"essential":true,"value":"1800000000"}}}';
const CAE = {
  status: 401,
  headers: {
    "www-authenticate": `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="${Buffer.from(CLAIMS).toString("base64")}"`,
  },
  body: { error: { code: "InvalidAuthenticationToken", message: "Continuous access evaluation resulted in challenge" } },
};

function spec(path: string, extra: Partial<ApiRequestSpec> = {}): ApiRequestSpec {
  return { method: "GET", path, appOnly: false, headers: {}, query: [], paginate: false, jsonl: false, ...extra };
}

describe("a 401 is retried once with a forced-fresh token", () => {
  it("Partner Center client: 401 (sessions revoked) → forceRefresh token → retried request succeeds", async () => {
    const { http, calls } = scriptedHttp((_r, n) => (n === 1 ? REVOKED_PC : { status: 200, body: { companyName: "Partner" } }));
    const t = tokens();
    const pc = new PartnerCenterClient({ http, cloud: GLOBAL_CLOUD, getToken: t.getToken });
    expect(await pc.getOrganizationProfile()).toMatchObject({ companyName: "Partner" });
    expect(calls.map((c) => c.headers?.["Authorization"])).toEqual(["Bearer tok-1", "Bearer tok-2"]);
    expect(t.requests).toHaveLength(2);
    expect(t.requests[0]?.forceRefresh).toBeUndefined();
    expect(t.requests[1]).toMatchObject({ resource: "partner-center", forceRefresh: true });
  });

  it("Partner Center client: a second 401 is not retried again (no loop) and maps through the catalogue", async () => {
    const { http, calls } = scriptedHttp(() => REVOKED_PC);
    const t = tokens();
    const pc = new PartnerCenterClient({ http, cloud: GLOBAL_CLOUD, getToken: t.getToken });
    await expect(pc.getOrganizationProfile()).rejects.toMatchObject({ status: 401 });
    expect(calls).toHaveLength(2);
    expect(t.requests).toHaveLength(2);
  });

  it("Partner Center client: when the forced redemption fails with a revoked grant, that error (exit 4) surfaces", async () => {
    const { http, calls } = scriptedHttp(() => REVOKED_PC);
    const t = tokens(new SamkitError("SAMKIT_REFRESH_TOKEN_REVOKED", { aadsts: 50173 }));
    const pc = new PartnerCenterClient({ http, cloud: GLOBAL_CLOUD, getToken: t.getToken });
    await expect(pc.getOrganizationProfile()).rejects.toMatchObject({ code: "SAMKIT_REFRESH_TOKEN_REVOKED", exitCode: 4 });
    expect(calls).toHaveLength(1);
  });

  it("callApi (Graph CAE): insufficient_claims → forceRefresh with the decoded claims → retried once", async () => {
    const { http, calls } = scriptedHttp((_r, n) => (n === 1 ? CAE : { status: 200, body: { value: [{ id: "org" }] } }));
    const t = tokens();
    const r = await callApi(spec("/v1.0/organization", { tenant: "contoso.onmicrosoft.com" }), { http, cloud: GLOBAL_CLOUD, getToken: t.getToken });
    expect(r).toEqual({ ok: true, status: 200, data: { value: [{ id: "org" }] } });
    expect(calls.map((c) => c.headers?.["Authorization"])).toEqual(["Bearer tok-1", "Bearer tok-2"]);
    expect(t.requests[1]).toMatchObject({ resource: "graph", tenant: "contoso.onmicrosoft.com", forceRefresh: true, claims: CLAIMS });
  });

  it("callApi (Partner Center, ARM): revoked redemption after the 401 → SAMKIT_REFRESH_TOKEN_REVOKED, not a service error", async () => {
    for (const [path, reply] of [
      ["/v1/customers", REVOKED_PC],
      ["https://management.azure.com/subscriptions?api-version=2022-12-01", { status: 401, body: { error: { code: "InvalidAuthenticationToken", message: "revoked" } } }],
    ] as const) {
      const { http, calls } = scriptedHttp(() => reply);
      const t = tokens(new SamkitError("SAMKIT_REFRESH_TOKEN_REVOKED", { aadsts: 50173 }));
      const r = await callApi(spec(path), { http, cloud: GLOBAL_CLOUD, getToken: t.getToken });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatchObject({ code: "SAMKIT_REFRESH_TOKEN_REVOKED", exitCode: 4 });
      expect(calls).toHaveLength(1);
      expect(t.requests.map((q) => q.forceRefresh === true)).toEqual([false, true]);
    }
  });

  it("non-401 errors are not retried", async () => {
    const { http, calls } = scriptedHttp(() => ({ status: 403, body: { error: { code: "Authorization_RequestDenied", message: "no" } } }));
    const t = tokens();
    const r = await callApi(spec("/v1.0/users"), { http, cloud: GLOBAL_CLOUD, getToken: t.getToken });
    expect(r.ok).toBe(false);
    expect(calls).toHaveLength(1);
    expect(t.requests).toHaveLength(1);
  });

  it("challengeClaims decodes only an insufficient_claims challenge", () => {
    expect(challengeClaims(CAE.headers["www-authenticate"])).toBe(CLAIMS);
    expect(challengeClaims('Bearer error="invalid_token"')).toBeUndefined();
    expect(challengeClaims(undefined)).toBeUndefined();
  });
});

describe("customers/{id} 404", () => {
  it("getCustomer maps a 404 to SAMKIT_PC_CUSTOMER_NOT_FOUND naming the id", async () => {
    const id = "00000000-0000-0000-0000-000000000000";
    const { http } = scriptedHttp(() => ({ status: 404, body: { code: 600001, description: "Customer not found", data: [], source: "PartnerFD" } }));
    const pc = new PartnerCenterClient({ http, cloud: GLOBAL_CLOUD, getToken: tokens().getToken });
    const err = await pc.resolveCustomer(id).catch((e: unknown) => e);
    expect(isSamkitError(err)).toBe(true);
    expect(err).toMatchObject({ code: "SAMKIT_PC_CUSTOMER_NOT_FOUND", status: 404 });
    expect((err as Error).message).toContain(id);
  });
});

describe("broker forceRefresh and the disk cache", () => {
  let dir: string;
  beforeEach(() => {
    process.env["SAMKIT_TEST_NOW"] = String(NOW);
    dir = mkdtempSync(join(tmpdir(), "samkit-reauth-"));
  });
  afterEach(() => {
    delete process.env["SAMKIT_TEST_NOW"];
    rmSync(dir, { recursive: true, force: true });
  });

  /** A broker factory over one stored profile, counting fake grants and one disk cache. */
  async function setup(): Promise<{ broker: () => TokenBroker; grants: CountingGrants; cache: DiskTokenCache }> {
    const store = await storeWithProfile({ tenantId: PARTNER, clientId: CLIENT, refreshTokenRotatedAt: new Date(NOW * 1000).toISOString() });
    const grants = countingGrants(NOW);
    const cache = new DiskTokenCache({ dir: join(dir, "tokens") });
    const broker = () => new TokenBroker({ cloud: GLOBAL_CLOUD, store, http: {} as HttpClient, grants, cache });
    return { broker, grants, cache };
  }

  it("forceRefresh drops the cached token from memory and disk even when the redemption fails", async () => {
    const { broker, grants } = await setup();
    const b = broker();
    expect((await b.getToken()).token).toBe("at-1");
    grants.fail = true;
    await expect(b.getToken({ forceRefresh: true })).rejects.toMatchObject({ code: "SAMKIT_REFRESH_TOKEN_REVOKED" });
    // Neither this broker's memory nor a new process (disk) serves the rejected token again.
    await expect(b.getToken()).rejects.toMatchObject({ code: "SAMKIT_REFRESH_TOKEN_REVOKED" });
    await expect(broker().getToken()).rejects.toMatchObject({ code: "SAMKIT_REFRESH_TOKEN_REVOKED" });
  });

  it("forceRefresh passes the challenge's claims to the grant", async () => {
    const { broker, grants } = await setup();
    const b = broker();
    await b.getToken();
    expect((await b.getToken({ forceRefresh: true, claims: CLAIMS })).token).toBe("at-2");
    expect(grants.claims).toEqual([undefined, CLAIMS]);
  });

  it("asTokenCredential: a CAE claims challenge forces a new token and passes the claims on", async () => {
    const { broker, grants } = await setup();
    const cred = broker().asTokenCredential();
    const scope = "https://graph.microsoft.com/.default";
    expect((await cred.getToken(scope))?.token).toBe("at-1");
    expect((await cred.getToken(scope, { claims: CLAIMS }))?.token).toBe("at-2");
    expect(grants.claims).toEqual([undefined, CLAIMS]);
  });

  it("a write prunes expired .tok files (bounded sample), keeps live ones; a read never prunes", async () => {
    const c = new DiskTokenCache({ dir });
    await c.set("expired-1", { token: "x", expiresOnMs: (NOW - 7200) * 1000, scopes: [], tenantId: PARTNER });
    await c.set("expired-2", { token: "y", expiresOnMs: (NOW - 7200) * 1000, scopes: [], tenantId: PARTNER });
    await c.set("live", { token: "z", expiresOnMs: (NOW + 3600) * 1000, scopes: [], tenantId: PARTNER });
    expect(readdirSync(dir).filter((f) => f.endsWith(".tok"))).toHaveLength(3);
    // Reads (and a fresh instance's reads) leave the folder alone.
    const reader = new DiskTokenCache({ dir });
    await reader.get("expired-1");
    await reader.get("live");
    expect(readdirSync(dir).filter((f) => f.endsWith(".tok"))).toHaveLength(3);
    // The next process's first write prunes.
    const writer = new DiskTokenCache({ dir });
    await writer.set("other", { token: "w", expiresOnMs: (NOW + 3600) * 1000, scopes: [], tenantId: PARTNER });
    const left = readdirSync(dir).filter((f) => f.endsWith(".tok")).sort();
    expect(left).toEqual([writer.pathFor("live"), writer.pathFor("other")].map((p) => p.slice(dir.length + 1)).sort());
    expect(await writer.get("live")).toMatchObject({ token: "z" });
  });

  it("prune() removes an entry whose mtime (expiry) passed and respects the sample bound", async () => {
    const c = new DiskTokenCache({ dir, prune: false });
    for (let i = 0; i < 5; i++) await c.set(`k${i}`, { token: "t", expiresOnMs: (NOW + 3600) * 1000, scopes: [], tenantId: PARTNER });
    const old = new Date((NOW - 7200) * 1000);
    for (let i = 0; i < 5; i++) utimesSync(c.pathFor(`k${i}`), old, old);
    expect(await c.prune(2)).toBe(2);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tok"))).toHaveLength(3);
    expect(await c.prune()).toBe(3);
  });
});
