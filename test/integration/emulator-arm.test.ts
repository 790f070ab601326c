/**
 * The emulated Azure Resource Manager over real HTTP: subscriptions and resource groups per
 * tenant with nextLink paging, and ARM's `{error:{code,message}}` shape for auth and lookups.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_IDS } from "../../emulator/index.js";
import { appToken, ARM, bearer, delegatedToken, GRAPH, PC, redeem, signIn, startEmulator, type Started } from "./emulator-services-helpers.js";

let s: Started;
let partnerToken: string;
const V = "api-version=2022-12-01";

beforeAll(async () => {
  s = await startEmulator({ seedCustomers: 12 });
  partnerToken = await appToken(s, s.world.partnerTenantId, ARM);
});
afterAll(async () => {
  await s.stop();
});

type Json = Record<string, unknown>;
async function arm(token: string | undefined, path: string): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(path.startsWith("http") ? path : `${s.cloud.armUrl}${path}`, { headers: token ? bearer(token) : {} });
  return { status: res.status, body: (await res.json()) as Json, headers: res.headers };
}
function expectArmError(r: { status: number; body: Json }, status: number, code: string): void {
  expect(r.status).toBe(status);
  expect(Object.keys(r.body)).toEqual(["error"]);
  expect(Object.keys(r.body["error"] as Json).sort()).toEqual(["code", "message"]);
  expect((r.body["error"] as Json)["code"]).toBe(code);
}
async function all(token: string, path: string): Promise<{ items: Json[]; pages: number }> {
  const items: Json[] = [];
  let pages = 0;
  let next: string | undefined = path;
  while (next) {
    const r = await arm(token, next);
    expect(r.status).toBe(200);
    pages++;
    items.push(...(r.body["value"] as Json[]));
    next = r.body["nextLink"] as string | undefined;
  }
  return { items, pages };
}

describe("ARM subscriptions and resource groups", () => {
  it("lists the partner's subscriptions, one per page with $top=1 following nextLink", async () => {
    const whole = await all(partnerToken, `/subscriptions?${V}`);
    expect(whole.pages).toBe(1);
    expect(whole.items).toHaveLength(2);
    expect(whole.items.every((x) => x["tenantId"] === s.world.partnerTenantId && x["state"] === "Enabled")).toBe(true);
    const paged = await all(partnerToken, `/subscriptions?${V}&$top=1`);
    expect(paged.pages).toBe(2);
    expect(paged.items.map((x) => x["subscriptionId"])).toEqual(whole.items.map((x) => x["subscriptionId"]));
  });

  it("pages resource groups completely and gets one subscription", async () => {
    const sub = (await all(partnerToken, `/subscriptions?${V}`)).items[0]!;
    const id = String(sub["subscriptionId"]);
    expect((await arm(partnerToken, `/subscriptions/${id}?${V}`)).body).toMatchObject({ id: `/subscriptions/${id}`, subscriptionId: id });
    const whole = await all(partnerToken, `/subscriptions/${id}/resourceGroups?${V}`);
    expect(whole.items.length).toBeGreaterThanOrEqual(3);
    const paged = await all(partnerToken, `/subscriptions/${id}/resourcegroups?${V}&$top=2`);
    expect(paged.pages).toBe(Math.ceil(whole.items.length / 2));
    expect(paged.items).toEqual(whole.items);
    expect(whole.items[0]).toMatchObject({ type: "Microsoft.Resources/resourceGroups", id: expect.stringMatching(new RegExp(`^/subscriptions/${id}/resourceGroups/`)) });
  });

  it("shows a customer's subscriptions to a GDAP token there (after an ARM application consent), managed by the partner", async () => {
    const rt = await signIn(s, "sam@samkitpartner.onmicrosoft.com", true);
    const pcToken = await delegatedToken(s, rt, s.world.partnerTenantId, PC);
    const withSubs = s.world.customers.filter((c) => c.state === "healthy");
    let found = 0;
    for (const c of withSubs) {
      // The seeded consent covers Partner Center and Graph only; Microsoft's CPV sample adds ARM like this.
      expect((await redeem(s, rt, c.tenantId, ARM)).body["error_codes"]).toEqual([65001]);
      const consent = await s.fetch(`${s.cloud.partnerCenterUrl}/v1/customers/${c.tenantId}/applicationconsents`, {
        method: "POST",
        headers: { ...bearer(pcToken), "content-type": "application/json" },
        body: JSON.stringify({ applicationId: s.world.samApp.clientId, applicationGrants: [{ enterpriseApplicationId: APP_IDS.azureServiceManagement, scope: "user_impersonation" }] }),
      });
      expect(consent.status).toBe(201);
      const token = await delegatedToken(s, rt, c.tenantId, ARM);
      const subs = (await all(token, `/subscriptions?${V}`)).items;
      for (const x of subs) expect(x).toMatchObject({ tenantId: c.tenantId, managedByTenants: [{ tenantId: s.world.partnerTenantId }] });
      found += subs.length;
    }
    expect(found).toBeGreaterThan(0);
  });
});

describe("ARM errors", () => {
  it("401 AuthenticationFailed without a token, InvalidAuthenticationTokenAudience with a Graph token", async () => {
    const none = await arm(undefined, `/subscriptions?${V}`);
    expectArmError(none, 401, "AuthenticationFailed");
    expect(none.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expectArmError(await arm(await appToken(s, s.world.partnerTenantId, GRAPH), `/subscriptions?${V}`), 401, "InvalidAuthenticationTokenAudience");
  });

  it("400 MissingApiVersionParameter, 404 SubscriptionNotFound, 401 InvalidAuthenticationTokenTenant for another tenant's subscription", async () => {
    expectArmError(await arm(partnerToken, "/subscriptions"), 400, "MissingApiVersionParameter");
    expectArmError(await arm(partnerToken, `/subscriptions/00000000-0000-4000-8000-000000000000?${V}`), 404, "SubscriptionNotFound");
    const healthy = s.world.customers.filter((c) => c.state === "healthy");
    for (const c of healthy) {
      const token = await appToken(s, c.tenantId, ARM);
      const subs = (await arm(token, `/subscriptions?${V}`)).body["value"] as Json[];
      if (subs.length === 0) continue;
      const r = await arm(partnerToken, `/subscriptions/${String(subs[0]!["subscriptionId"])}/resourceGroups?${V}`);
      expectArmError(r, 401, "InvalidAuthenticationTokenTenant");
      return;
    }
    throw new Error("no customer with a subscription in the seeded world");
  });
});
