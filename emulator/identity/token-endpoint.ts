/**
 * Token endpoints (`/{tenant}/oauth2/v2.0/token`, v1 `/{tenant}/oauth2/token`) and device
 * authorization (`/{tenant}/oauth2[/v2.0]/devicecode`).
 * @see shared/facts/identity-platform.md §3, §4, §6
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4 (grants), RFC 7636 (PKCE), RFC 8628 (device)
 */
import { createHash } from "node:crypto";
import type { Context, Hono } from "hono";
import { bodyForm } from "../body.js";
import type { EmulatorContext } from "../context.js";
import { AadError, aadErrorResponse } from "./aad-errors.js";
import { authenticateClient } from "./client-auth.js";
import { createDeviceCode, DEVICE_CODE_INTERVAL_SECONDS, DEVICE_CODE_LIFETIME_SECONDS } from "./device-code.js";
import { applyAadstsScenario, issueAppOnly, issueDelegated } from "./grants.js";
import { validateRefreshToken } from "./refresh-tokens.js";
import { parseResource, parseScopes, type ScopeRequest } from "./scopes.js";
import { effectiveTenant, resolveAuthority, type Authority } from "./tenant.js";

const DEVICE_GRANTS = new Set(["device_code", "urn:ietf:params:oauth:grant-type:device_code"]);

function tokenHeaders(c: Context): void {
  c.header("Cache-Control", "no-store, no-cache");
  c.header("Pragma", "no-cache");
  c.header("x-ms-request-id", crypto.randomUUID());
  c.header("x-ms-clitelem", "1,0,0,,");
}

/** Scopes of a request: v2 `scope`, v1 `resource`. */
function requestScopes(ctx: EmulatorContext, v1: boolean, form: Record<string, string>, tenantLabel: string, fallback?: { scopes: readonly string[]; resource?: string }): ScopeRequest {
  if (v1) {
    const resource = form.resource ?? fallback?.resource;
    if (!resource) throw new AadError(900144, { field: "resource" });
    return parseResource(ctx, resource, form.scope, tenantLabel);
  }
  if (form.resource !== undefined) throw new AadError(901002);
  const scope = form.scope ?? fallback?.scopes.join(" ");
  if (scope === undefined || scope.trim() === "") throw new AadError(900144, { field: "scope" });
  return parseScopes(ctx, scope, tenantLabel);
}

function pkceMatches(challenge: string, method: "S256" | "plain", verifier: string): boolean {
  if (method === "plain") return challenge === verifier;
  return createHash("sha256").update(verifier).digest("base64url") === challenge;
}

/** Loopback redirect URIs match regardless of port (facts §10). */
export function redirectMatches(registered: readonly string[], candidate: string): boolean {
  let cand: URL;
  try {
    cand = new URL(candidate);
  } catch {
    return false;
  }
  const loop = (u: URL) => u.protocol === "http:" && (u.hostname === "localhost" || u.hostname === "127.0.0.1");
  return registered.some((r) => {
    let reg: URL;
    try {
      reg = new URL(r);
    } catch {
      return false;
    }
    if (loop(reg) && loop(cand)) {
      const p = (u: URL) => (u.pathname === "/" ? "" : u.pathname);
      return reg.hostname === cand.hostname && p(reg) === p(cand);
    }
    return r === candidate || reg.href === cand.href;
  });
}

