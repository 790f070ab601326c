/**
 * The emulated Partner Center over real HTTP: paging of 1,000 customers with MS-ContinuationToken,
 * the MFA rule (and Graph accepting the same MFA-less sign-in), ApiFault/429/20002 shapes, header
 * echo, and application consents moving a customer from "no consent" to redeemable.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_IDS } from "../../emulator/index.js";
import {
  appToken,
  bearer,
  claimsOf,
  delegatedToken,
  GRAPH,
  PC,
  redeem,
  signIn,
  startEmulator,
  type Started,
} from "./emulator-services-helpers.js";

let s: Started;
let pcUrl: string;
/** App+User Partner Center token of the MFA service account. */
let mfaToken: string;
/** Partner refresh token of the MFA service account. */
let partnerRt: string;

beforeAll(async () => {
  s = await startEmulator({ seedCustomers: 1000 });
  pcUrl = s.cloud.partnerCenterUrl;
  partnerRt = await signIn(s, "sam@samkitpartner.onmicrosoft.com", true);
  mfaToken = await delegatedToken(s, partnerRt, s.world.partnerTenantId, PC);
});
afterAll(async () => {
  await s.stop();
});

interface Page {
  totalCount: number;
  items: { id: string; companyProfile: { tenantId: string; domain: string; companyName: string }; relationshipToPartner: string }[];
  links: { self: unknown; next?: { uri: string; method: string; headers: { key: string; value: string }[] } };
  attributes: { objectType: string };
}

const get = (path: string, headers: Record<string, string> = {}): Promise<Response> => fetch(`${pcUrl}/v1${path}`, { headers: { ...bearer(mfaToken), accept: "application/json", ...headers } });

describe("GET /v1/customers paging", () => {
  it("returns all 1,000 customers in order over size=100 pages using the continuation header", async () => {
    const seen: string[] = [];
    let res = await get("/customers?size=100");
    let pages = 0;
    for (;;) {
      expect(res.status).toBe(200);
      const page = (await res.json()) as Page;
      pages++;
      expect(page.totalCount).toBe(1000);
      expect(page.attributes.objectType).toBe("Collection");
      expect(page.items.length).toBeLessThanOrEqual(100);
      seen.push(...page.items.map((c) => c.id));
      const next = page.links.next;
      if (!next) break;
      expect(next.uri).toContain("seekOperation=Next");
      expect(next.headers[0]?.key).toBe("MS-ContinuationToken");
      const headers = Object.fromEntries(next.headers.map((h) => [h.key, h.value]));
      res = await get(next.uri.replace(/^\/v1/, ""), headers);
    }
    expect(pages).toBe(10);
    expect(seen).toEqual(s.world.customers.map((c) => c.tenantId));
  });

  it("answers page one again when the continuation header is dropped", async () => {
    const first = (await (await get("/customers?size=100")).json()) as Page;
    const next = first.links.next!;
    const second = (await (await get(next.uri, Object.fromEntries(next.headers.map((h) => [h.key, h.value])))).json()) as Page;
    expect(second.items[0]?.id).toBe(s.world.customers[100]?.tenantId);
    const dropped = (await (await get(next.uri)).json()) as Page;
    expect(dropped.items.map((c) => c.id)).toEqual(first.items.map((c) => c.id));
  });

  it("rejects a continuation token it did not issue with an ApiFault", async () => {
    const res = await get("/customers?size=100&seekOperation=Next", { "MS-ContinuationToken": "not-a-token" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ code: 3000, description: expect.any(String), data: [], source: "PartnerFD" });
  });

  it("renders customers as Partner Center does (companyProfile, relationshipToPartner)", async () => {
    const page = (await (await get("/customers?size=2")).json()) as Page;
    const c = page.items[0]!;
    const w = s.world.customers[0]!;
    expect(c).toMatchObject({ id: w.tenantId, companyProfile: { tenantId: w.tenantId, domain: w.domain, companyName: w.name }, relationshipToPartner: "reseller", attributes: { objectType: "Customer" } });
    const one = await get(`/customers/${w.tenantId}`);
    expect(await one.json()).toMatchObject({ id: w.tenantId });
  });

  it("filters by domain prefix", async () => {
    const w = s.world.customers[7]!;
    const filter = encodeURIComponent(JSON.stringify({ Field: "Domain", Value: w.domain, Operator: "starts_with" }));
    const page = (await (await get(`/customers?size=0&filter=${filter}`)).json()) as Page;
    expect(page.items.map((c) => c.id)).toEqual([w.tenantId]);
  });
});

