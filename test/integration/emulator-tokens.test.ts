/**
 * The emulator's own RS256 signing and bearer-token check (emulator/jws.ts, emulator/tokens.ts):
 * tokens it issues verify with jose against its published JWKS (an independent implementation),
 * and its check rejects what jose would: a changed payload, another key, `alg` none, a missing or
 * passed `exp`, a future `nbf` (5 minutes of skew either way), and non-JWS strings.
 */
import { generateKeyPairSync } from "node:crypto";
import { createRemoteJWKSet, decodeJwt, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signRs256, verifyRs256 } from "../../emulator/jws.js";
import { EmulatorServer } from "../../emulator/server.js";
import { issueAppAccessToken, verifyAccessToken } from "../../emulator/tokens.js";

const GRAPH = "https://graph.microsoft.com";
let emu: EmulatorServer;

beforeAll(async () => {
  emu = new EmulatorServer({ seedCustomers: 2 });
  await emu.start();
});
afterAll(async () => {
  await emu.stop();
});

function appToken(): string {
  const ctx = emu.context;
  const client = ctx.world.application(ctx.world.samAppId)!;
  const minted = issueAppAccessToken(ctx, { tenantId: ctx.world.partnerTenantId, client, servicePrincipalId: "sp", audience: GRAPH, roles: ["User.Read.All"], appidacr: "1" });
  return minted.token;
}

describe("emulator token signing", () => {
  it("issues tokens that jose verifies with the emulator's JWKS (kid and x5t in the header)", async () => {
    const token = appToken();
    const jwks = createRemoteJWKSet(new URL(`${emu.cloud.authorityHost}/common/discovery/v2.0/keys`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { currentDate: emu.context.clock.now() });
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "JWT", kid: emu.context.keys.active.kid, x5t: emu.context.keys.active.kid });
    expect(payload).toMatchObject({ aud: GRAPH, ver: "1.0", idtyp: "app", roles: ["User.Read.All"] });
    expect(String(payload["rh"])).toMatch(/^0\.[A-Za-z0-9_-]{22}\.$/);
    expect(payload["uti"]).not.toBe(decodeJwt(appToken())["uti"]);
  });

  it("accepts its own token and rejects a changed payload or another key's signature", () => {
    const token = appToken();
    expect((verifyAccessToken(emu.context, token, { audience: GRAPH })).ok).toBe(true);
    const [h, p, s] = token.split(".") as [string, string, string];
    const changed = Buffer.from(JSON.stringify({ ...decodeJwt(token), roles: ["Directory.ReadWrite.All"] })).toString("base64url");
    expect(verifyAccessToken(emu.context, `${h}.${changed}.${s}`, { audience: GRAPH })).toMatchObject({ ok: false, reason: "invalid_signature" });
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const forged = signRs256(JSON.parse(Buffer.from(h, "base64url").toString()) as Record<string, unknown>, decodeJwt(token), other);
    expect(verifyAccessToken(emu.context, forged, { audience: GRAPH })).toMatchObject({ ok: false, reason: "invalid_signature" });
    expect(p.length).toBeGreaterThan(0);
  });

  it("rejects alg none, crit headers and strings that are not a compact JWS as malformed", () => {
    const token = appToken();
    const [, p] = token.split(".") as [string, string, string];
    const none = `${Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url")}.${p}.`;
    const crit = signRs256({ crit: ["exp"] }, decodeJwt(token), emu.context.keys.active.privateKey);
    for (const bad of [none, crit, "abc", "a.b", "a.b.c.d", `${token}!`, "e30.e30.e30"]) {
      expect(verifyAccessToken(emu.context, bad, { audience: GRAPH }), bad).toMatchObject({ ok: false, reason: "malformed" });
    }
    expect(verifyRs256("x.y.z", emu.context.keys.active.publicKey)).toEqual({ ok: false, reason: "malformed" });
  });

  it("checks exp and nbf on the emulator clock with 5 minutes of skew", () => {
    const ctx = emu.context;
    const key = ctx.keys.active.privateKey;
    const now = ctx.clock.nowSeconds();
    const base = decodeJwt(appToken());
    const check = (claims: Record<string, unknown>) => verifyAccessToken(ctx, signRs256({ typ: "JWT" }, { ...base, ...claims }, key), { audience: GRAPH });
    expect((check({ exp: now - 200 })).ok).toBe(true); // inside the skew
    expect(check({ exp: now - 301 })).toMatchObject({ ok: false, reason: "expired" });
    expect((check({ nbf: now + 200 })).ok).toBe(true);
    expect(check({ nbf: now + 301 })).toMatchObject({ ok: false, reason: "not_yet_valid" });
    expect(check({ exp: "soon" })).toMatchObject({ ok: false, reason: "malformed" });
    const noExp: Record<string, unknown> = { ...base };
    delete noExp["exp"];
    expect(verifyAccessToken(ctx, signRs256({}, noExp, key), { audience: GRAPH })).toMatchObject({ ok: false, reason: "malformed" });
    const token = appToken();
    const past = Number(decodeJwt(token).exp) - now + 301;
    ctx.clock.advance(past);
    try {
      expect(verifyAccessToken(ctx, token, { audience: GRAPH })).toMatchObject({ ok: false, reason: "expired" });
    } finally {
      ctx.clock.advance(-past);
    }
  });
});
