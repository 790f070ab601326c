/**
 * Authorization endpoint (v2 `/{tenant}/oauth2/v2.0/authorize`, v1 `/{tenant}/oauth2/authorize`)
 * and the interactive pages behind it: sign-in → MFA → consent → redirect with `code` + `state`
 * (`query`, `fragment`) or an auto-submitting POST (`form_post`). Also the device-code
 * verification page (`/devicelogin`).
 * @see shared/facts/identity-platform.md §2 (parameters, response modes, errors), §10
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1 ; RFC 7636 (PKCE)
 */
import { randomBytes, randomInt } from "node:crypto";
import type { Context, Hono } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { bodyForm } from "../body.js";
import type { EmulatorContext } from "../context.js";
import { issueIdToken } from "../tokens.js";
import type { Application, User } from "../world-types.js";
import { DIRECTORY_ROLES, RESOURCE_PERMISSIONS } from "../well-known.js";
import { AADSTS, AadError, entraTimestamp } from "./aad-errors.js";
import { approveDeviceCode, declineDeviceCode, findByUserCode } from "./device-code.js";
import { consentPage, deviceCodePage, deviceDonePage, errorPage, formPostPage, mfaPage, signInPage } from "./pages.js";
import { OIDC_SCOPES, parseResource, parseScopes } from "./scopes.js";
import type { SignInTransaction } from "./state.js";
import { resolveAuthority } from "./tenant.js";
import { redirectMatches } from "./token-endpoint.js";

const SESSION_COOKIE = "ESTSAUTH";
/** Authorization codes live 10 minutes (facts §2). */
const CODE_LIFETIME_SECONDS = 600;
/** Sign-in transactions expire after 30 minutes. */
const TX_LIFETIME_SECONDS = 1800;

function showError(c: Context, ctx: EmulatorContext, err: AadError): Response {
  const def = AADSTS[err.code];
  const text = (def?.text ?? "").replace(/\{(\w+)\}/g, (_, k: string) => err.params[k] ?? "");
  return c.html(errorPage(err.code, text, crypto.randomUUID(), crypto.randomUUID(), entraTimestamp(ctx.clock.now())), 400);
}

/** Redirect back to the client with `fields` per the response mode (facts §2). */
function respond(c: Context, tx: Pick<SignInTransaction, "redirectUri" | "responseMode">, fields: Record<string, string>): Response {
  const target = new URL(tx.redirectUri!);
  if (tx.responseMode === "form_post") return c.html(formPostPage(tx.redirectUri!, fields));
  if (tx.responseMode === "fragment") {
    target.hash = new URLSearchParams(fields).toString();
    return c.redirect(target.href, 302);
  }
  for (const [k, v] of Object.entries(fields)) target.searchParams.set(k, v);
  return c.redirect(target.href, 302);
}

function redirectError(c: Context, ctx: EmulatorContext, tx: SignInTransaction, code: number, params: Record<string, string> = {}, errorOverride?: string): Response {
  const def = AADSTS[code]!;
  const text = def.text.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? "");
  const fields: Record<string, string> = {
    error: errorOverride ?? def.error,
    error_description: `AADSTS${code}: ${text}\r\nTrace ID: ${crypto.randomUUID()}\r\nCorrelation ID: ${crypto.randomUUID()}\r\nTimestamp: ${entraTimestamp(ctx.clock.now())}`,
    error_uri: `https://login.microsoftonline.com/error?code=${code}`,
  };
  if (tx.state !== undefined) fields.state = tx.state;
  ctx.identity.transactions.delete(tx.id);
  return respond(c, tx, fields);
}

function getTx(ctx: EmulatorContext, id: string | undefined): SignInTransaction | undefined {
  const tx = id ? ctx.identity.transactions.get(id) : undefined;
  if (!tx || ctx.clock.nowSeconds() - tx.createdAt > TX_LIFETIME_SECONDS) return undefined;
  return tx;
}

async function formOf(c: Context): Promise<Record<string, string>> {
  // Sign-in pages post urlencoded forms (read once, shared with the request log); multipart is not logged.
  if (!/multipart\/form-data/i.test(c.req.header("content-type") ?? "")) return bodyForm(c);
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}

