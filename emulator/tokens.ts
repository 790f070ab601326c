/**
 * Token minting and validation. Access tokens for Microsoft first-party resources are v1 JWTs
 * (`ver` "1.0", `appid`, `upn`, `amr`, `scp`/`roles`) as Microsoft issues them even from the v2
 * endpoint; id_tokens are v2 without `amr` (CONTRACTS §2). All RS256 with the emulator key
 * (signed and checked with node:crypto, see jws.ts).
 * @see https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference
 * @see https://learn.microsoft.com/entra/identity-platform/id-token-claims-reference
 */
import { createHash, randomBytes, randomInt } from "node:crypto";
import type { JWTPayload } from "jose";
import type { EmulatorContext } from "./context.js";
import { signRs256, verifyRs256 } from "./jws.js";
import type { Application, User } from "./world-types.js";

/** Claims of an emulator v1 access token (user or app-only). */
export interface AccessTokenClaims extends JWTPayload {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  ver: "1.0";
  tid: string;
  /** Client id that obtained the token. */
  appid: string;
  /** "0" public client, "1" secret, "2" certificate. */
  appidacr: "0" | "1" | "2";
  /** User object id (user tokens) or the client's service-principal object id (app-only). */
  oid: string;
  sub: string;
  /** `https://sts.windows.net/{homeTid}/`: differs from `iss` for cross-tenant (GDAP) users. */
  idp: string;
  /** "app" for app-only tokens, "user" for delegated ones. */
  idtyp: "app" | "user";
  /** Delegated scopes, space-separated (user tokens only). */
  scp?: string;
  /** App roles (app-only tokens). */
  roles?: string[];
  /** Authentication methods (user tokens): contains "mfa" only when MFA was done. */
  amr?: string[];
  acr?: string;
  upn?: string;
  unique_name?: string;
  name?: string;
  /** Directory role template ids of the user in `tid` (GDAP roles for partner users). */
  wids?: string[];
  uti: string;
  aio: string;
  rh: string;
  /** Partner (home) tenant for cross-tenant user tokens. */
  home_tid?: string;
}

/** Claims of an emulator v2 id_token. */
export interface IdTokenClaims extends JWTPayload {
  aud: string;
  iss: string;
  tid: string;
  oid: string;
  sub: string;
  preferred_username: string;
  name: string;
  ver: "2.0";
  nonce?: string;
  auth_time: number;
  sid: string;
}

/** A minted token with its timing (epoch seconds). */
export interface MintedToken {
  readonly token: string;
  readonly expiresIn: number;
  readonly expiresOn: number;
  readonly notBefore: number;
}

/** v1 issuer for a tenant. */
export const v1Issuer = (tid: string): string => `https://sts.windows.net/${tid}/`;
/** v2 issuer for a tenant at the emulator's authority host (CONTRACTS §1). */
export const v2Issuer = (ctx: EmulatorContext, tid: string): string => `${ctx.urls.authorityHost}/${tid}/v2.0`;

/** The opaque per-token values Entra puts in every token (`aio`, `rh`, `uti`), from one random draw. */
function opaqueClaims(): { aio: string; rh: string; uti: string } {
  const r = randomBytes(56);
  return { aio: r.subarray(0, 24).toString("base64url"), rh: `0.${r.subarray(24, 40).toString("base64url")}.`, uti: r.subarray(40).toString("base64url") };
}

function sign(ctx: EmulatorContext, claims: JWTPayload, v1: boolean): string {
  const k = ctx.keys.active;
  const header = v1 ? { alg: "RS256", typ: "JWT", kid: k.kid, x5t: k.kid } : { alg: "RS256", typ: "JWT", kid: k.kid };
  return signRs256(header, claims, k.privateKey);
}

/** Access-token lifetime: random 60–90 min (Entra's default), seconds. */
function accessTokenLifetime(): number {
  return randomInt(3600, 5401);
}

/** Pairwise `sub`: stable per (subject, client), like Entra. */
export function pairwiseSub(objectId: string, clientId: string): string {
  return createHash("sha256").update(`${objectId}|${clientId}`).digest("base64url").slice(0, 43);
}

