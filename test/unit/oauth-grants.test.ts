import { describe, expect, it } from "vitest";
import { generate } from "selfsigned";
import { decodeJwt, decodeProtectedHeader, importX509, jwtVerify } from "jose";
import { clientCredentials, redeemRefreshToken } from "../../src/oauth/index.js";
import type { CloudDefinition } from "../../src/cloud/types.js";
import type { HttpClient } from "../../src/http/types.js";
import { isSamkitError } from "../../src/errors/index.js";

const TENANT = "11111111-2222-3333-4444-555555555555";

function cloud(authorityHost: string): CloudDefinition {
  const r = { resourceId: "https://x", endpoint: "https://x", defaultScopes: ["https://x/.default"] };
  return {
    name: "emulator",
    displayName: "test",
    authorityHost,
    keyVaultDnsSuffix: ".vault",
    resources: { "partner-center": r, graph: r, arm: r, "aad-graph": r, exchange: r, keyvault: r },
  };
}

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  form: URLSearchParams;
}

/** A fake HTTP seam (`request`, which the grants send through): records requests, answers with `reply`. */
function fakeHttp(reply: (seen: Seen) => { status: number; body: unknown; headers?: Record<string, string> }) {
  const seen: Seen[] = [];
  const http: HttpClient = {
    request: (req) => {
      const url = String(req.url);
      const s: Seen = { url, method: req.method, headers: Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])), form: new URLSearchParams(typeof req.body === "string" ? req.body : "") };
      seen.push(s);
      const r = reply(s);
      return Promise.resolve({
        status: r.status,
        headers: { "content-type": "application/json; charset=utf-8", ...Object.fromEntries(Object.entries(r.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])) },
        text: typeof r.body === "string" ? r.body : JSON.stringify(r.body),
        url,
        attempts: 1,
      });
    },
    fetch: () => Promise.reject(new Error("grants send through request(): fetch() is not used")),
  };
  return { http, seen };
}

describe("redeemRefreshToken", () => {
  it("posts the refresh grant with client_secret_post to the tenant's v2 token endpoint and returns the rotated token", async () => {
    const { http, seen } = fakeHttp(() => ({
      status: 200,
      body: {
        token_type: "Bearer",
        expires_in: 3599,
        ext_expires_in: 3599,
        scope: "https://api.partnercenter.microsoft.com/user_impersonation",
        access_token: "at-1",
        refresh_token: "rt-2",
        id_token: "not.a.jwt",
        client_info: Buffer.from(JSON.stringify({ uid: "u1", utid: TENANT })).toString("base64url"),
      },
    }));
    const before = Math.floor(Date.now() / 1000);
    const t = await redeemRefreshToken(
      { cloud: cloud("http://127.0.0.1:9"), tenant: TENANT, client: { clientId: "app-1", clientSecret: "s3cret" }, http },
      "rt-1",
      ["https://api.partnercenter.microsoft.com/.default", "openid"],
    );
    expect(seen).toHaveLength(1);
    const req = seen[0]!;
    expect(req.url).toBe(`http://127.0.0.1:9/${TENANT}/oauth2/v2.0/token`);
    expect(req.method).toBe("POST");
    expect(req.form.get("grant_type")).toBe("refresh_token");
    expect(req.form.get("refresh_token")).toBe("rt-1");
    expect(req.form.get("client_id")).toBe("app-1");
    expect(req.form.get("client_secret")).toBe("s3cret");
    expect(req.form.get("scope")).toBe("https://api.partnercenter.microsoft.com/.default offline_access");
    expect(t.accessToken).toBe("at-1");
    expect(t.refreshToken).toBe("rt-2");
    expect(t.tokenType).toBe("Bearer");
    expect(t.idToken).toBeUndefined();
    expect(t.clientInfo).toEqual({ uid: "u1", utid: TENANT });
    expect(t.scopes).toEqual(["https://api.partnercenter.microsoft.com/user_impersonation"]);
    expect(t.expiresAt).toBeGreaterThanOrEqual(before + 3599);
    expect(t.expiresAt).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 3599);
  });

  it("honours SAMKIT_TEST_NOW for expiresAt", async () => {
    const { http } = fakeHttp(() => ({ status: 200, body: { token_type: "Bearer", expires_in: 100, access_token: "a" } }));
    process.env["SAMKIT_TEST_NOW"] = "2000000000";
    try {
      const t = await redeemRefreshToken({ cloud: cloud("http://127.0.0.1:9"), tenant: TENANT, client: { clientId: "c", clientSecret: "s" }, http }, "r", ["x/.default"]);
      expect(t.expiresAt).toBe(2000000100);
    } finally {
      delete process.env["SAMKIT_TEST_NOW"];
    }
  });

  it("maps an identity error body to a SamkitError carrying AADSTS, trace and correlation IDs", async () => {
    const { http } = fakeHttp(() => ({
      status: 400,
      body: {
        error: "invalid_grant",
        error_description: "AADSTS700082: The refresh token has expired due to inactivity.\r\nTrace ID: t1",
        error_codes: [700082],
        trace_id: "t1",
        correlation_id: "c1",
      },
    }));
    const err: unknown = await redeemRefreshToken(
      { cloud: cloud("http://127.0.0.1:9"), tenant: TENANT, client: { clientId: "c", clientSecret: "s" }, http },
      "r",
      ["x/.default"],
    ).catch((e: unknown) => e);
    expect(isSamkitError(err)).toBe(true);
    if (!isSamkitError(err)) return;
    expect(err.aadsts).toBe(700082);
    expect(err.status).toBe(400);
    expect(err.identity?.error).toBe("invalid_grant");
    expect(err.identity?.trace_id).toBe("t1");
    expect(err.identity?.correlation_id).toBe("c1");
    expect(err.nextStep.length).toBeGreaterThan(0);
  });

  it("rejects a non-JSON success body as an invalid response", async () => {
    const { http } = fakeHttp(() => ({ status: 200, body: "<html>proxy login</html>", headers: { "content-type": "text/html" } }));
    const err: unknown = await redeemRefreshToken({ cloud: cloud("http://127.0.0.1:9"), tenant: TENANT, client: { clientId: "c", clientSecret: "s" }, http }, "r", ["x/.default"]).catch((e: unknown) => e);
    expect(isSamkitError(err, "SAMKIT_OAUTH_INVALID_RESPONSE")).toBe(true);
  });

  it("refuses a plain-http authority that is not loopback before sending anything", async () => {
    const { http, seen } = fakeHttp(() => ({ status: 200, body: {} }));
    const err: unknown = await redeemRefreshToken({ cloud: cloud("http://login.example.com"), tenant: TENANT, client: { clientId: "c", clientSecret: "s" }, http }, "r", ["x/.default"]).catch((e: unknown) => e);
    expect(isSamkitError(err, "SAMKIT_OAUTH_INSECURE_AUTHORITY")).toBe(true);
    expect(seen).toHaveLength(0);
  });
});