describe("tokens and MFA", () => {
  it("refuses an App+User token without amr mfa (401, Bearer error=invalid_token, no body), while Graph accepts the same sign-in", async () => {
    const rt = await signIn(s, "user@samkitpartner.onmicrosoft.com", false);
    const pcToken = await delegatedToken(s, rt, s.world.partnerTenantId, PC);
    expect(claimsOf(pcToken)["amr"]).not.toContain("mfa");
    const res = await fetch(`${pcUrl}/v1/customers?size=10`, { headers: bearer(pcToken) });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    expect(await res.text()).toBe("");

    const graphToken = await delegatedToken(s, rt, s.world.partnerTenantId, GRAPH);
    const g = await fetch(`${s.cloud.graphUrl}/v1.0/organization`, { headers: bearer(graphToken) });
    expect(g.status).toBe(200);
    expect(((await g.json()) as { value: { id: string }[] }).value[0]?.id).toBe(s.world.partnerTenantId);
  });

  it("accepts the MFA token and app-only tokens (exempt from the MFA rule)", async () => {
    expect(claimsOf(mfaToken)["amr"]).toContain("mfa");
    expect((await get("/profiles/organization")).status).toBe(200);
    const appOnly = await appToken(s, s.world.partnerTenantId, "https://graph.windows.net");
    const res = await fetch(`${pcUrl}/v1/customers?size=5`, { headers: bearer(appOnly) });
    expect(res.status).toBe(200);
  });

  it("answers a missing token, a Graph token and a customer-tenant token with a 401 ApiFault", async () => {
    const none = await fetch(`${pcUrl}/v1/customers`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ code: 400, description: expect.any(String), data: [], source: "PartnerFD" });

    const graphToken = await delegatedToken(s, partnerRt, s.world.partnerTenantId, GRAPH);
    expect((await fetch(`${pcUrl}/v1/customers`, { headers: bearer(graphToken) })).status).toBe(401);

    const healthy = s.world.customers.find((c) => c.state === "healthy")!;
    const customerToken = await delegatedToken(s, partnerRt, healthy.tenantId, PC);
    const res = await fetch(`${pcUrl}/v1/customers`, { headers: bearer(customerToken) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { description: string }).description).toContain(healthy.tenantId);
  });

  it("echoes MS-RequestId and MS-CorrelationId", async () => {
    const res = await get("/profiles/organization", { "MS-RequestId": "11111111-2222-3333-4444-555555555555", "MS-CorrelationId": "66666666-7777-8888-9999-000000000000" });
    expect(res.headers.get("ms-requestid")).toBe("11111111-2222-3333-4444-555555555555");
    expect(res.headers.get("ms-correlationid")).toBe("66666666-7777-8888-9999-000000000000");
    const body = (await res.json()) as { tenantId: string };
    expect(body.tenantId).toBe(s.world.partnerTenantId);
  });
});

describe("errors", () => {
  it("answers 20002 for a customer without a reseller relationship", async () => {
    const lost = s.world.customers.find((c) => c.state === "no-relationship")!;
    const res = await get(`/customers/${lost.tenantId}/subscriptions`);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ code: 20002, description: "The partner has no reseller relationship with this customer.", data: [], source: "PartnerFD" });
  });

  it("answers 404 for an unknown customer", async () => {
    const res = await get("/customers/00000000-0000-4000-8000-000000000000");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { code: number }).code).toBe(60003);
  });

  it("throttles with 429, Retry-After and {statusCode, message} when a scenario says so", async () => {
    const rule = await fetch(`${s.cloud.url}/_emulator/scenarios`, {
      method: "POST",
      body: JSON.stringify({ service: "partner-center", path: "^/v1/customers/[^/]+$", status: 429, retryAfter: 7, times: 1 }),
    });
    expect(rule.ok).toBe(true);
    const id = s.world.customers[0]!.tenantId;
    const res = await get(`/customers/${id}`);
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(await res.json()).toEqual({ statusCode: 429, message: "Rate limit is exceeded. Try again in 7 seconds." });
    expect((await get(`/customers/${id}`)).status).toBe(200);
  });

  it("lists subscriptions of a healthy customer", async () => {
    const healthy = s.world.customers.find((c) => c.state === "healthy")!;
    const res = await get(`/customers/${healthy.tenantId}/subscriptions`);
    const body = (await res.json()) as { totalCount: number; items: { id: string; offerName: string; attributes: { objectType: string } }[] };
    expect(body.totalCount).toBe(body.items.length);
    expect(body.items[0]?.attributes.objectType).toBe("Subscription");
    const one = await get(`/customers/${healthy.tenantId}/subscriptions/${body.items[0]!.id}`);
    expect(one.status).toBe(200);
  });
});

