/**
 * The emulator's identity platform over real HTTP: every AADSTS row of issue 3 triggered through
 * the token/authorize endpoints, with the exact Entra error shape (facts/errors.md §1).
 */
import { createHash, randomUUID, X509Certificate } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, importPKCS8, SignJWT } from "jose";
import { generate } from "selfsigned";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EmulatorServer } from "../../emulator/server.js";
import { verifyAccessToken } from "../../emulator/tokens.js";

interface WorldJson {
  partnerTenantId: string;
  samApp: { clientId: string; clientSecret: string };
  users: { username: string; password: string; mfa: boolean }[];
  customers: { tenantId: string; domain: string; state: string; consented: boolean; gdap: boolean }[];
}

const AZURE_CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
const PC = "https://api.partnercenter.microsoft.com";
const GRAPH_DEFAULT = "https://graph.microsoft.com/.default";
const SAM = "sam@samkitpartner.onmicrosoft.com";
const NOMFA = "user@samkitpartner.onmicrosoft.com";

let emu: EmulatorServer;
let url: string;
let world: WorldJson;

async function control(path: string, body?: unknown): Promise<Response> {
  return fetch(`${url}/_emulator/${path}`, body === undefined ? {} : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
}

async function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const r = await fetch(`${url}${path}`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded;charset=utf-8", ...headers }, body: new URLSearchParams(form), redirect: "manual" });
  return { status: r.status, body: (await r.json()) as Record<string, unknown>, headers: r.headers };
}

const token = (tenant: string, form: Record<string, string>, headers?: Record<string, string>) => post(`/${tenant}/oauth2/v2.0/token`, form, headers);
const customer = (state: string) => world.customers.find((c) => c.state === state)!;

/** Sign in through the device flow (approved via the control API); returns the token response. */
async function deviceLogin(username = SAM, scope = `${PC}/user_impersonation offline_access openid profile`, mfa?: boolean): Promise<Record<string, unknown>> {
  const dc = await post("/organizations/oauth2/v2.0/devicecode", { client_id: world.samApp.clientId, scope });
  expect(dc.status).toBe(200);
  const ok = await control("devicecode/approve", { userCode: dc.body.user_code, username, ...(mfa !== undefined ? { mfa } : {}) });
  expect(ok.status).toBe(200);
  const t = await token("organizations", { grant_type: "device_code", client_id: world.samApp.clientId, device_code: String(dc.body.device_code), client_info: "1" });
  expect(t.status).toBe(200);
  return t.body;
}

const refresh = (tenant: string, rt: string, extra: Record<string, string> = {}) =>
  token(tenant, { grant_type: "refresh_token", client_id: world.samApp.clientId, client_secret: world.samApp.clientSecret, refresh_token: rt, scope: GRAPH_DEFAULT, ...extra });

/** Assert the exact Entra error body for `code`. */
function expectAadError(res: { status: number; body: Record<string, unknown>; headers: Headers }, code: number, error: string, opts: { status?: number; suberror?: string } = {}): void {
  expect(res.status).toBe(opts.status ?? 400);
  const b = res.body;
  const keys = ["error", "error_description", "error_codes", "timestamp", "trace_id", "correlation_id", "error_uri", ...(opts.suberror ? ["suberror"] : [])];
  expect(Object.keys(b).filter((k) => k !== "claims").sort()).toEqual(keys.sort());
  expect(b.error).toBe(error);
  expect(b.error_codes).toEqual([code]);
  if (opts.suberror) expect(b.suberror).toBe(opts.suberror);
  expect(b.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
  expect(b.trace_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(b.correlation_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(b.error_uri).toBe(`https://login.microsoftonline.com/error?code=${code}`);
  const lines = String(b.error_description).split("\r\n");
  expect(lines[0]).toMatch(new RegExp(`^AADSTS${code}: \\S`));
  expect(lines.slice(1)).toEqual([`Trace ID: ${String(b.trace_id)}`, `Correlation ID: ${String(b.correlation_id)}`, `Timestamp: ${String(b.timestamp)}`]);
  expect(res.headers.get("x-ms-clitelem")).toBe(`1,${code},0,,`);
}

beforeAll(async () => {
  emu = new EmulatorServer({ seedCustomers: 8 });
  url = (await emu.start()).url;
  world = (await (await control("world")).json()) as WorldJson;
});
afterAll(async () => {
  await emu.stop();
});
beforeEach(async () => {
  await control("reset", {});
});

describe("emulator identity: discovery and tokens", () => {
  it("serves a tenant's v2 discovery document and a JWKS that verifies issued tokens", async () => {
    const doc = (await (await fetch(`${url}/${world.partnerTenantId}/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(doc.issuer).toBe(`${url}/${world.partnerTenantId}/v2.0`);
    expect(doc.token_endpoint).toBe(`${url}/${world.partnerTenantId}/oauth2/v2.0/token`);
    const common = (await (await fetch(`${url}/organizations/v2.0/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(common.issuer).toBe(`${url}/{tenantid}/v2.0`);
    const v1 = (await (await fetch(`${url}/${world.partnerTenantId}/.well-known/openid-configuration`)).json()) as Record<string, string>;
    expect(v1.issuer).toBe(`https://sts.windows.net/${world.partnerTenantId}/`);
    const jwks = (await (await fetch(doc.jwks_uri!)).json()) as { keys: { kid: string; x5c: string[] }[] };
    const t = await token(world.partnerTenantId, { grant_type: "client_credentials", client_id: world.samApp.clientId, client_secret: world.samApp.clientSecret, scope: GRAPH_DEFAULT });
    expect(decodeProtectedHeader(String(t.body.access_token)).kid).toBe(jwks.keys[0]!.kid);
    expect(jwks.keys[0]!.x5c[0]).toMatch(/^MII/);
  });

  it("answers an unknown tenant's discovery with 400 invalid_tenant (90002)", async () => {
    const r = await fetch(`${url}/nowhere.example/v2.0/.well-known/openid-configuration`);
    expectAadError({ status: r.status, body: (await r.json()) as Record<string, unknown>, headers: r.headers }, 90002, "invalid_tenant");
  });

  it("issues a v1 Partner Center token with amr mfa, and v2 client_info with the home tenant", async () => {
    const t = await deviceLogin();
    const at = decodeJwt(String(t.access_token));
    expect(at).toMatchObject({ ver: "1.0", aud: PC, scp: "user_impersonation", tid: world.partnerTenantId, upn: SAM, appid: world.samApp.clientId, amr: ["pwd", "mfa"], iss: `https://sts.windows.net/${world.partnerTenantId}/` });
    expect(Number(at.exp) - Number(at.iat)).toBeGreaterThanOrEqual(3600);
    expect(Number(at.exp) - Number(at.iat)).toBeLessThanOrEqual(5400);
    const id = decodeJwt(String(t.id_token));
    expect(id).toMatchObject({ ver: "2.0", aud: world.samApp.clientId, iss: `${url}/${world.partnerTenantId}/v2.0`, preferred_username: SAM });
    expect(id.amr).toBeUndefined();
    expect(JSON.parse(Buffer.from(String(t.client_info), "base64url").toString())).toMatchObject({ utid: world.partnerTenantId });
    const check = verifyAccessToken(emu.context, String(t.access_token), { audience: "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd" });
    expect(check.ok).toBe(true);
  });

  it("redeems the partner refresh token at a healthy customer: rotated RT, customer tid, GDAP wids", async () => {
    const t = await deviceLogin();
    const r = await refresh(customer("healthy").tenantId, String(t.refresh_token));
    expect(r.status).toBe(200);
    expect(r.body.refresh_token).not.toBe(t.refresh_token);
    const at = decodeJwt(String(r.body.access_token));
    expect(at).toMatchObject({ tid: customer("healthy").tenantId, idp: `https://sts.windows.net/${world.partnerTenantId}/`, aud: "https://graph.microsoft.com" });
    // Lenient (Entra) rotation: the old token stays valid.
    expect((await refresh(world.partnerTenantId, String(t.refresh_token))).status).toBe(200);
  });

  it("accepts client_secret_basic, the v1 endpoint with string numbers, and both device-code spellings", async () => {
    const basic = Buffer.from(`${world.samApp.clientId}:${encodeURIComponent(world.samApp.clientSecret)}`).toString("base64");
    const b = await token(world.partnerTenantId, { grant_type: "client_credentials", scope: `${PC}/.default` }, { authorization: `Basic ${basic}` });
    expect(b.status).toBe(200);
    const v1 = await post(`/${world.partnerTenantId}/oauth2/token`, { grant_type: "client_credentials", client_id: world.samApp.clientId, client_secret: world.samApp.clientSecret, resource: "https://graph.windows.net" });
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({ token_type: "Bearer", resource: "https://graph.windows.net", expires_in: expect.stringMatching(/^\d+$/), expires_on: expect.stringMatching(/^\d+$/) });
    const dc = await post("/organizations/oauth2/v2.0/devicecode", { client_id: world.samApp.clientId, scope: `${PC}/user_impersonation offline_access` });
    await control("devicecode/approve", { userCode: dc.body.user_code });
    const urn = await token("organizations", { grant_type: "urn:ietf:params:oauth:grant-type:device_code", client_id: world.samApp.clientId, device_code: String(dc.body.device_code) });
    expect(urn.status).toBe(200);
    // v1 (Partner Center PowerShell 1.5): resource parameter, grant_type device_code with field `code`.
    const v1dc = await post(`/${world.partnerTenantId}/oauth2/devicecode`, { client_id: world.samApp.clientId, resource: PC });
    expect(v1dc.body).toMatchObject({ verification_url: `${url}/devicelogin`, expires_in: "900", interval: "5" });
    await control("devicecode/approve", { userCode: v1dc.body.user_code });
    const v1tok = await post(`/${world.partnerTenantId}/oauth2/token`, { grant_type: "device_code", client_id: world.samApp.clientId, code: String(v1dc.body.device_code), resource: PC });
    expect(v1tok.status).toBe(200);
    expect(v1tok.body).toMatchObject({ resource: PC, scope: "user_impersonation", refresh_token: expect.any(String) });
  });
});

/** A certificate credential: PEMs plus the Graph keyCredential registered on the SAM app. */
async function addCertificate(daysValid = 365): Promise<{ privateKeyPem: string; x5t: string; x5tS256: string }> {
  const now = Date.now();
  const pems = await generate([{ name: "commonName", value: "samkit test cert" }], { keySize: 2048, algorithm: "sha256", notBeforeDate: new Date(now - 60_000), notAfterDate: new Date(now + daysValid * 86_400_000) });
  const der = new X509Certificate(pems.cert).raw;
  const x5t = createHash("sha1").update(der).digest("base64url");
  const x5tS256 = createHash("sha256").update(der).digest("base64url");
  emu.context.world.application(world.samApp.clientId)!.keyCredentials.push({
    keyId: randomUUID(), displayName: "test", type: "AsymmetricX509Cert", usage: "Verify", key: der.toString("base64"),
    thumbprintSha1: x5t, thumbprintSha256: x5tS256, startDateTime: new Date(now - 60_000).toISOString(), endDateTime: new Date(now + daysValid * 86_400_000).toISOString(),
  });
  return { privateKeyPem: pems.private, x5t, x5tS256 };
}

async function assertion(privateKeyPem: string, header: Record<string, string>, aud: string): Promise<string> {
  const key = await importPKCS8(privateKeyPem, "RS256");
  return new SignJWT({ jti: randomUUID() }).setProtectedHeader({ alg: "RS256", typ: "JWT", ...header }).setIssuer(world.samApp.clientId).setSubject(world.samApp.clientId).setAudience(aud).setIssuedAt().setNotBefore("0s").setExpirationTime("10m").sign(key);
}

describe("emulator identity: certificates, v1 authorize, hybrid form_post", () => {
  it("private_key_jwt with a certificate registered in keyCredentials (x5t and x5t#S256); 700027 otherwise", async () => {
    const cert = await addCertificate();
    const aud = `${url}/${world.partnerTenantId}/oauth2/v2.0/token`;
    const form = (a: string) => ({ grant_type: "client_credentials", client_id: world.samApp.clientId, client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", client_assertion: a, scope: GRAPH_DEFAULT });
    const ok1 = await token(world.partnerTenantId, form(await assertion(cert.privateKeyPem, { x5t: cert.x5t }, aud)));
    expect(ok1.status).toBe(200);
    expect(decodeJwt(String(ok1.body.access_token)).appidacr).toBe("2");
    const ok2 = await token(world.partnerTenantId, form(await assertion(cert.privateKeyPem, { "x5t#S256": cert.x5tS256 }, aud)));
    expect(ok2.status).toBe(200);
    const other = await generate([{ name: "commonName", value: "unregistered" }], { keySize: 2048, algorithm: "sha256" });
    expectAadError(await token(world.partnerTenantId, form(await assertion(other.private, { x5t: cert.x5t }, aud))), 700027, "invalid_client", { status: 401 });
    const unknownThumb = createHash("sha1").update("x").digest("base64url");
    expectAadError(await token(world.partnerTenantId, form(await assertion(cert.privateKeyPem, { x5t: unknownThumb }, aud))), 700027, "invalid_client", { status: 401 });
    expectAadError(await token(world.partnerTenantId, form(await assertion(cert.privateKeyPem, { x5t: cert.x5t }, "https://example.com/"))), 700027, "invalid_client", { status: 401 });
  });

  it("v1 authorize with resource + hybrid code id_token over form_post, redeemed at the v1 token endpoint", async () => {
    const q = new URLSearchParams({ client_id: world.samApp.clientId, response_type: "code id_token", response_mode: "form_post", redirect_uri: "http://localhost:8400", resource: PC, nonce: "n-123", state: "s-1", prompt: "login" });
    const html = await (await fetch(`${url}/organizations/oauth2/authorize?${q.toString()}`)).text();
    const tx = /name="tx" value="([^"]+)"/.exec(html)![1]!;
    await fetch(`${url}/organizations/login`, { method: "POST", body: new URLSearchParams({ tx, loginfmt: SAM, passwd: "Sam-Service-Pa55!" }) });
    const code = ((await (await control(`mfa?username=${SAM}`)).json()) as { code: string }).code;
    const mfaResponse = await fetch(`${url}/organizations/mfa`, { method: "POST", body: new URLSearchParams({ tx, otc: code }) });
    const page = await mfaResponse.text();
    expect(page).toContain('action="http://localhost:8400"');
    const field = (n: string) => new RegExp(`name="${n}" value="([^"]+)"`).exec(page)?.[1];
    expect(field("state")).toBe("s-1");
    expect(decodeJwt(field("id_token")!)).toMatchObject({ nonce: "n-123", aud: world.samApp.clientId });
    const r = await post(`/organizations/oauth2/token`, { grant_type: "authorization_code", client_id: world.samApp.clientId, client_secret: world.samApp.clientSecret, code: field("code")!, redirect_uri: "http://localhost:8400", resource: PC });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ resource: PC, scope: "user_impersonation", expires_in: expect.stringMatching(/^\d+$/), expires_on: expect.stringMatching(/^\d+$/), not_before: expect.stringMatching(/^\d+$/) });
    expect(decodeJwt(String(r.body.access_token))).toMatchObject({ aud: PC, amr: ["pwd", "mfa"] });
    expect(r.body.refresh_token).toBeTruthy();
  });
});


describe("emulator identity: error rows (exact Entra shape)", () => {
  it("700082 after 90 days of inactivity", async () => {
    const t = await deviceLogin();
    await control("clock", { advanceSeconds: 91 * 86400 });
    expectAadError(await refresh(world.partnerTenantId, String(t.refresh_token)), 700082, "invalid_grant", { suberror: "bad_token" });
  });

  it("a refresh token used within 90 days keeps the window moving", async () => {
    const t = await deviceLogin();
    await control("clock", { advanceSeconds: 80 * 86400 });
    const r = await refresh(world.partnerTenantId, String(t.refresh_token));
    expect(r.status).toBe(200);
    await control("clock", { advanceSeconds: 80 * 86400 });
    expect((await refresh(world.partnerTenantId, String(r.body.refresh_token))).status).toBe(200);
  });

  it("50173 after sessions are revoked or the password is reset", async () => {
    const t = await deviceLogin();
    expect((await control("sessions/revoke", { username: SAM })).status).toBe(200);
    expectAadError(await refresh(world.partnerTenantId, String(t.refresh_token)), 50173, "invalid_grant", { suberror: "bad_token" });
    const t2 = await deviceLogin();
    await control("users/password", { username: SAM, password: "N3w-Pa55!" });
    expectAadError(await refresh(world.partnerTenantId, String(t2.refresh_token)), 50173, "invalid_grant", { suberror: "bad_token" });
  });

  it("700007 when another client redeems the refresh token", async () => {
    const t = await deviceLogin();
    expectAadError(await token(world.partnerTenantId, { grant_type: "refresh_token", client_id: AZURE_CLI, refresh_token: String(t.refresh_token), scope: GRAPH_DEFAULT }), 700007, "invalid_grant");
  });

  it("9002313 for an empty refresh token, 70000 for a malformed one", async () => {
    expectAadError(await refresh(world.partnerTenantId, ""), 9002313, "invalid_request");
    expectAadError(await refresh(world.partnerTenantId, "not-a-token\n"), 70000, "invalid_grant");
  });

  it("CONTRACTS §9: 65001 / 700016, 50020, 53003, 90038 and the no-relationship customer", async () => {
    const rt = String((await deviceLogin()).refresh_token);
    const app = (tid: string) => token(tid, { grant_type: "client_credentials", client_id: world.samApp.clientId, client_secret: world.samApp.clientSecret, scope: GRAPH_DEFAULT });
    expectAadError(await refresh(customer("no-consent").tenantId, rt), 65001, "invalid_grant", { suberror: "consent_required" });
    expectAadError(await app(customer("no-consent").tenantId), 700016, "unauthorized_client");
    expectAadError(await refresh(customer("no-gdap").tenantId, rt), 50020, "invalid_grant");
    expect((await app(customer("no-gdap").tenantId)).status).toBe(200);
    const ca = await refresh(customer("conditional-access").tenantId, rt);
    expectAadError(ca, 53003, "invalid_grant", { suberror: "message_only" });
    expect(JSON.parse(String(ca.body.claims))).toHaveProperty("access_token.capolids");
    expect((await app(customer("conditional-access").tenantId)).status).toBe(200);
    expectAadError(await refresh(customer("no-relationship").tenantId, rt), 50020, "invalid_grant");
    expectAadError(await app(customer("no-relationship").tenantId), 700016, "unauthorized_client");
    expectAadError(await refresh(customer("national-cloud").tenantId, rt), 90038, "invalid_request");
    // Domain works as the authority too.
    expect((await refresh(customer("healthy").domain, rt)).status).toBe(200);
  });

  it("7000215 for a wrong secret (HTTP 401) and 7000222 once the secret expired", async () => {
    expectAadError(await token(world.partnerTenantId, { grant_type: "client_credentials", client_id: world.samApp.clientId, client_secret: "wrong", scope: GRAPH_DEFAULT }), 7000215, "invalid_client", { status: 401 });
    await control("clock", { advanceSeconds: 3 * 365 * 86400 });
    expectAadError(await token(world.partnerTenantId, { grant_type: "client_credentials", client_id: world.samApp.clientId, client_secret: world.samApp.clientSecret, scope: GRAPH_DEFAULT }), 7000222, "invalid_client", { status: 401 });
  });

  it("700016 for an unknown app, 7000218 without a credential, 700025 for a public client with a secret", async () => {
    expectAadError(await token(world.partnerTenantId, { grant_type: "client_credentials", client_id: "11111111-2222-3333-4444-555555555555", client_secret: "x", scope: GRAPH_DEFAULT }), 700016, "unauthorized_client");
    expectAadError(await token(world.partnerTenantId, { grant_type: "client_credentials", client_id: world.samApp.clientId, scope: GRAPH_DEFAULT }), 7000218, "invalid_client", { status: 401 });
    expectAadError(await token(world.partnerTenantId, { grant_type: "client_credentials", client_id: AZURE_CLI, client_secret: "x", scope: GRAPH_DEFAULT }), 700025, "invalid_client", { status: 401 });
  });

  it("50011 for an unregistered redirect URI: Entra error page at authorize, JSON at the token endpoint", async () => {
    const q = new URLSearchParams({ client_id: world.samApp.clientId, response_type: "code", redirect_uri: "https://evil.example/cb", scope: "openid", state: "s" });
    const page = await fetch(`${url}/organizations/oauth2/v2.0/authorize?${q.toString()}`, { redirect: "manual" });
    expect(page.status).toBe(400);
    expect(page.headers.get("location")).toBeNull();
    expect(await page.text()).toContain("AADSTS50011");
  });

  it("50076 when the refresh token carries no MFA (user without MFA at a customer, or MFA required now)", async () => {
    const t = await deviceLogin(NOMFA);
    expect(decodeJwt(String(t.access_token)).amr).toEqual(["pwd"]);
    expectAadError(await refresh(customer("healthy").tenantId, String(t.refresh_token)), 50076, "invalid_grant", { suberror: "basic_action" });
    await control("users/mfa", { username: NOMFA, mfa: true });
    expectAadError(await refresh(world.partnerTenantId, String(t.refresh_token)), 50076, "invalid_grant", { suberror: "basic_action" });
  });

  it("device polling: 70016 pending, 70017 declined, 70019 expired, 70018 unknown", async () => {
    const start = () => post("/organizations/oauth2/v2.0/devicecode", { client_id: world.samApp.clientId, scope: `${PC}/user_impersonation` });
    const poll = (dc: string) => token("organizations", { grant_type: "device_code", client_id: world.samApp.clientId, device_code: dc });
    const a = await start();
    expectAadError(await poll(String(a.body.device_code)), 70016, "authorization_pending");
    await control("devicecode/approve", { userCode: a.body.user_code, decline: true });
    expectAadError(await poll(String(a.body.device_code)), 70017, "authorization_declined");
    const b = await start();
    await control("clock", { advanceSeconds: 901 });
    expectAadError(await poll(String(b.body.device_code)), 70019, "expired_token");
    expectAadError(await poll("unknown"), 70018, "bad_verification_code");
  });

  it("54005 for a reused code and 501481 for a wrong PKCE verifier (auth code via the HTML pages)", async () => {
    const verifier = "v".repeat(64);
    const code = async () => {
      const q = new URLSearchParams({ client_id: world.samApp.clientId, response_type: "code", redirect_uri: "http://localhost:9999", scope: `${PC}/user_impersonation openid offline_access`, state: "st", code_challenge: createHash("sha256").update(verifier).digest("base64url"), code_challenge_method: "S256" });
      const html = await (await fetch(`${url}/organizations/oauth2/v2.0/authorize?${q.toString()}`)).text();
      const tx = /name="tx" value="([^"]+)"/.exec(html)![1]!;
      const login = await fetch(`${url}/organizations/login`, { method: "POST", body: new URLSearchParams({ tx, loginfmt: NOMFA, passwd: "Sam-NoMfa-Pa55!" }), redirect: "manual" });
      let res = login;
      if (login.status === 200) res = await fetch(`${url}/organizations/consent`, { method: "POST", body: new URLSearchParams({ tx, action: "Accept" }), redirect: "manual" });
      const loc = new URL(res.headers.get("location")!);
      expect(loc.searchParams.get("state")).toBe("st");
      return loc.searchParams.get("code")!;
    };
    const redeem = (c: string, v: string) => token("organizations", { grant_type: "authorization_code", client_id: world.samApp.clientId, client_secret: world.samApp.clientSecret, code: c, redirect_uri: "http://localhost:9999", code_verifier: v });
    const c1 = await code();
    expect((await redeem(c1, verifier)).status).toBe(200);
    expectAadError(await redeem(c1, verifier), 54005, "invalid_grant");
    const c2 = await code();
    expectAadError(await token("organizations", { grant_type: "authorization_code", client_id: world.samApp.clientId, client_secret: world.samApp.clientSecret, code: c2, redirect_uri: "http://localhost:9999/other", code_verifier: verifier }), 50011, "invalid_request");
    expectAadError(await redeem(await code(), "w".repeat(64)), 501481, "invalid_grant");
  });

  it("90002 unknown tenant, 900144 missing scope, 901002 resource on v2, 70003 unknown grant", async () => {
    expectAadError(await token("nowhere.example", { grant_type: "client_credentials", client_id: world.samApp.clientId, client_secret: world.samApp.clientSecret, scope: GRAPH_DEFAULT }), 90002, "invalid_request");
    expectAadError(await token(world.partnerTenantId, { grant_type: "client_credentials", client_id: world.samApp.clientId, client_secret: world.samApp.clientSecret }), 900144, "invalid_request");
    expectAadError(await refresh(world.partnerTenantId, "x", { resource: PC }), 901002, "invalid_request");
    expectAadError(await token(world.partnerTenantId, { grant_type: "password", client_id: world.samApp.clientId }), 70003, "unsupported_grant_type");
  });

  it("echoes client-request-id as the correlation id", async () => {
    const id = "0b5f2c1e-7a4d-4c1b-9f00-123456789abc";
    const r = await token(world.partnerTenantId, { grant_type: "client_credentials", client_id: world.samApp.clientId, client_secret: "wrong", scope: GRAPH_DEFAULT }, { "client-request-id": id });
    expect(r.body.correlation_id).toBe(id);
  });

  it("scenarios: an AADSTS error for a tenant/user, and 429 with Retry-After", async () => {
    const t = await deviceLogin();
    await control("scenarios", { aadsts: 50076, tenant: customer("healthy").tenantId, user: SAM, times: 1 });
    expectAadError(await refresh(customer("healthy").tenantId, String(t.refresh_token)), 50076, "invalid_grant", { suberror: "basic_action" });
    expect((await refresh(customer("healthy").tenantId, String(t.refresh_token))).status).toBe(200);
    await control("scenarios", { service: "identity", path: "/oauth2/v2.0/token$", status: 429, retryAfter: 7, times: 1 });
    const r = await refresh(world.partnerTenantId, String(t.refresh_token));
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("7");
    expect((await refresh(world.partnerTenantId, String(t.refresh_token))).status).toBe(200);
  });

  it("scenarios: a connection reset once, then normal service; GET /_emulator/requests drains the log", async () => {
    await control("scenarios", { service: "identity", path: "/discovery/", reset: true, times: 1 });
    await expect(fetch(`${url}/${world.partnerTenantId}/discovery/v2.0/keys`)).rejects.toThrow();
    expect((await fetch(`${url}/${world.partnerTenantId}/discovery/v2.0/keys`)).status).toBe(200);
    const logged = (await (await control("requests?service=identity")).json()) as { path: string }[];
    expect(logged.map((r) => r.path)).toContain(`/${world.partnerTenantId}/discovery/v2.0/keys`);
    expect(await (await control("requests")).json()).toEqual([]);
  });

  it("prompt=none: login_required without a session; with the session cookie a code comes back silently", async () => {
    const q = (prompt?: string) =>
      new URLSearchParams({ client_id: world.samApp.clientId, response_type: "code", redirect_uri: "http://localhost:7000", scope: `${PC}/user_impersonation openid`, state: "p", ...(prompt ? { prompt } : {}) }).toString();
    const none = await fetch(`${url}/organizations/oauth2/v2.0/authorize?${q("none")}`, { redirect: "manual" });
    const loc = new URL(none.headers.get("location")!);
    expect(loc.searchParams.get("error")).toBe("login_required");
    expect(loc.searchParams.get("error_description")).toMatch(/^AADSTS50058: /);
    expect(loc.searchParams.get("state")).toBe("p");
    // Sign in once (user without MFA, consent already covered by the seeded grants).
    const html = await (await fetch(`${url}/organizations/oauth2/v2.0/authorize?${q()}`)).text();
    const tx = /name="tx" value="([^"]+)"/.exec(html)![1]!;
    const login = await fetch(`${url}/organizations/login`, { method: "POST", body: new URLSearchParams({ tx, loginfmt: NOMFA, passwd: "Sam-NoMfa-Pa55!" }), redirect: "manual" });
    expect(login.status).toBe(302);
    const cookie = login.headers.get("set-cookie")!.split(";")[0]!;
    const silent = await fetch(`${url}/organizations/oauth2/v2.0/authorize?${q("none")}`, { redirect: "manual", headers: { cookie } });
    expect(new URL(silent.headers.get("location")!).searchParams.get("code")).toBeTruthy();
  });

  it("logs requests for takeRequests() with the form body", async () => {
    emu.takeRequests();
    await token(world.partnerTenantId, { grant_type: "client_credentials", client_id: world.samApp.clientId, client_secret: world.samApp.clientSecret, scope: GRAPH_DEFAULT });
    const log = emu.takeRequests("identity");
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ method: "POST", path: `/${world.partnerTenantId}/oauth2/v2.0/token`, status: 200, form: { grant_type: "client_credentials", scope: GRAPH_DEFAULT } });
    expect(emu.takeRequests()).toHaveLength(0);
  });
});