/** Permissions still needing consent in the user's home tenant (empty for first-party clients). */
function missingConsent(ctx: EmulatorContext, tx: SignInTransaction, user: User, client: Application): { resource: string; resourceAppId: string; value: string; description: string }[] {
  if (client.firstParty) return [];
  const w = ctx.world;
  const out: { resource: string; resourceAppId: string; value: string; description: string }[] = [];
  const label = user.tenantId;
  const groups = new Map<string, string[]>();
  if (tx.resource !== undefined) {
    const r = parseResource(ctx, tx.resource, undefined, label);
    groups.set(r.resource.appId, [".default"]);
  } else {
    for (const s of tx.scopes) {
      if (OIDC_SCOPES.has(s.toLowerCase())) continue;
      const r = parseScopes(ctx, s, label);
      groups.set(r.resource.appId, [...(groups.get(r.resource.appId) ?? []), ...r.permissions]);
    }
  }
  for (const [resourceAppId, perms] of groups) {
    const res = w.application(resourceAppId)!;
    const granted = new Set((w.grant(user.tenantId, client.appId, resourceAppId)?.scopes ?? []).map((s) => s.toLowerCase()));
    const wanted = perms.includes(".default")
      ? client.requiredResourceAccess
          .filter((r) => r.resourceAppId === resourceAppId)
          .flatMap((r) => r.resourceAccess.filter((a) => a.type === "Scope").map((a) => res.oauth2PermissionScopes.find((d) => d.id === a.id)?.value))
          .filter((v): v is string => !!v)
      : perms;
    const consented = w.isConsented(user.tenantId, client.appId);
    for (const v of wanted) {
      if (consented && granted.has(v.toLowerCase()) && tx.prompt !== "consent") continue;
      const def = RESOURCE_PERMISSIONS[resourceAppId]?.scopes.find((d) => d.value.toLowerCase() === v.toLowerCase());
      out.push({ resource: res.displayName, resourceAppId, value: v, description: def?.description ?? v });
    }
  }
  return out;
}

/**
 * Records the consent a device-code sign-in asks for, as if `username` accepted Entra's consent
 * screen (the control API's `consent: true`): the client's service principal plus the missing
 * delegated scopes in the user's tenant. The emulator models one tenant-wide grant per
 * client/resource, so a user's own consent and an admin's consent for the organization are
 * recorded the same way.
 */
export function consentDeviceCode(ctx: EmulatorContext, userCode: string, username: string): { ok: true } | { ok: false; message: string } {
  const rec = findByUserCode(ctx, userCode);
  if (!rec) return { ok: false, message: `Unknown user code '${userCode}'.` };
  const user = ctx.world.userByUpn(username);
  if (!user) return { ok: false, message: `Unknown user '${username}'.` };
  const client = ctx.world.application(rec.clientId);
  if (!client) return { ok: false, message: `Unknown client '${rec.clientId}'.` };
  recordConsent(ctx, { id: "", kind: "device", tenantSegment: rec.tenantId, clientId: rec.clientId, scopes: rec.scopes, ...(rec.resource !== undefined ? { resource: rec.resource } : {}), createdAt: 0 }, user, client);
  return { ok: true };
}

function recordConsent(ctx: EmulatorContext, tx: SignInTransaction, user: User, client: Application): void {
  if (client.firstParty) return;
  const byResource = new Map<string, string[]>();
  for (const m of missingConsent(ctx, { ...tx, prompt: undefined }, user, client)) byResource.set(m.resourceAppId, [...(byResource.get(m.resourceAppId) ?? []), m.value]);
  for (const [res, scopes] of byResource) ctx.world.addGrant(user.tenantId, client.appId, res, scopes);
  ctx.world.addServicePrincipal(user.tenantId, client.appId);
}

