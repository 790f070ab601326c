/**
 * The broker's refresh grant and strict rotation against oidc-provider (an independent, certified
 * OpenID Provider) with `rotateRefreshToken: true`: every refresh returns a new refresh token and
 * replaying an old one revokes the whole grant (facts/sdk-interop.md §5). Consent is finished
 * programmatically (a saved `Grant` + `interactionFinished`), then samkit's broker takes over.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Provider from "oidc-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenBroker } from "../../src/broker/index.js";
import { GLOBAL_CLOUD } from "../../src/cloud/table.js";
import type { CloudDefinition } from "../../src/cloud/types.js";
import { createHttpClient } from "../../src/http/client.js";
import { EncryptedFileStore } from "../../src/store/file/file-store.js";
import { readProfile, writeProfile } from "../../src/store/profile.js";

const TENANT = "11111111-1111-4111-8111-111111111111";
const CLIENT_ID = "33333333-3333-4333-8333-333333333333";
const CLIENT_SECRET = "oidc-provider-test-secret-0123456789abcdef";
const REDIRECT = "http://localhost:4321/cb"; // never dialled: the code is read from the Location header

let server: Server;
let origin: string;
let home: string;
let cloud: CloudDefinition;
const http = createHttpClient();

class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      this.cookies.set(pair!.slice(0, i), pair!.slice(i + 1));
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

/** Authorization code + PKCE with consent finished programmatically; returns the first refresh token. */
async function consent(): Promise<string> {
  const verifier = randomBytes(32).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");
  const auth = new URL(`${origin}/auth`);
  auth.search = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: "code",
    redirect_uri: REDIRECT,
    scope: "openid offline_access",
    prompt: "consent",
    state: "s1",
    code_challenge: challenge,
    code_challenge_method: "S256",
  }).toString();
  const jar = new Jar();
  let url = auth.href;
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(url, { redirect: "manual", headers: { cookie: jar.header() } });
    jar.take(res);
    const loc = res.headers.get("location");
    if (loc === null) throw new Error(`no redirect at ${url}: ${res.status} ${await res.text()}`);
    const next = new URL(loc, url);
    if (next.href.startsWith(REDIRECT)) {
      const code = next.searchParams.get("code");
      expect(next.searchParams.get("state")).toBe("s1");
      const tokenRes = await fetch(`${origin}/${TENANT}/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code: code!,
          redirect_uri: REDIRECT,
          code_verifier: verifier,
          client_id: CLIENT_ID,
          client_secret: CLIENT_SECRET,
        }),
      });
      const body = (await tokenRes.json()) as { refresh_token?: string };
      expect(tokenRes.status).toBe(200);
      return body.refresh_token!;
    }
    url = next.href;
  }
  throw new Error("too many redirects");
}

async function newStoreWithProfile(refreshToken: string): Promise<EncryptedFileStore> {
  const store = new EncryptedFileStore({ home });
  await writeProfile(
    store,
    {
      profile: "default",
      cloud: "global",
      tenantId: TENANT,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      refreshToken,
      metadata: { refreshTokenRotatedAt: new Date().toISOString() },
    },
    { replace: true },
  );
  return store;
}

function broker(store: EncryptedFileStore, rotation: "strict" | "lenient"): TokenBroker {
  void store;
  return new TokenBroker({ cloud, store: new EncryptedFileStore({ home }), http, rotation });
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "samkit-oidc-"));
  server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(origin, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: [REDIRECT],
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    findAccount: (_ctx, id) => Promise.resolve({ accountId: id, claims: () => Promise.resolve({ sub: id }) }),
    features: { devInteractions: { enabled: false } },
    rotateRefreshToken: true,
    ttl: { AccessToken: 3600, AuthorizationCode: 60, Grant: 86_400, IdToken: 3600, Interaction: 600, RefreshToken: 86_400, Session: 86_400 },
    scopes: ["openid", "offline_access"],
    pkce: { required: () => true },
    routes: { authorization: "/auth", token: `/${TENANT}/oauth2/v2.0/token` },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ["samkit-test-cookie-key"] },
  });
  const callback = provider.callback();
  server.on("request", (req, res) => {
    if (req.url?.startsWith("/interaction/")) {
      void (async () => {
        const details = await provider.interactionDetails(req, res);
        const grant = new provider.Grant({ accountId: "partner-admin", clientId: CLIENT_ID });
        grant.addOIDCScope("openid offline_access");
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { login: { accountId: "partner-admin" }, consent: { grantId } }, { mergeWithLastSubmission: false });
        void details;
      })().catch((e: unknown) => {
        res.statusCode = 500;
        res.end(String(e));
      });
      return;
    }
    void callback(req, res);
  });
  cloud = { ...GLOBAL_CLOUD, name: "global", authorityHost: origin };
});

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  server.closeAllConnections();
  rmSync(home, { recursive: true, force: true });
});

describe("broker × oidc-provider (rotateRefreshToken)", () => {
  it("strict: concurrent redemptions from two brokers sharing a store never replay a token, and the stored token still redeems", async () => {
    const store = await newStoreWithProfile(await consent());
    const b1 = broker(store, "strict");
    const b2 = broker(store, "strict");
    const before = (await readProfile(store, "default"))?.refreshToken;
    // Two "processes" redeeming in turns as fast as they can (each call is a real refresh grant).
    const run = async (b: TokenBroker) => {
      const out = [];
      for (let i = 0; i < 6; i++) out.push(await b.getToken({ scopes: ["openid"], forceRefresh: true }));
      return out;
    };
    const results = (await Promise.all([run(b1), run(b2)])).flat();
    expect(new Set(results.map((r) => r.token)).size).toBe(12);
    expect(results[0]!.tenantId).toBe(TENANT);
    const after = await readProfile(store, "default");
    expect(after?.refreshToken).not.toBe(before);
    // A third "process" starting from the store redeems fine: the grant was never revoked.
    const t = await broker(store, "strict").getToken({ scopes: ["openid"], forceRefresh: true });
    expect(t.token.length).toBeGreaterThan(10);
  });

  it("lenient across two processes replays the stored token and oidc-provider revokes the grant (the strict test can fail)", async () => {
    const store = await newStoreWithProfile(await consent());
    const b1 = broker(store, "lenient");
    const b2 = broker(store, "lenient");
    await b1.getToken({ scopes: ["openid"] });
    await expect(b2.getToken({ scopes: ["openid"] })).rejects.toMatchObject({ name: "SamkitError" });
    // The family is gone: even the newest token b1 holds is refused now.
    await expect(b1.getToken({ scopes: ["openid"], forceRefresh: true })).rejects.toMatchObject({ name: "SamkitError" });
  });

  it("renewRefreshToken persists the rotated token at once (lenient), and it is the one that redeems next", async () => {
    const store = await newStoreWithProfile(await consent());
    const b = broker(store, "lenient");
    const stored = (await readProfile(store, "default"))?.refreshToken;
    const r = await b.renewRefreshToken({ scopes: ["openid"] });
    expect(r.persisted).toBe(true);
    const now = await readProfile(store, "default");
    expect(now?.refreshToken).not.toBe(stored);
    expect(now?.metadata.refreshTokenRotatedAt).toBe(r.rotatedAt);
    await expect(broker(store, "strict").getToken({ scopes: ["openid"], forceRefresh: true })).resolves.toMatchObject({ tenantId: TENANT });
  });
});
