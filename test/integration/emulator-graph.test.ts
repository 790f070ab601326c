/**
 * The emulated Microsoft Graph over real HTTP with tokens from the emulator's identity endpoints:
 * per-tenant consent (Authorization_IdentityNotFound until Partner Center application consent),
 * roles (Authorization_RequestDenied), GDAP, throttling, app provisioning (applications,
 * passwords, certificates, service principals, AdminAgents), users paging.
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { SignJWT, importPKCS8 } from "jose";
import { generate } from "selfsigned";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_IDS, issueUserAccessToken } from "../../emulator/index.js";
import {
  appToken,
  bearer,
  clientCredentials,
  delegatedToken,
  GRAPH,
  GRAPH_CLI,
  PC,
  publicClientToken,
  signIn,
  startEmulator,
  type Started,
} from "./emulator-services-helpers.js";

let s: Started;
let partnerRt: string;
let pcToken: string;
let adminToken: string;

const ADMIN = "admin@samkitpartner.onmicrosoft.com";
const NO_ROLES = "user@samkitpartner.onmicrosoft.com";

beforeAll(async () => {
  s = await startEmulator({ seedCustomers: 12 });
  partnerRt = await signIn(s, "sam@samkitpartner.onmicrosoft.com", true);
  pcToken = await delegatedToken(s, partnerRt, s.world.partnerTenantId, PC);
  adminToken = await publicClientToken(s, GRAPH_CLI, ADMIN, `${GRAPH}/Application.ReadWrite.All ${GRAPH}/Directory.AccessAsUser.All`);
});
afterAll(async () => {
  await s.stop();
});

type Json = Record<string, unknown>;
async function graph(token: string | undefined, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(`${s.cloud.graphUrl}${path}`, {
    method: init.method ?? "GET",
    headers: { ...(token ? bearer(token) : {}), ...(init.body !== undefined ? { "content-type": "application/json" } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}
const pcConsent = (tenantId: string, method: "POST" | "DELETE") =>
  fetch(`${s.cloud.partnerCenterUrl}/v1/customers/${tenantId}/applicationconsents${method === "DELETE" ? `/${s.world.samApp.clientId}` : ""}`, {
    method,
    headers: { ...bearer(pcToken), "content-type": "application/json" },
    ...(method === "POST"
      ? { body: JSON.stringify({ applicationId: s.world.samApp.clientId, applicationGrants: [{ enterpriseApplicationId: APP_IDS.microsoftGraph, scope: "Directory.Read.All,User.Read" }] }) }
      : {}),
  });

function expectGraphError(r: { status: number; body: Json; headers: Headers }, status: number, code: string): void {
  expect(r.status).toBe(status);
  const error = r.body["error"] as Json;
  expect(Object.keys(error).sort()).toEqual(["code", "innerError", "message"]);
  expect(error["code"]).toBe(code);
  const inner = error["innerError"] as Json;
  expect(Object.keys(inner).sort()).toEqual(["client-request-id", "date", "request-id"]);
  expect(inner["date"]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  expect(inner["request-id"]).toBe(r.headers.get("request-id"));
}

describe("consent per customer tenant", () => {
  it("lists users in a consented customer, 401 Authorization_IdentityNotFound once the consent is gone, and works again after Partner Center consent", async () => {
    const customer = s.world.customers.find((c) => c.state === "healthy")!;
    const token = await delegatedToken(s, partnerRt, customer.tenantId, GRAPH);
    const users = await graph(token, "/v1.0/users");
    expect(users.status).toBe(200);
    expect((users.body["value"] as Json[]).map((u) => u["userPrincipalName"])).toContain(`admin@${customer.domain}`);

    expect((await pcConsent(customer.tenantId, "DELETE")).status).toBe(204);
    expectGraphError(await graph(token, "/v1.0/users", { headers: { "client-request-id": "13deef86-ab10-41d0-b646-e1f40a097c97" } }), 401, "Authorization_IdentityNotFound");
    const withId = await graph(token, "/v1.0/users", { headers: { "client-request-id": "13deef86-ab10-41d0-b646-e1f40a097c97" } });
    expect(((withId.body["error"] as Json)["innerError"] as Json)["client-request-id"]).toBe("13deef86-ab10-41d0-b646-e1f40a097c97");
    expect(((withId.body["error"] as Json)["message"])).toBe("The identity of the calling application could not be established.");

    expect((await pcConsent(customer.tenantId, "POST")).status).toBe(201);
    expect((await graph(token, "/v1.0/users")).status).toBe(200);
  });

  it("the seeded unconsented customer: a token there is refused by Graph; after the consent POST a redeemed token works", async () => {
    const customer = s.world.customers.find((c) => c.state === "no-consent")!;
    // Identity will not issue a token here (65001); a correctly signed one still gets Graph's answer.
    const ctx = s.emu.context;
    const user = ctx.world.userByUpn("sam@samkitpartner.onmicrosoft.com")!;
    const minted = issueUserAccessToken(ctx, {
      tenantId: customer.tenantId,
      user,
      client: ctx.world.application(s.world.samApp.clientId)!,
      audience: GRAPH,
      scopes: ["Directory.Read.All", "User.Read"],
      amr: ["pwd", "mfa"],
      appidacr: "1",
      wids: [],
    });
    expectGraphError(await graph(minted.token, "/v1.0/users"), 401, "Authorization_IdentityNotFound");

    expect((await pcConsent(customer.tenantId, "POST")).status).toBe(201);
    const token = await delegatedToken(s, partnerRt, customer.tenantId, GRAPH);
    const users = await graph(token, "/v1.0/users?$select=userPrincipalName");
    expect(users.status).toBe(200);
    expect(users.body["value"]).toEqual(expect.arrayContaining([{ userPrincipalName: `admin@${customer.domain}` }]));
  });

  it("GDAP expired: app-only works, a delegated partner user gets 403 Authorization_RequestDenied", async () => {
    const customer = s.world.customers.find((c) => c.state === "no-gdap")!;
    const app = await appToken(s, customer.tenantId, GRAPH);
    expect((await graph(app, "/v1.0/users")).status).toBe(200);
    const ctx = s.emu.context;
    const minted = issueUserAccessToken(ctx, {
      tenantId: customer.tenantId,
      user: ctx.world.userByUpn("sam@samkitpartner.onmicrosoft.com")!,
      client: ctx.world.application(s.world.samApp.clientId)!,
      audience: GRAPH,
      scopes: ["Directory.Read.All"],
      amr: ["pwd", "mfa"],
      appidacr: "1",
      wids: [],
    });
    expectGraphError(await graph(minted.token, "/v1.0/users"), 403, "Authorization_RequestDenied");
  });
});

describe("authentication and throttling", () => {
  it("401 InvalidAuthenticationToken without a token or with a token for another audience", async () => {
    const none = await graph(undefined, "/v1.0/users");
    expectGraphError(none, 401, "InvalidAuthenticationToken");
    expect(none.headers.get("www-authenticate")).toContain(`client_id="${APP_IDS.microsoftGraph}"`);
    expectGraphError(await graph(pcToken, "/v1.0/users"), 401, "InvalidAuthenticationToken");
  });

  it("CAE: a token issued before a session revocation gets insufficient_claims", async () => {
    const rt = await signIn(s, NO_ROLES, false);
    const token = await delegatedToken(s, rt, s.world.partnerTenantId, GRAPH);
    expect((await graph(token, "/v1.0/me")).status).toBe(200);
    s.emu.context.clock.advance(5);
    await fetch(`${s.cloud.url}/_emulator/sessions/revoke`, { method: "POST", body: JSON.stringify({ username: NO_ROLES }) });
    const r = await graph(token, "/v1.0/me");
    expectGraphError(r, 401, "InvalidAuthenticationToken");
    expect(r.headers.get("www-authenticate")).toMatch(/error="insufficient_claims", claims="[A-Za-z0-9+/=]+"/);
  });

  it("429 with Retry-After when a scenario throttles Graph", async () => {
    await fetch(`${s.cloud.url}/_emulator/scenarios`, { method: "POST", body: JSON.stringify({ service: "graph", path: "^/v1.0/organization$", status: 429, retryAfter: 3, times: 1 }) });
    const token = await appToken(s, s.world.partnerTenantId, GRAPH);
    const r = await graph(token, "/v1.0/organization");
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("3");
    expect((r.body["error"] as Json)["code"]).toBe("TooManyRequests");
    expect((await graph(token, "/v1.0/organization")).status).toBe(200);
  });
});

describe("app provisioning", () => {
  it("creates, finds, patches an application; 403 for a user without an admin role and for an app without the role", async () => {
    const body = {
      displayName: "samkit test app",
      signInAudience: "AzureADMultipleOrgs",
      isFallbackPublicClient: true,
      web: { redirectUris: ["http://localhost"] },
      requiredResourceAccess: [{ resourceAppId: APP_IDS.partnerCenter, resourceAccess: [{ id: "1cebfa2a-fb4d-419e-b5f9-839b4383e05a", type: "Scope" }] }],
      servicePrincipalLockConfiguration: { isEnabled: true, allProperties: true },
    };
    const userToken = await publicClientToken(s, GRAPH_CLI, NO_ROLES, `${GRAPH}/Application.ReadWrite.All`);
    expectGraphError(await graph(userToken, "/v1.0/applications", { method: "POST", body }), 403, "Authorization_RequestDenied");
    const samAppOnly = await appToken(s, s.world.partnerTenantId, GRAPH);
    expectGraphError(await graph(samAppOnly, "/v1.0/applications", { method: "POST", body }), 403, "Authorization_RequestDenied");

    const created = await graph(adminToken, "/v1.0/applications", { method: "POST", body });
    expect(created.status).toBe(201);
    const id = String(created.body["id"]);
    const appId = String(created.body["appId"]);
    expect(created.body).toMatchObject({ displayName: "samkit test app", signInAudience: "AzureADMultipleOrgs", isFallbackPublicClient: true, web: { redirectUris: ["http://localhost"] } });

    const byName = await graph(adminToken, `/v1.0/applications?$filter=${encodeURIComponent("displayName eq 'samkit test app'")}&$select=id,appId`);
    expect(byName.body["value"]).toEqual([{ id, appId }]);
    const byAppId = await graph(adminToken, `/v1.0/applications?$filter=${encodeURIComponent(`appId eq '${appId}'`)}`);
    expect((byAppId.body["value"] as Json[]).map((a) => a["id"])).toEqual([id]);
    const alt = await graph(adminToken, `/v1.0/applications(appId='${appId}')?$select=id,passwordCredentials,servicePrincipalLockConfiguration`);
    expect(alt.body).toMatchObject({ id, passwordCredentials: [], servicePrincipalLockConfiguration: { isEnabled: true, allProperties: true } });

    expect((await graph(adminToken, `/v1.0/applications/${id}`, { method: "PATCH", body: { web: { redirectUris: ["http://localhost", "http://localhost:8400"] } } })).status).toBe(204);
    expect(((await graph(adminToken, `/v1.0/applications/${id}`)).body["web"] as Json)["redirectUris"]).toEqual(["http://localhost", "http://localhost:8400"]);
    expect((await graph(adminToken, `/v1.0/applications/${randomUUID()}`)).status).toBe(404);
  });

  it("addPassword returns a secret the token endpoint accepts; removePassword revokes it", async () => {
    const created = await graph(adminToken, "/v1.0/applications", { method: "POST", body: { displayName: "secret app", signInAudience: "AzureADMultipleOrgs" } });
    const id = String(created.body["id"]);
    const appId = String(created.body["appId"]);
    expect((await graph(adminToken, "/v1.0/servicePrincipals", { method: "POST", body: { appId } })).status).toBe(201);
    const dup = await graph(adminToken, "/v1.0/servicePrincipals", { method: "POST", body: { appId } });
    expect(dup.status).toBe(409);

    const pw = await graph(adminToken, `/v1.0/applications(appId='${appId}')/addPassword`, { method: "POST", body: { passwordCredential: { displayName: "samkit" } } });
    expect(pw.status).toBe(200);
    expect(pw.body).toMatchObject({ displayName: "samkit", secretText: expect.stringMatching(/^.{3}8Q~.{37}$/), keyId: expect.any(String), endDateTime: expect.any(String) });
    const listed = await graph(adminToken, `/v1.0/applications/${id}?$select=passwordCredentials`);
    expect((listed.body["passwordCredentials"] as Json[])[0]).toMatchObject({ keyId: pw.body["keyId"], secretText: null, hint: String(pw.body["secretText"]).slice(0, 3) });

    const ok = await clientCredentials(s, s.world.partnerTenantId, appId, { client_secret: String(pw.body["secretText"]) });
    expect(ok.status).toBe(200);
    expect((await graph(adminToken, `/v1.0/applications/${id}/removePassword`, { method: "POST", body: { keyId: pw.body["keyId"] } })).status).toBe(204);
    const refused = await clientCredentials(s, s.world.partnerTenantId, appId, { client_secret: String(pw.body["secretText"]) });
    expect(refused.status).toBe(401);
    expect(refused.body["error_codes"]).toEqual([7000215]);
  });

  it("keyCredentials: a certificate PATCHed onto the app signs private_key_jwt assertions the token endpoint accepts", async () => {
    const created = await graph(adminToken, "/v1.0/applications", { method: "POST", body: { displayName: "cert app", signInAudience: "AzureADMultipleOrgs" } });
    const appId = String(created.body["appId"]);
    await graph(adminToken, "/v1.0/servicePrincipals", { method: "POST", body: { appId } });
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pems = await generate([{ name: "commonName", value: "samkit test cert" }], {
      keyPair: { privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(), publicKey: publicKey.export({ type: "spki", format: "pem" }).toString() },
      algorithm: "sha256",
    });
    const der = Buffer.from(pems.cert.replace(/-----[^-]+-----|\s/g, ""), "base64");
    const patch = await graph(adminToken, `/v1.0/applications/${String(created.body["id"])}`, {
      method: "PATCH",
      body: { keyCredentials: [{ type: "AsymmetricX509Cert", usage: "Verify", key: der.toString("base64"), displayName: "CN=samkit test cert" }] },
    });
    expect(patch.status).toBe(204);
    const keys = (await graph(adminToken, `/v1.0/applications/${String(created.body["id"])}?$select=keyCredentials`)).body["keyCredentials"] as Json[];
    expect(keys[0]).toMatchObject({ type: "AsymmetricX509Cert", usage: "Verify", displayName: "CN=samkit test cert" });

    const x5t = (await import("node:crypto")).createHash("sha1").update(der).digest("base64url");
    const tokenUrl = `${s.cloud.url}/${s.world.partnerTenantId}/oauth2/v2.0/token`;
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: "RS256", typ: "JWT", x5t })
      .setIssuer(appId)
      .setSubject(appId)
      .setAudience(tokenUrl)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(await importPKCS8(privateKey.export({ type: "pkcs8", format: "pem" }).toString(), "RS256"));
    const t = await clientCredentials(s, s.world.partnerTenantId, appId, { client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: assertion });
    expect(t.status).toBe(200);

    const bad = await graph(adminToken, `/v1.0/applications/${String(created.body["id"])}`, { method: "PATCH", body: { keyCredentials: [{ type: "AsymmetricX509Cert", usage: "Verify", key: "bm90IGEgY2VydA==" }] } });
    expectGraphError(bad, 400, "Request_BadRequest");
  });

  it("AdminAgents: find the group, add a service principal with members/$ref, duplicate refused", async () => {
    const groups = await graph(adminToken, `/v1.0/groups?$filter=${encodeURIComponent("displayName eq 'AdminAgents'")}`);
    const gid = String((groups.body["value"] as Json[])[0]?.["id"]);
    const created = await graph(adminToken, "/v1.0/applications", { method: "POST", body: { displayName: "agent app", signInAudience: "AzureADMultipleOrgs" } });
    const sp = await graph(adminToken, "/v1.0/servicePrincipals", { method: "POST", body: { appId: created.body["appId"] } });
    const ref = { "@odata.id": `https://graph.microsoft.com/v1.0/directoryObjects/${String(sp.body["id"])}` };
    expect((await graph(adminToken, `/v1.0/groups/${gid}/members/$ref`, { method: "POST", body: ref })).status).toBe(204);
    expectGraphError(await graph(adminToken, `/v1.0/groups/${gid}/members/$ref`, { method: "POST", body: ref }), 400, "Request_BadRequest");
    const members = await graph(adminToken, `/v1.0/groups/${gid}/members`);
    expect((members.body["value"] as Json[]).find((m) => m["id"] === sp.body["id"])).toMatchObject({ "@odata.type": "#microsoft.graph.servicePrincipal" });
    const filtered = await graph(adminToken, `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${String(created.body["appId"])}'`)}`);
    expect((filtered.body["value"] as Json[]).map((x) => x["id"])).toEqual([sp.body["id"]]);
  });
});

describe("directory and partner reads", () => {
  it("pages users with $top, $select and @odata.nextLink", async () => {
    const token = await appToken(s, s.world.partnerTenantId, GRAPH);
    const seen: Json[] = [];
    let next: string | undefined = "/v1.0/users?$top=2&$select=id,userPrincipalName";
    let pages = 0;
    while (next) {
      const r = await graph(token, next.replace(s.cloud.graphUrl, ""));
      expect(r.status).toBe(200);
      pages++;
      seen.push(...(r.body["value"] as Json[]));
      next = r.body["@odata.nextLink"] as string | undefined;
    }
    expect(pages).toBe(2);
    expect(seen.map((u) => Object.keys(u).sort())).toEqual(seen.map(() => ["id", "userPrincipalName"]));
    expect(seen.map((u) => u["userPrincipalName"])).toEqual(s.world.users.map((u) => u.username));
  });

  it("lists active GDAP relationships (CIPP's query), GDAP customers, contracts and the organization", async () => {
    const token = await delegatedToken(s, partnerRt, s.world.partnerTenantId, GRAPH);
    const q = `$filter=${encodeURIComponent("status eq 'active'")}&$select=customer,autoExtendDuration,endDateTime`;
    const rels = await graph(token, `/v1.0/tenantRelationships/delegatedAdminRelationships?${q}`);
    expect(rels.status).toBe(200);
    const tids = (rels.body["value"] as { customer: { tenantId: string } }[]).map((r) => r.customer.tenantId);
    expect(tids.sort()).toEqual(s.world.customers.filter((c) => c.gdap).map((c) => c.tenantId).sort());
    expect(Object.keys((rels.body["value"] as Json[])[0]!).sort()).toEqual(["autoExtendDuration", "customer", "endDateTime"]);

    const customers = await graph(token, "/v1.0/tenantRelationships/delegatedAdminCustomers");
    expect((customers.body["value"] as Json[]).length).toBe(tids.length);
    const contracts = await graph(token, "/v1.0/contracts?$top=999");
    expect((contracts.body["value"] as Json[])[0]).toMatchObject({ contractType: "ResellerPartner", customerId: s.world.customers[0]!.tenantId, defaultDomainName: s.world.customers[0]!.domain });
    const org = await graph(token, "/beta/organization");
    expect((org.body["value"] as Json[])[0]?.["id"]).toBe(s.world.partnerTenantId);
  });
});