/** After sign-in (and MFA): consent if needed, else finish. */
function afterAuthentication(c: Context, ctx: EmulatorContext, tx: SignInTransaction): Response | Promise<Response> {
  const user = ctx.world.userById(tx.userObjectId!)!;
  const client = ctx.world.application(tx.clientId)!;
  const sessionId = randomBytes(24).toString("base64url");
  ctx.identity.sessions.set(sessionId, { userObjectId: user.objectId, amr: tx.amr ?? ["pwd"], authTime: tx.authTime!, sid: crypto.randomUUID() });
  setCookie(c, SESSION_COOKIE, sessionId, { path: "/", httpOnly: true, sameSite: "Lax" });
  const missing = missingConsent(ctx, tx, user, client);
  // Device-code sign-ins show Entra's consent screen too when the app lacks consent.
  if (missing.length > 0 && (tx.kind === "authorize" || tx.kind === "device" || tx.prompt === "consent")) {
    return c.html(
      consentPage({
        action: `/${encodeURIComponent(tx.tenantSegment)}/consent`,
        tx: tx.id,
        appName: client.displayName,
        publisherTenant: client.homeTenantId,
        permissions: missing,
        admin: user.roles.includes(DIRECTORY_ROLES.globalAdministrator),
      }),
    );
  }
  return finish(c, ctx, tx);
}

/** Issue the code (authorize) or approve the device code (device flow). */
function finish(c: Context, ctx: EmulatorContext, tx: SignInTransaction): Response {
  ctx.identity.transactions.delete(tx.id);
  const user = ctx.world.userById(tx.userObjectId!)!;
  const client = ctx.world.application(tx.clientId)!;
  if (tx.kind === "device") {
    const r = approveDeviceCode(ctx, tx.userCode!, user.userPrincipalName, (tx.amr ?? []).includes("mfa"));
    return c.html(deviceDonePage(client.displayName, r.ok));
  }
  const authority = resolveAuthority(ctx, tx.tenantSegment);
  const tenantId = authority.kind === "tenant" ? authority.tenant.tenantId : user.tenantId;
  const code = `1.A${randomBytes(64).toString("base64url")}`;
  const sid = crypto.randomUUID();
  ctx.identity.authCodes.set(code, {
    clientId: client.appId,
    redirectUri: tx.redirectUri!,
    tenantId,
    userObjectId: user.objectId,
    scopes: tx.scopes,
    ...(tx.resource !== undefined ? { resource: tx.resource } : {}),
    ...(tx.codeChallenge !== undefined ? { codeChallenge: tx.codeChallenge, codeChallengeMethod: tx.codeChallengeMethod ?? "plain" } : {}),
    ...(tx.nonce !== undefined ? { nonce: tx.nonce } : {}),
    amr: tx.amr ?? ["pwd"],
    authTime: tx.authTime!,
    sid,
    expiresAt: ctx.clock.nowSeconds() + CODE_LIFETIME_SECONDS,
    used: false,
  });
  const fields: Record<string, string> = { code };
  if (tx.responseType?.split(" ").includes("id_token")) {
    fields.id_token = issueIdToken(ctx, { tenantId, user, clientId: client.appId, ...(tx.nonce !== undefined ? { nonce: tx.nonce } : {}), authTime: tx.authTime!, sid });
  }
  if (tx.state !== undefined) fields.state = tx.state;
  fields.session_state = sid;
  return respond(c, tx, fields);
}

