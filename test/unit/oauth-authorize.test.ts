import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { createAuthorizationRequest, redeemAuthorizationCode } from "../../src/oauth/index.js";
import type { CloudDefinition } from "../../src/cloud/types.js";
import type { HttpClient, HttpRequest } from "../../src/http/types.js";

const TENANT = "11111111-2222-3333-4444-555555555555";
const r = { resourceId: "https://x", endpoint: "https://x", defaultScopes: ["https://x/.default"] };
const cloud: CloudDefinition = {
  name: "emulator",
  displayName: "test",
  authorityHost: "http://127.0.0.1:9",
  keyVaultDnsSuffix: ".vault",
  resources: { "partner-center": r, graph: r, arm: r, "aad-graph": r, exchange: r, keyvault: r },
};

describe("authorization code + PKCE", () => {
  it("builds an S256 authorize URL with fresh state and nonce, and redeems with the same redirect_uri, once, without retries", async () => {
    const seen: HttpRequest[] = [];
    const http: HttpClient = {
      request: (req) => {
        seen.push(req);
        const body = JSON.stringify({ token_type: "Bearer", expires_in: 3599, access_token: "at", refresh_token: "rt", id_token: "unverified.id.token" });
        return Promise.resolve({ status: 200, headers: { "content-type": "application/json" }, text: body, url: String(req.url), attempts: 1 });
      },
      fetch: () => Promise.reject(new Error("code redemption must not go through the retrying fetch")),
    };
    const ctx = { cloud, tenant: TENANT, client: { clientId: "app-1", clientSecret: "s3cret" }, http };
    const a = await createAuthorizationRequest(ctx, { redirectUri: "http://localhost:50123", scopes: ["https://x/user_impersonation", "offline_access", "openid"] });
    const b = await createAuthorizationRequest(ctx, { redirectUri: "http://localhost:50123", scopes: ["openid"] });
    expect(a.state).not.toBe(b.state);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
    expect(a.url.origin + a.url.pathname).toBe(`http://127.0.0.1:9/${TENANT}/oauth2/v2.0/authorize`);
    const q = a.url.searchParams;
    expect(q.get("client_id")).toBe("app-1");
    expect(q.get("response_type")).toBe("code");
    expect(q.get("redirect_uri")).toBe("http://localhost:50123");
    expect(q.get("code_challenge_method")).toBe("S256");
    expect(q.get("code_challenge")).toBe(createHash("sha256").update(a.codeVerifier).digest("base64url"));
    expect(q.get("state")).toBe(a.state);
    expect(q.get("nonce")).toBe(a.nonce);
    expect(q.get("client_secret")).toBeNull();

    const { tokens, idToken } = await redeemAuthorizationCode(ctx, a, "the-code");
    expect(seen).toHaveLength(1);
    expect(seen[0]!.retry).toBe(false);
    expect(seen[0]!.method).toBe("POST");
    const form = new URLSearchParams(typeof seen[0]!.body === "string" ? seen[0]!.body : "");
    expect(form.get("grant_type")).toBe("authorization_code");
    expect(form.get("code")).toBe("the-code");
    expect(form.get("redirect_uri")).toBe("http://localhost:50123");
    expect(form.get("code_verifier")).toBe(a.codeVerifier);
    expect(form.get("client_secret")).toBe("s3cret");
    expect(tokens.refreshToken).toBe("rt");
    // The id_token is handed back separately and never inside the TokenSet until verified.
    expect(idToken).toBe("unverified.id.token");
    expect(tokens.idToken).toBeUndefined();
  });
});