describe("clientCredentials", () => {
  it("signs a private_key_jwt assertion with x5t and x5t#S256 and aud = token endpoint", async () => {
    const pems = await generate([{ name: "commonName", value: "samkit-test" }], { keySize: 2048, algorithm: "sha256" });
    const { http, seen } = fakeHttp(() => ({ status: 200, body: { token_type: "Bearer", expires_in: 3599, access_token: "app-at" } }));
    const t = await clientCredentials(
      { cloud: cloud("http://127.0.0.1:9"), tenant: TENANT, client: { clientId: "app-2", certificate: { privateKeyPem: pems.private, certificatePem: pems.cert } }, http },
      ["https://graph.microsoft.com/.default"],
    );
    expect(t.accessToken).toBe("app-at");
    const form = seen[0]!.form;
    expect(form.get("grant_type")).toBe("client_credentials");
    expect(form.get("scope")).toBe("https://graph.microsoft.com/.default");
    expect(form.get("client_secret")).toBeNull();
    expect(form.get("client_assertion_type")).toBe("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    const assertion = form.get("client_assertion")!;
    const header = decodeProtectedHeader(assertion);
    const { createHash, X509Certificate } = await import("node:crypto");
    const der = new X509Certificate(pems.cert).raw;
    expect(header.alg).toBe("RS256");
    expect(header.x5t).toBe(createHash("sha1").update(der).digest("base64url"));
    expect(header["x5t#S256"]).toBe(createHash("sha256").update(der).digest("base64url"));
    const { payload } = await jwtVerify(assertion, await importX509(pems.cert, "RS256"));
    expect(payload.aud).toBe(`http://127.0.0.1:9/${TENANT}/oauth2/v2.0/token`);
    expect(payload.iss).toBe("app-2");
    expect(payload.sub).toBe("app-2");
    expect(typeof decodeJwt(assertion).jti).toBe("string");
  });

  it("reports an unreadable private key as bad client credentials without any request", async () => {
    const { http, seen } = fakeHttp(() => ({ status: 200, body: {} }));
    const pems = await generate([{ name: "commonName", value: "x" }], { keySize: 2048 });
    const err: unknown = await clientCredentials(
      { cloud: cloud("http://127.0.0.1:9"), tenant: TENANT, client: { clientId: "c", certificate: { privateKeyPem: "garbage", certificatePem: pems.cert } }, http },
      ["x/.default"],
    ).catch((e: unknown) => e);
    expect(isSamkitError(err, "SAMKIT_OAUTH_BAD_CLIENT_CREDENTIALS")).toBe(true);
    // A bad key is not remembered: the second attempt reports it again (keys are imported once per process).
    const again: unknown = await clientCredentials(
      { cloud: cloud("http://127.0.0.1:9"), tenant: TENANT, client: { clientId: "c", certificate: { privateKeyPem: "garbage", certificatePem: pems.cert } }, http },
      ["x/.default"],
    ).catch((e: unknown) => e);
    expect(isSamkitError(again, "SAMKIT_OAUTH_BAD_CLIENT_CREDENTIALS")).toBe(true);
    expect(seen).toHaveLength(0);
  });
});