function authorizeHandler(ctx: EmulatorContext, v1: boolean) {
  return async (c: Context): Promise<Response> => {
    const q = c.req.method === "POST" ? await formOf(c) : c.req.query();
    const segment = c.req.param("tenant") ?? "";
    try {
      resolveAuthority(ctx, segment);
    } catch (e) {
      if (e instanceof AadError) return showError(c, ctx, e);
      throw e;
    }
    const clientId = (q.client_id ?? "").toLowerCase();
    if (!clientId) return showError(c, ctx, new AadError(900144, { field: "client_id" }));
    const client = ctx.world.application(clientId);
    if (!client) return showError(c, ctx, new AadError(700016, { clientId, tenant: segment }));
    const registered = [...client.webRedirectUris, ...client.publicClientRedirectUris];
    const redirectUri = q.redirect_uri ?? registered[0];
    if (!redirectUri || !redirectMatches(registered, redirectUri)) {
      return showError(c, ctx, new AadError(50011, { redirectUri: redirectUri ?? "", clientId }));
    }
    const responseType = q.response_type ?? "code";
    const responseMode = (q.response_mode ?? (responseType.includes("id_token") ? "fragment" : "query")) as SignInTransaction["responseMode"];
    let scopes = (q.scope ?? "").split(/\s+/).filter(Boolean);
    if (v1 && scopes.length === 0) scopes = ["openid"];
    const tx: SignInTransaction = {
      id: randomBytes(18).toString("base64url"),
      kind: "authorize",
      tenantSegment: segment,
      clientId: client.appId,
      scopes,
      ...(v1 && q.resource !== undefined ? { resource: q.resource } : {}),
      redirectUri,
      responseMode: responseMode === "form_post" || responseMode === "fragment" ? responseMode : "query",
      responseType,
      ...(q.state !== undefined ? { state: q.state } : {}),
      ...(q.nonce !== undefined ? { nonce: q.nonce } : {}),
      ...(q.code_challenge !== undefined ? { codeChallenge: q.code_challenge, codeChallengeMethod: q.code_challenge_method === "S256" ? "S256" : "plain" } : {}),
      ...(q.prompt !== undefined ? { prompt: q.prompt } : {}),
      ...(q.login_hint !== undefined ? { loginHint: q.login_hint } : {}),
      createdAt: ctx.clock.nowSeconds(),
    };
    if (!responseType.split(" ").includes("code")) return redirectError(c, ctx, tx, 700054, { responseType });
    if (!v1 && q.resource !== undefined) return redirectError(c, ctx, tx, 901002);
    try {
      if (v1 && tx.resource === undefined) throw new AadError(900144, { field: "resource" });
      if (tx.resource !== undefined) parseResource(ctx, tx.resource, undefined, segment);
      else parseScopes(ctx, scopes.join(" "), segment);
    } catch (e) {
      if (e instanceof AadError) return redirectError(c, ctx, tx, e.code, e.params);
      throw e;
    }
    ctx.identity.transactions.set(tx.id, tx);
    const session = ctx.identity.sessions.get(getCookie(c, SESSION_COOKIE) ?? "");
    if (tx.prompt === "none") {
      if (!session) return redirectError(c, ctx, tx, 50058);
    }
    if (session && tx.prompt !== "login" && tx.prompt !== "select_account") {
      tx.userObjectId = session.userObjectId;
      tx.amr = session.amr;
      tx.authTime = session.authTime;
      const user = ctx.world.userById(session.userObjectId);
      if (user && tx.prompt === "none" && missingConsent(ctx, tx, user, client).length > 0) return redirectError(c, ctx, tx, 65001, { clientId: client.appId, appName: client.displayName }, "interaction_required");
      if (user) return afterAuthentication(c, ctx, tx);
    }
    return c.html(signInPage({ action: `/${encodeURIComponent(segment)}/login`, tx: tx.id, appName: client.displayName, ...(tx.loginHint !== undefined ? { username: tx.loginHint } : {}) }));
  };
}

function issueMfaCode(ctx: EmulatorContext, tx: SignInTransaction, user: User): void {
  tx.mfaCode = String(randomInt(0, 1_000_000)).padStart(6, "0");
  ctx.identity.mfaCodes.set(user.userPrincipalName, tx.mfaCode);
}