describe("application consents", () => {
  const consentBody = () => ({
    applicationId: s.world.samApp.clientId,
    applicationGrants: [
      { enterpriseApplicationId: APP_IDS.microsoftGraph, scope: "Directory.Read.All,User.Read" },
      { enterpriseApplicationId: APP_IDS.partnerCenter, scope: "user_impersonation" },
    ],
  });
  const post = (tenantId: string, body: unknown, token = mfaToken): Promise<Response> =>
    fetch(`${pcUrl}/v1/customers/${tenantId}/applicationconsents`, { method: "POST", headers: { ...bearer(token), "content-type": "application/json" }, body: JSON.stringify(body) });

  it("POST creates the service principal and grants, so redemption in that customer then succeeds; DELETE undoes it", async () => {
    const target = s.world.customers.find((c) => c.state === "no-consent")!;
    const before = await redeem(s, partnerRt, target.tenantId, GRAPH);
    expect(before.status).toBe(400);
    expect(before.body["error_codes"]).toEqual([65001]);

    const created = await post(target.tenantId, consentBody());
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ applicationId: s.world.samApp.clientId, applicationGrants: expect.arrayContaining([{ enterpriseApplicationId: APP_IDS.microsoftGraph, scope: "Directory.Read.All,User.Read" }]) });

    const after = await redeem(s, partnerRt, target.tenantId, GRAPH);
    expect(after.status).toBe(200);

    const list = (await (await get(`/customers/${target.tenantId}/applicationconsents`)).json()) as { items: { applicationId: string }[] };
    expect(list.items.map((i) => i.applicationId)).toContain(s.world.samApp.clientId);

    const again = await post(target.tenantId, consentBody());
    expect(again.status).toBe(409);
    expect(((await again.json()) as { description: string }).description).toBe("Permission entry already exists.");

    const del = await fetch(`${pcUrl}/v1/customers/${target.tenantId}/applicationconsents/${s.world.samApp.clientId}`, { method: "DELETE", headers: bearer(mfaToken) });
    expect(del.status).toBe(204);
    expect((await redeem(s, partnerRt, target.tenantId, GRAPH)).body["error_codes"]).toEqual([65001]);
  });

  it("accepts CIPP's PascalCase body and rejects unknown permissions, app-only callers and lost customers", async () => {
    const target = s.world.customers.find((c) => c.state === "healthy" && c !== s.world.customers[0])!;
    const bad = await post(target.tenantId, { ApplicationId: s.world.samApp.clientId, ApplicationGrants: [{ EnterpriseApplicationId: APP_IDS.microsoftGraph, Scope: "Not.A.Permission" }] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: number }).code).toBe(3000);

    const pascal = await post(target.tenantId, { ApplicationId: s.world.samApp.clientId, ApplicationGrants: [{ EnterpriseApplicationId: APP_IDS.microsoftGraph, Scope: "User.Read.All" }] });
    expect(pascal.status).toBe(201);

    const appOnly = await appToken(s, s.world.partnerTenantId, "https://graph.windows.net");
    expect((await post(target.tenantId, consentBody(), appOnly)).status).toBe(403);

    const lost = s.world.customers.find((c) => c.state === "no-relationship")!;
    const res = await post(lost.tenantId, consentBody());
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: number }).code).toBe(20002);
  });
});