async function tokenGrant(ctx: EmulatorContext, c: Context, v1: boolean): Promise<Response> {
  const form = await bodyForm(c);
  const path = new URL(c.req.url).pathname;
  const authority: Authority = resolveAuthority(ctx, c.req.param("tenant") ?? "");
  const label = authority.kind === "tenant" ? authority.tenant.tenantId : authority.segment;
  const grantType = form.grant_type ?? "";
  if (!grantType) throw new AadError(900144, { field: "grant_type" });
  if (!v1 && form.resource !== undefined) throw new AadError(901002);
  const clientInfo = form.client_info === "1";

  if (grantType === "client_credentials") {
    const client = await authenticateClient(ctx, form, c.req.header("authorization"), label, true);
    const tenant = effectiveTenant(ctx, authority, client.app.homeTenantId);
    applyAadstsScenario(ctx, path, tenant, undefined, client.app.appId);
    let scopes: ScopeRequest;
    if (v1) scopes = requestScopes(ctx, true, form, label);
    else {
      const scope = form.scope ?? "";
      if (!scope.trim()) throw new AadError(900144, { field: "scope" });
      const dflt = scope.split(/\s+/).find((s) => s.endsWith("/.default"));
      if (!dflt) throw new AadError(70011, { scope });
      scopes = parseScopes(ctx, dflt, label);
    }
    return ok(c, issueAppOnly(ctx, { tenant, client, scopes, v1 }));
  }

  if (grantType === "refresh_token") {
    const client = await authenticateClient(ctx, form, c.req.header("authorization"), label, false);
    const { rec, user } = validateRefreshToken(ctx, form.refresh_token, client.app.appId);
    const tenant = effectiveTenant(ctx, authority, user.tenantId);
    applyAadstsScenario(ctx, path, tenant, user, client.app.appId);
    const scopes = requestScopes(ctx, v1, form, label, { scopes: ["openid", "profile", "offline_access"] });
    const body = issueDelegated(ctx, {
      tenant, user, client, scopes, amr: rec.amr, authTime: rec.authTime, sid: rec.sid,
      wantRefreshToken: true, publicClient: client.appidacr === "0", parent: rec, clientInfo, v1,
    });
    rec.redeemedAt = ctx.clock.nowSeconds();
    return ok(c, body);
  }

  if (grantType === "authorization_code") {
    const client = await authenticateClient(ctx, form, c.req.header("authorization"), label, false);
    const code = form.code;
    if (!code) throw new AadError(900144, { field: "code" });
    const rec = ctx.identity.authCodes.get(code);
    if (!rec || rec.clientId !== client.app.appId) throw new AadError(70000, { detail: "The authorization code is invalid." });
    if (rec.used) throw new AadError(54005);
    if (ctx.clock.nowSeconds() >= rec.expiresAt) throw new AadError(70008);
    if (form.redirect_uri !== undefined && form.redirect_uri !== rec.redirectUri) throw new AadError(50011, { redirectUri: form.redirect_uri, clientId: client.app.appId });
    if (rec.codeChallenge !== undefined) {
      if (!form.code_verifier || !pkceMatches(rec.codeChallenge, rec.codeChallengeMethod ?? "plain", form.code_verifier)) throw new AadError(501481);
    }
    rec.used = true;
    const user = ctx.world.userById(rec.userObjectId)!;
    const tenant = ctx.world.tenants.get(rec.tenantId)!;
    applyAadstsScenario(ctx, path, tenant, user, client.app.appId);
    const scopes = requestScopes(ctx, v1, form, label, { scopes: rec.scopes, ...(rec.resource !== undefined ? { resource: rec.resource } : {}) });
    const oidcFromCode = new Set([...scopes.oidc, ...rec.scopes.filter((s) => ["openid", "profile", "email", "offline_access"].includes(s))]);
    const merged: ScopeRequest = { ...scopes, oidc: oidcFromCode };
    return ok(c, issueDelegated(ctx, {
      tenant, user, client, scopes: merged, amr: rec.amr, authTime: rec.authTime, sid: rec.sid,
      wantRefreshToken: oidcFromCode.has("offline_access") || v1, publicClient: client.appidacr === "0",
      ...(rec.nonce !== undefined ? { nonce: rec.nonce } : {}), clientInfo, v1,
    }));
  }

  if (DEVICE_GRANTS.has(grantType)) {
    const client = await authenticateClient(ctx, form, c.req.header("authorization"), label, false);
    const deviceCode = form.device_code ?? (v1 ? form.code : undefined);
    if (!deviceCode) throw new AadError(900144, { field: v1 ? "code" : "device_code" });
    const rec = ctx.identity.deviceCodes.get(deviceCode);
    if (!rec || rec.clientId !== client.app.appId) throw new AadError(70018);
    if (rec.status === "declined") throw new AadError(70017);
    if (rec.status === "redeemed") throw new AadError(54005);
    if (ctx.clock.nowSeconds() >= rec.expiresAt) throw new AadError(70019);
    if (rec.status === "pending") throw new AadError(70016);
    rec.status = "redeemed";
    const user = ctx.world.userById(rec.userObjectId!)!;
    const tenant = ctx.world.tenants.get(rec.tenantId) ?? ctx.world.tenants.get(user.tenantId)!;
    applyAadstsScenario(ctx, path, tenant, user, client.app.appId);
    const scopes = requestScopes(ctx, v1, form, label, { scopes: rec.scopes, ...(rec.resource !== undefined ? { resource: rec.resource } : {}) });
    const oidc = new Set([...scopes.oidc, ...rec.scopes.filter((s) => ["openid", "profile", "email", "offline_access"].includes(s))]);
    return ok(c, issueDelegated(ctx, {
      tenant, user, client, scopes: { ...scopes, oidc },
      amr: rec.amr ?? ["pwd"], authTime: rec.authTime ?? ctx.clock.nowSeconds(), sid: rec.sid ?? crypto.randomUUID(),
      wantRefreshToken: oidc.has("offline_access") || v1, publicClient: client.appidacr === "0", clientInfo, v1,
    }));
  }
  throw new AadError(70003, { grantType });
}