/** Input for a delegated (user) access token. */
export interface UserAccessTokenInput {
  /** Tenant the token is for (the authority's tenant; a customer for GDAP). */
  readonly tenantId: string;
  readonly user: User;
  readonly client: Application;
  /** The `aud` value: the resource as requested (App ID URI or GUID). */
  readonly audience: string;
  readonly scopes: readonly string[];
  readonly amr: readonly string[];
  readonly appidacr: "0" | "1" | "2";
  /** Directory roles in `tenantId`. */
  readonly wids: readonly string[];
}

/** Mint a v1 delegated access token. */
export function issueUserAccessToken(ctx: EmulatorContext, i: UserAccessTokenInput): MintedToken {
  const now = ctx.clock.nowSeconds();
  const life = accessTokenLifetime();
  const cross = i.tenantId !== i.user.tenantId;
  const { aio, rh, uti } = opaqueClaims();
  const claims: AccessTokenClaims = {
    aud: i.audience,
    iss: v1Issuer(i.tenantId),
    iat: now,
    nbf: now,
    exp: now + life,
    acr: "1",
    aio,
    amr: [...i.amr],
    appid: i.client.appId,
    appidacr: i.appidacr,
    idp: v1Issuer(i.user.tenantId),
    idtyp: "user",
    name: i.user.displayName,
    oid: i.user.objectId,
    rh,
    scp: i.scopes.join(" "),
    sub: pairwiseSub(i.user.objectId, i.client.appId),
    tid: i.tenantId,
    unique_name: i.user.userPrincipalName,
    upn: i.user.userPrincipalName,
    uti,
    ver: "1.0",
    wids: [...i.wids],
    ...(cross ? { home_tid: i.user.tenantId } : {}),
  };
  return { token: sign(ctx, claims, true), expiresIn: life, expiresOn: now + life, notBefore: now };
}

/** Input for an app-only access token. */
export interface AppAccessTokenInput {
  readonly tenantId: string;
  readonly client: Application;
  /** Object id of the client's service principal in `tenantId`. */
  readonly servicePrincipalId: string;
  readonly audience: string;
  readonly roles: readonly string[];
  readonly appidacr: "1" | "2";
}

/** Mint a v1 app-only access token (client credentials). */
export function issueAppAccessToken(ctx: EmulatorContext, i: AppAccessTokenInput): MintedToken {
  const now = ctx.clock.nowSeconds();
  const life = accessTokenLifetime();
  const { aio, rh, uti } = opaqueClaims();
  const claims: AccessTokenClaims = {
    aud: i.audience,
    iss: v1Issuer(i.tenantId),
    iat: now,
    nbf: now,
    exp: now + life,
    aio,
    appid: i.client.appId,
    appidacr: i.appidacr,
    idp: v1Issuer(i.tenantId),
    idtyp: "app",
    oid: i.servicePrincipalId,
    rh,
    roles: [...i.roles],
    sub: i.servicePrincipalId,
    tid: i.tenantId,
    uti,
    ver: "1.0",
  };
  return { token: sign(ctx, claims, true), expiresIn: life, expiresOn: now + life, notBefore: now };
}

/** Input for a v2 id_token. */
export interface IdTokenInput {
  readonly tenantId: string;
  readonly user: User;
  readonly clientId: string;
  readonly nonce?: string;
  /** Epoch seconds of the interactive sign-in. */
  readonly authTime: number;
  readonly sid: string;
}

/** Mint a v2 id_token (1 h; no `amr`, CONTRACTS §2). */
export function issueIdToken(ctx: EmulatorContext, i: IdTokenInput): string {
  const now = ctx.clock.nowSeconds();
  const { rh, uti } = opaqueClaims();
  const claims: IdTokenClaims = {
    aud: i.clientId,
    iss: v2Issuer(ctx, i.tenantId),
    iat: now,
    nbf: now,
    exp: now + 3600,
    auth_time: i.authTime,
    name: i.user.displayName,
    oid: i.user.objectId,
    preferred_username: i.user.userPrincipalName,
    rh,
    sid: i.sid,
    sub: pairwiseSub(i.user.objectId, i.clientId),
    tid: i.tenantId,
    uti,
    ver: "2.0",
    ...(i.nonce !== undefined ? { nonce: i.nonce } : {}),
    ...(i.tenantId !== i.user.tenantId ? { idp: v1Issuer(i.user.tenantId) } : {}),
  };
  return sign(ctx, claims, false);
}

