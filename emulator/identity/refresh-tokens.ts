/**
 * Refresh-token lifecycle on the emulator clock: opaque strings mapped to server-side records;
 * a new token on every redemption (the old one stays valid, as Entra does) unless strict
 * rotation is on, where reuse of a rotated token revokes the whole family (oidc-provider style).
 * @see shared/facts/identity-platform.md §8
 * @see https://learn.microsoft.com/entra/identity-platform/refresh-tokens
 */
import { randomBytes } from "node:crypto";
import type { EmulatorContext } from "../context.js";
import type { Application, User } from "../world-types.js";
import { APP_IDS } from "../well-known.js";
import { AadError, entraTimestamp } from "./aad-errors.js";
import type { RefreshTokenRecord } from "./state.js";

/** 90 days of inactivity ends a refresh token (AADSTS700082). */
export const REFRESH_TOKEN_INACTIVITY_SECONDS = 90 * 86_400;

/** Family-of-client-ids apps (Microsoft public clients that share refresh tokens). */
export const FOCI_CLIENTS: ReadonlySet<string> = new Set([APP_IDS.azureCli, APP_IDS.graphCli]);

/** Mint and store a refresh token; `parent` keeps the family. */
export function mintRefreshToken(
  ctx: EmulatorContext,
  input: { client: Application; user: User; amr: readonly string[]; authTime: number; sid: string; publicClient: boolean; parent?: RefreshTokenRecord },
): RefreshTokenRecord {
  const rec: RefreshTokenRecord = {
    // Entra RTs are opaque, ~1 KB, start with "0.A"; clients must not parse them.
    token: `1.A${randomBytes(96).toString("base64url")}`,
    familyId: input.parent?.familyId ?? crypto.randomUUID(),
    clientId: input.client.appId,
    userObjectId: input.user.objectId,
    homeTenantId: input.user.tenantId,
    amr: [...input.amr],
    authTime: input.authTime,
    issuedAt: ctx.clock.nowSeconds(),
    sid: input.sid,
    passwordAtSignIn: input.user.password,
    publicClient: input.publicClient,
    foci: FOCI_CLIENTS.has(input.client.appId),
    revoked: false,
  };
  ctx.identity.addRefreshToken(rec);
  return rec;
}

const fmt = (s: number): string => entraTimestamp(new Date(s * 1000));

/**
 * Validate a refresh token for redemption by `clientId` (does not mark it redeemed).
 * @throws AadError 9002313 (empty), 70000 (unknown/malformed, or strict-mode reuse), 50173
 *   (revoked: sessions revoked, password reset, family revoked), 700082 (90 days inactive),
 *   700007 (issued to another client, FOCI aside).
 */
export function validateRefreshToken(ctx: EmulatorContext, token: string | undefined, clientId: string): { rec: RefreshTokenRecord; user: User } {
  if (token === undefined || token.trim() === "") throw new AadError(9002313);
  const rec = ctx.identity.refreshTokens.get(token.trim());
  if (!rec) throw new AadError(70000, { detail: "The provided value for the input parameter 'refresh_token' or 'assertion' is not valid." });
  const now = ctx.clock.nowSeconds();
  const user = ctx.world.userById(rec.userObjectId);
  if (rec.revoked || !user) {
    throw new AadError(50173, { issued: fmt(rec.issuedAt), validFrom: fmt(user?.sessionsValidFromSeconds ?? now) });
  }
  if (user.password !== rec.passwordAtSignIn || rec.authTime < user.sessionsValidFromSeconds) {
    rec.revoked = true;
    throw new AadError(50173, { issued: fmt(rec.issuedAt), validFrom: fmt(Math.max(user.sessionsValidFromSeconds, rec.authTime)) });
  }
  if (now - rec.issuedAt > REFRESH_TOKEN_INACTIVITY_SECONDS) throw new AadError(700082, { issued: fmt(rec.issuedAt) });
  if (rec.clientId !== clientId && !(rec.foci && FOCI_CLIENTS.has(clientId))) {
    throw new AadError(700007, { clientId, tokenClientId: rec.clientId });
  }
  if (ctx.options.strictRotation && rec.redeemedAt !== undefined) {
    ctx.identity.revokeFamily(rec.familyId);
    throw new AadError(70000, { detail: "The refresh token was already redeemed; reuse detected, every token of this grant is revoked." });
  }
  return { rec, user };
}