describe("emulator identity: strict rotation", () => {
  it("reusing a rotated refresh token revokes the family (70000, then 50173 for the newest)", async () => {
    const strict = new EmulatorServer({ seedCustomers: 2, strictRotation: true });
    const cloud = await strict.start();
    try {
      const w = (await (await fetch(`${cloud.url}/_emulator/world`)).json()) as WorldJson;
      const p = async (form: Record<string, string>) => {
        const r = await fetch(`${cloud.url}/${w.partnerTenantId}/oauth2/v2.0/token`, { method: "POST", body: new URLSearchParams(form) });
        return { status: r.status, body: (await r.json()) as Record<string, unknown>, headers: r.headers };
      };
      const dc = await fetch(`${cloud.url}/organizations/oauth2/v2.0/devicecode`, { method: "POST", body: new URLSearchParams({ client_id: w.samApp.clientId, scope: `${PC}/user_impersonation offline_access` }) }).then((r) => r.json() as Promise<Record<string, string>>);
      await fetch(`${cloud.url}/_emulator/devicecode/approve`, { method: "POST", body: JSON.stringify({ userCode: dc.user_code }) });
      const first = await p({ grant_type: "device_code", client_id: w.samApp.clientId, device_code: dc.device_code! });
      const rt1 = String(first.body.refresh_token);
      const form = (rt: string) => ({ grant_type: "refresh_token", client_id: w.samApp.clientId, client_secret: w.samApp.clientSecret, refresh_token: rt, scope: `${PC}/.default` });
      const second = await p(form(rt1));
      expect(second.status).toBe(200);
      const rt2 = String(second.body.refresh_token);
      expectAadError(await p(form(rt1)), 70000, "invalid_grant");
      expectAadError(await p(form(rt2)), 50173, "invalid_grant", { suberror: "bad_token" });
    } finally {
      await strict.stop();
    }
  });
});