/** Register authorize, sign-in, MFA, consent and device verification routes. */
export function registerAuthorize(app: Hono, ctx: EmulatorContext): void {
  app.get("/:tenant/oauth2/v2.0/authorize", authorizeHandler(ctx, false));
  app.post("/:tenant/oauth2/v2.0/authorize", authorizeHandler(ctx, false));
  app.get("/:tenant/oauth2/authorize", authorizeHandler(ctx, true));

  app.post("/:tenant/login", async (c) => {
    const f = await formOf(c);
    const tx = getTx(ctx, f.tx);
    if (!tx) return showError(c, ctx, new AadError(9002313));
    const client = ctx.world.application(tx.clientId)!;
    if (f.action === "cancel") {
      if (tx.kind === "device") {
        declineDeviceCode(ctx, tx.userCode!);
        ctx.identity.transactions.delete(tx.id);
        return c.html(deviceDonePage(client.displayName, false));
      }
      return redirectError(c, ctx, tx, 65004, {}, "access_denied");
    }
    const username = (f.loginfmt ?? "").trim();
    const again = (error: string) => c.html(signInPage({ action: `/${encodeURIComponent(tx.tenantSegment)}/login`, tx: tx.id, appName: client.displayName, username, error }), 200);
    const user = ctx.world.userByUpn(username);
    if (!user) return again(`AADSTS50034: We couldn't find an account with that username.`);
    if (user.password !== (f.passwd ?? "")) return again("AADSTS50126: Your account or password is incorrect.");
    const authority = resolveAuthority(ctx, tx.tenantSegment);
    if (authority.kind === "tenant" && authority.tenant.tenantId !== user.tenantId) {
      const home = ctx.world.tenants.get(user.tenantId);
      if (home?.kind !== "partner" || !ctx.world.activeGdap(authority.tenant.tenantId, ctx.clock.nowSeconds())) {
        return again(`AADSTS50020: User account '${user.userPrincipalName}' does not exist in tenant '${authority.tenant.displayName}'.`);
      }
    }
    tx.userObjectId = user.objectId;
    tx.authTime = ctx.clock.nowSeconds();
    if (user.mfa) {
      issueMfaCode(ctx, tx, user);
      return c.html(mfaPage({ action: `/${encodeURIComponent(tx.tenantSegment)}/mfa`, tx: tx.id, username: user.userPrincipalName }));
    }
    tx.amr = ["pwd"];
    return afterAuthentication(c, ctx, tx);
  });

  app.post("/:tenant/mfa", async (c) => {
    const f = await formOf(c);
    const tx = getTx(ctx, f.tx);
    if (!tx?.userObjectId || !tx.mfaCode) return showError(c, ctx, new AadError(9002313));
    const user = ctx.world.userById(tx.userObjectId)!;
    if (f.action !== "approve" && (f.otc ?? "").trim() !== tx.mfaCode) {
      return c.html(mfaPage({ action: `/${encodeURIComponent(tx.tenantSegment)}/mfa`, tx: tx.id, username: user.userPrincipalName, error: "You didn't enter the expected verification code. Please try again." }));
    }
    ctx.identity.mfaCodes.delete(user.userPrincipalName);
    tx.amr = ["pwd", "mfa"];
    return afterAuthentication(c, ctx, tx);
  });

  app.post("/:tenant/consent", async (c) => {
    const f = await formOf(c);
    const tx = getTx(ctx, f.tx);
    if (!tx?.userObjectId || !tx.amr) return showError(c, ctx, new AadError(9002313));
    const user = ctx.world.userById(tx.userObjectId)!;
    const client = ctx.world.application(tx.clientId)!;
    if (f.action === "cancel") {
      if (tx.kind === "device") {
        declineDeviceCode(ctx, tx.userCode!);
        ctx.identity.transactions.delete(tx.id);
        return c.html(deviceDonePage(client.displayName, false));
      }
      return redirectError(c, ctx, tx, 65004, {}, "access_denied");
    }
    recordConsent(ctx, tx, user, client);
    return finish(c, ctx, tx);
  });

  // Device-code verification (the page `verification_uri` points at).
  app.get("/devicelogin", (c) => c.html(deviceCodePage({ action: "/devicelogin" })));
  app.post("/devicelogin", async (c) => {
    const f = await formOf(c);
    const rec = findByUserCode(ctx, f.otc ?? "");
    if (!rec || rec.status !== "pending" || ctx.clock.nowSeconds() >= rec.expiresAt) {
      return c.html(deviceCodePage({ action: "/devicelogin", error: "That code didn't work. Check the code and try again." }));
    }
    const client = ctx.world.application(rec.clientId)!;
    const tx: SignInTransaction = {
      id: randomBytes(18).toString("base64url"),
      kind: "device",
      tenantSegment: rec.tenantId || "organizations",
      clientId: rec.clientId,
      scopes: rec.scopes,
      ...(rec.resource !== undefined ? { resource: rec.resource } : {}),
      userCode: rec.userCode,
      createdAt: ctx.clock.nowSeconds(),
    };
    ctx.identity.transactions.set(tx.id, tx);
    return c.html(signInPage({ action: `/${encodeURIComponent(tx.tenantSegment)}/login`, tx: tx.id, appName: client.displayName }));
  });
}
