import { beforeAll, describe, expect, it } from "vitest";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { signInMethods, verifyIdToken } from "../../src/oauth/index.js";
import type { CloudDefinition } from "../../src/cloud/types.js";
import type { HttpClient } from "../../src/http/types.js";
import { isSamkitError } from "../../src/errors/index.js";

const PARTNER = "11111111-2222-3333-4444-555555555555";
const OTHER = "99999999-2222-3333-4444-555555555555";
const CLIENT = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const HOST = "http://127.0.0.1:9";

const r = { resourceId: "https://x", endpoint: "https://x", defaultScopes: ["https://x/.default"] };
const cloud: CloudDefinition = {
  name: "emulator",
  displayName: "test",
  authorityHost: HOST,
  keyVaultDnsSuffix: ".vault",
  resources: { "partner-center": r, graph: r, arm: r, "aad-graph": r, exchange: r, keyvault: r },
};

let key: CryptoKey;
let otherKey: CryptoKey;
let jwk: JWK;
const jwksRequests: string[] = [];
const http: HttpClient = {
  request: (req) => {
    jwksRequests.push(String(req.url));
    return Promise.resolve({ status: 200, headers: {}, text: JSON.stringify({ keys: [jwk] }), url: String(req.url), attempts: 1 });
  },
  fetch: () => Promise.reject(new Error("fetch() not expected")),
};

beforeAll(async () => {
  const pair = await generateKeyPair("RS256");
  key = pair.privateKey;
  jwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", use: "sig", alg: "RS256" };
  otherKey = (await generateKeyPair("RS256")).privateKey;
});

function idToken(claims: Record<string, string>, signWith: CryptoKey = key): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ tid: PARTNER, nonce: "n-1", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: "k1", typ: "JWT" })
    .setIssuer(claims["iss"] ?? `${HOST}/${claims["tid"] ?? PARTNER}/v2.0`)
    .setAudience(claims["aud"] ?? CLIENT)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 3600)
    .sign(signWith);
}

const base = { cloud, http, clientId: CLIENT, tenant: PARTNER, expectedTenantId: PARTNER, nonce: "n-1" };

describe("verifyIdToken", () => {
  it("accepts a correctly signed token for the partner tenant and fetches the tenant's JWKS", async () => {
    const claims = await verifyIdToken(await idToken({ preferred_username: "admin@p.example" }), base);
    expect(claims.tid).toBe(PARTNER);
    expect(claims.preferred_username).toBe("admin@p.example");
    expect(jwksRequests.at(-1)).toBe(`${HOST}/${PARTNER}/discovery/v2.0/keys`);
  });

  it("rejects a token signed by another key", async () => {
    const err: unknown = await verifyIdToken(await idToken({}, otherKey), base).catch((e: unknown) => e);
    expect(isSamkitError(err, "SAMKIT_CONSENT_ID_TOKEN_INVALID")).toBe(true);
    expect((err as Error).message).toContain("signature");
  });

  it("rejects a token from another tenant with the wrong-tenant error naming both tenants", async () => {
    const err: unknown = await verifyIdToken(await idToken({ tid: OTHER }), base).catch((e: unknown) => e);
    expect(isSamkitError(err, "SAMKIT_CONSENT_WRONG_TENANT")).toBe(true);
    if (isSamkitError(err)) {
      expect(err.message).toContain(OTHER);
      expect(err.nextStep).toContain(PARTNER);
      expect(err.exitCode).toBe(4);
    }
  });

  it("rejects a wrong audience, a wrong issuer and a wrong nonce", async () => {
    for (const claims of [{ aud: "someone-else" }, { iss: `https://evil.example/${PARTNER}/v2.0` }, { nonce: "n-2" }] as Record<string, string>[]) {
      const err: unknown = await verifyIdToken(await idToken(claims), base).catch((e: unknown) => e);
      expect(isSamkitError(err, "SAMKIT_CONSENT_ID_TOKEN_INVALID"), JSON.stringify(claims)).toBe(true);
    }
  });

  it("rejects garbage", async () => {
    const err: unknown = await verifyIdToken("not-a-jwt", base).catch((e: unknown) => e);
    expect(isSamkitError(err, "SAMKIT_CONSENT_ID_TOKEN_INVALID")).toBe(true);
  });
});

describe("signInMethods", () => {
  it("reads amr and user from a v1 access token", async () => {
    const at = await new SignJWT({ amr: ["pwd", "mfa"], upn: "admin@p.example", tid: PARTNER }).setProtectedHeader({ alg: "RS256" }).sign(key);
    expect(signInMethods(at)).toEqual({ amr: ["pwd", "mfa"], mfa: true, user: "admin@p.example", tenantId: PARTNER });
  });
  it("reports no MFA when amr lacks mfa or the token is opaque", async () => {
    const at = await new SignJWT({ amr: ["pwd"] }).setProtectedHeader({ alg: "RS256" }).sign(key);
    expect(signInMethods(at).mfa).toBe(false);
    expect(signInMethods("opaque")).toEqual({ amr: [], mfa: false });
  });
});
