/**
 * Who may call the emulated Graph, and with what. Order of checks, each in Graph's own shape:
 * 1. bearer (signature, exp/nbf, `aud` = Microsoft Graph, issuer = `tid`) → 401
 *    `InvalidAuthenticationToken` (a token older than a session revocation gets the CAE
 *    `insufficient_claims` challenge);
 * 2. the calling app has a service principal in `tid` → else 401 `Authorization_IdentityNotFound`
 *    (GDAP customer before Partner Center application consent);
 * 3. a partner user in a customer tenant needs an active GDAP relationship → else 403
 *    `Authorization_RequestDenied` (CONTRACTS §9 row 3);
 * 4. per route ({@link requirePermission}): a delegated scope (and for writes a directory role)
 *    or an application role → else 403 `Authorization_RequestDenied`.
 * @see https://learn.microsoft.com/graph/resolve-auth-errors
 * @see https://learn.microsoft.com/entra/identity-platform/claims-challenge (CAE challenge)
 * @see shared/facts/errors.md §4
 */
import { randomUUID } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { EmulatorContext } from "../context.js";
import { verifyBearer, type AccessTokenClaims } from "../tokens.js";
import { APP_IDS, RESOURCE_URIS } from "../well-known.js";
import { graphError, type GraphErrorCode, type GraphRequestIds } from "./errors.js";

/** The authenticated caller of one Graph request. */
export interface GraphCaller {
  readonly claims: AccessTokenClaims;
  /** Tenant the call is for (= the token's `tid`). */
  readonly tenantId: string;
  readonly appOnly: boolean;
  /** Delegated scopes (`scp`), app roles (`roles`), directory roles (`wids`). */
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly wids: readonly string[];
}

/** Hono variables of the Graph app. */
export type GraphEnv = { Variables: { caller: GraphCaller; ids: GraphRequestIds } };

/** Graph error for the current request (ids from the middleware). */
export function fail(c: Context<GraphEnv>, status: number, code: GraphErrorCode, message: string, headers?: Record<string, string>): Response {
  return graphError(status, code, message, c.get("ids"), headers);
}

/** Sets `request-id`/`client-request-id` for every response and `ids` for error bodies. */
export function requestIds(ctx: EmulatorContext): MiddlewareHandler<GraphEnv> {
  return async (c, next) => {
    const ids: GraphRequestIds = {
      requestId: randomUUID(),
      clientRequestId: c.req.header("client-request-id") ?? randomUUID(),
      nowSeconds: ctx.clock.nowSeconds(),
    };
    c.set("ids", ids);
    await next();
    c.res.headers.set("request-id", ids.requestId);
    c.res.headers.set("client-request-id", ids.clientRequestId);
  };
}

const INSUFFICIENT = "Insufficient privileges to complete the operation.";

/** Authentication middleware (checks 1–3 above). */
export function authenticate(ctx: EmulatorContext): MiddlewareHandler<GraphEnv> {
  return async (c, next) => {
    const check = verifyBearer(ctx, c.req.header("authorization"), { audience: RESOURCE_URIS.microsoftGraph });
    const challenge = `Bearer realm="", authorization_uri="${ctx.urls.authorityHost}/common/oauth2/authorize", client_id="${APP_IDS.microsoftGraph}"`;
    if (!check.ok) {
      if (check.reason === "revoked") {
        const claims = Buffer.from(JSON.stringify({ access_token: { nbf: { essential: true, value: String(ctx.clock.nowSeconds()) } } })).toString("base64");
        return fail(c, 401, "InvalidAuthenticationToken", "Continuous access evaluation resulted in challenge with result: InteractionRequired and code: TokenIssuedBeforeRevocationTimestamp", {
          "www-authenticate": `${challenge}, error="insufficient_claims", claims="${claims}"`,
        });
      }
      const message =
        check.reason === "missing"
          ? "Access token is empty."
          : check.reason === "expired"
            ? "Lifetime validation failed, the token is expired."
            : check.reason === "invalid_audience"
              ? "Access token validation failure. Invalid audience."
              : "Access token validation failure.";
      return fail(c, 401, "InvalidAuthenticationToken", message, { "www-authenticate": challenge });
    }
    const claims = check.claims;
    const world = ctx.world;
    if (!world.tenants.has(claims.tid)) {
      return fail(c, 401, "InvalidAuthenticationToken", "Access token validation failure. Invalid tenant.", { "www-authenticate": challenge });
    }
    if (!world.isConsented(claims.tid, claims.appid)) {
      return fail(c, 401, "Authorization_IdentityNotFound", "The identity of the calling application could not be established.");
    }
    const appOnly = claims.idtyp === "app";
    if (!appOnly) {
      const home = claims.home_tid ?? world.userById(claims.oid)?.tenantId ?? claims.tid;
      if (home !== claims.tid && !world.activeGdap(claims.tid, ctx.clock.nowSeconds())) {
        return fail(c, 403, "Authorization_RequestDenied", INSUFFICIENT);
      }
    }
    c.set("caller", {
      claims,
      tenantId: claims.tid,
      appOnly,
      scopes: appOnly ? [] : (claims.scp ?? "").split(" ").filter((s) => s !== ""),
      roles: appOnly ? (claims.roles ?? []) : [],
      wids: claims.wids ?? [],
    });
    await next();
  };
}

/** What a route needs: any one delegated scope (plus, if listed, any one directory role) or any one app role. */
export interface Permission {
  readonly delegated: readonly string[];
  readonly application: readonly string[];
  /** Directory role template ids a delegated caller must hold one of (writes). */
  readonly directoryRoles?: readonly string[];
}

const hasAny = (have: readonly string[], want: readonly string[]): boolean => {
  const lower = new Set(have.map((h) => h.toLowerCase()));
  return want.some((w) => lower.has(w.toLowerCase()));
};

/** `undefined` when the caller has `p`; else the 403 `Authorization_RequestDenied` response. */
export function requirePermission(c: Context<GraphEnv>, p: Permission): Response | undefined {
  const caller = c.get("caller");
  const ok = caller.appOnly
    ? hasAny(caller.roles, p.application)
    : hasAny(caller.scopes, p.delegated) && (p.directoryRoles === undefined || hasAny(caller.wids, p.directoryRoles));
  return ok ? undefined : fail(c, 403, "Authorization_RequestDenied", INSUFFICIENT);
}