function ok(c: Context, body: Record<string, unknown>): Response {
  tokenHeaders(c);
  return c.json(body, 200);
}

async function deviceAuthorization(ctx: EmulatorContext, c: Context, v1: boolean): Promise<Response> {
  const form = await bodyForm(c);
  const authority = resolveAuthority(ctx, c.req.param("tenant") ?? "");
  const label = authority.kind === "tenant" ? authority.tenant.tenantId : authority.segment;
  const clientId = (form.client_id ?? "").toLowerCase();
  if (!clientId) throw new AadError(900144, { field: "client_id" });
  const app = ctx.world.application(clientId);
  if (!app) throw new AadError(700016, { clientId, tenant: label });
  let scopes: string[];
  let resource: string | undefined;
  if (v1) {
    resource = form.resource;
    if (!resource) throw new AadError(900144, { field: "resource" });
    parseResource(ctx, resource, undefined, label);
    scopes = ["openid", "offline_access"];
  } else {
    const scope = form.scope ?? "";
    if (!scope.trim()) throw new AadError(900144, { field: "scope" });
    parseScopes(ctx, scope, label);
    scopes = scope.split(/\s+/).filter(Boolean);
  }
  // For common/organizations the tenant is decided by the user who approves.
  const tenantId = authority.kind === "tenant" ? authority.tenant.tenantId : "";
  const rec = createDeviceCode(ctx, { clientId: app.appId, tenantId, scopes, ...(resource !== undefined ? { resource } : {}) });
  const uri = `${ctx.urls.authorityHost}/devicelogin`;
  const message = `To sign in, use a web browser to open the page ${uri} and enter the code ${rec.userCode} to authenticate.`;
  tokenHeaders(c);
  if (v1) {
    return c.json({ user_code: rec.userCode, device_code: rec.deviceCode, verification_url: uri, expires_in: String(DEVICE_CODE_LIFETIME_SECONDS), interval: String(DEVICE_CODE_INTERVAL_SECONDS), message });
  }
  return c.json({ user_code: rec.userCode, device_code: rec.deviceCode, verification_uri: uri, expires_in: DEVICE_CODE_LIFETIME_SECONDS, interval: DEVICE_CODE_INTERVAL_SECONDS, message });
}

/** Wrap a handler so AadError becomes the Entra error body. */
export function aad(ctx: EmulatorContext, fn: (c: Context) => Promise<Response>) {
  return async (c: Context): Promise<Response> => {
    try {
      return await fn(c);
    } catch (e) {
      if (e instanceof AadError) return aadErrorResponse(c, ctx, e);
      throw e;
    }
  };
}

/** Register token and devicecode routes. */
export function registerTokenEndpoints(app: Hono, ctx: EmulatorContext): void {
  app.post("/:tenant/oauth2/v2.0/token", aad(ctx, (c) => tokenGrant(ctx, c, false)));
  app.post("/:tenant/oauth2/token", aad(ctx, (c) => tokenGrant(ctx, c, true)));
  app.post("/:tenant/oauth2/v2.0/devicecode", aad(ctx, (c) => deviceAuthorization(ctx, c, false)));
  app.post("/:tenant/oauth2/devicecode", aad(ctx, (c) => deviceAuthorization(ctx, c, true)));
}