/** Why a bearer token was rejected. */
export type AccessTokenFailureReason =
  | "missing"
  | "malformed"
  | "invalid_signature"
  | "expired"
  | "not_yet_valid"
  | "invalid_audience"
  | "invalid_issuer"
  | "revoked";

/** Result of {@link verifyAccessToken}. */
export type AccessTokenCheck =
  | { readonly ok: true; readonly claims: AccessTokenClaims }
  | { readonly ok: false; readonly reason: AccessTokenFailureReason; readonly message: string };

/** Options for {@link verifyAccessToken}. */
export interface VerifyAccessTokenOptions {
  /**
   * Accepted audience(s): App ID URIs or app ids. Each is widened to every identifier of the same
   * resource app (URIs with and without trailing slash, and its GUID).
   */
  readonly audience: string | readonly string[];
  /** Reject user tokens issued before the user's `sessionsValidFromSeconds` (CAE). Default true. */
  readonly checkRevocation?: boolean;
}

/** Clock skew accepted on `exp` and `nbf`, seconds. */
const CLOCK_SKEW_SECONDS = 300;

const norm = (s: string): string => s.replace(/\/+$/, "").toLowerCase();

/**
 * Validate an emulator access token: RS256 signature with the emulator key, `exp`/`nbf` on the
 * emulator clock, `aud` against `options.audience`, `iss` = `https://sts.windows.net/{tid}/`,
 * and (default) user session revocation. Never throws.
 */
export function verifyAccessToken(ctx: EmulatorContext, token: string | undefined | null, options: VerifyAccessTokenOptions): AccessTokenCheck {
  if (!token) return { ok: false, reason: "missing", message: "No bearer token." };
  const allowed = new Set<string>();
  for (const a of typeof options.audience === "string" ? [options.audience] : options.audience) {
    allowed.add(norm(a));
    const app = ctx.world.resourceApp(a);
    if (app) {
      allowed.add(app.appId);
      for (const u of app.identifierUris) allowed.add(norm(u));
    }
  }
  const jws = verifyRs256(token, ctx.keys.active.publicKey);
  if (!jws.ok) {
    return jws.reason === "invalid_signature"
      ? { ok: false, reason: "invalid_signature", message: "The token signature is invalid." }
      : { ok: false, reason: "malformed", message: "The token is malformed." };
  }
  const claims = jws.payload as AccessTokenClaims;
  // Time claims as RFC 7519 §4.1.4/§4.1.5 with 5 minutes of clock skew (as jose's clockTolerance did).
  const { exp, nbf } = claims as { exp?: unknown; nbf?: unknown };
  if (typeof exp !== "number" || (nbf !== undefined && typeof nbf !== "number")) {
    return { ok: false, reason: "malformed", message: "The token is malformed." };
  }
  const now = ctx.clock.nowSeconds();
  if (exp <= now - CLOCK_SKEW_SECONDS) return { ok: false, reason: "expired", message: "The token is expired." };
  if (nbf !== undefined && nbf > now + CLOCK_SKEW_SECONDS) return { ok: false, reason: "not_yet_valid", message: "The token is not yet valid." };
  if (typeof claims.aud !== "string" || !allowed.has(norm(claims.aud))) {
    return { ok: false, reason: "invalid_audience", message: `The token audience '${String(claims.aud)}' is not accepted here.` };
  }
  if (typeof claims.tid !== "string" || claims.iss !== v1Issuer(claims.tid)) {
    return { ok: false, reason: "invalid_issuer", message: "The token issuer is invalid." };
  }
  if (options.checkRevocation !== false && claims.idtyp === "user") {
    const u = ctx.world.userById(claims.oid);
    if (u && claims.iat < u.sessionsValidFromSeconds) return { ok: false, reason: "revoked", message: "The user's sessions were revoked after this token was issued." };
  }
  return { ok: true, claims };
}

/** {@link verifyAccessToken} on an `Authorization` header value (`Bearer <token>`). */
export function verifyBearer(ctx: EmulatorContext, authorization: string | undefined | null, options: VerifyAccessTokenOptions): AccessTokenCheck {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
  return verifyAccessToken(ctx, m?.[1], options);
}
