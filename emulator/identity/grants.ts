/**
 * What a delegated or app-only grant may get in a tenant (CONTRACTS §9), and minting the token
 * response. Checks run in Entra's order: cloud → user access (home or GDAP) → Conditional Access
 * → MFA → app consent → permissions.
 * @see shared/facts/identity-platform.md §6 (response), §9 (cross-tenant redemption)
 */
import type { EmulatorContext } from "../context.js";
import { issueAppAccessToken, issueIdToken, issueUserAccessToken } from "../tokens.js";
import type { Application, Tenant, User } from "../world-types.js";
import { DIRECTORY_ROLES } from "../well-known.js";
import { AadError } from "./aad-errors.js";
import type { AuthenticatedClient } from "./client-auth.js";
import { mintRefreshToken } from "./refresh-tokens.js";
import type { ScopeRequest } from "./scopes.js";
import type { RefreshTokenRecord } from "./state.js";
import { assertSameCloud } from "./tenant.js";

/** Claims value sent with AADSTS53003 (Conditional Access), as a JSON string. */
const CA_CLAIMS = JSON.stringify({ access_token: { capolids: { essential: true, values: ["4f2a7e1c-6b0d-4c55-9d2b-5a8f6e3c2b10"] } } });

/** Result of the delegated checks: permissions granted and the user's roles in the tenant. */
export interface DelegatedAccess {
  readonly permissions: readonly string[];
  readonly wids: readonly string[];
}

/**
 * Decide what `user` signed in through `client` may get for `scopes` in `tenant`.
 * @throws AadError 90038, 50020, 53003, 50076, 65001 (see CONTRACTS §9).
 */
export function checkDelegated(ctx: EmulatorContext, p: { tenant: Tenant; user: User; client: Application; scopes: ScopeRequest; amr: readonly string[] }): DelegatedAccess {
  const { tenant, user, client, scopes } = p;
  const w = ctx.world;
  assertSameCloud(tenant);
  const home = w.tenants.get(user.tenantId);
  let wids: string[];
  const cross = tenant.tenantId !== user.tenantId;
  if (!cross) {
    wids = [...user.roles, DIRECTORY_ROLES.defaultUser];
  } else {
    const gdap = home?.kind === "partner" ? w.activeGdap(tenant.tenantId, ctx.clock.nowSeconds()) : undefined;
    if (!gdap) {
      throw new AadError(50020, { upn: user.userPrincipalName, homeTenantId: user.tenantId, tenantName: tenant.displayName, clientId: client.appId, appName: client.displayName });
    }
    wids = [...gdap.roles];
  }
  if (cross && tenant.conditionalAccessBlock) throw new AadError(53003, {}, { claims: CA_CLAIMS });
  const hasMfa = p.amr.includes("mfa");
  if (!hasMfa && (cross || user.mfa)) throw new AadError(50076, { resourceAppId: scopes.resource.appId });
  const consentError = () => new AadError(65001, { clientId: client.appId, appName: client.displayName });
  if (!w.isConsented(tenant.tenantId, client.appId)) throw consentError();
  let permissions: string[];
  if (client.firstParty) {
    permissions = scopes.permissions.includes(".default") ? scopes.resource.oauth2PermissionScopes.map((s) => s.value).filter((v) => !["openid", "profile", "email", "offline_access"].includes(v)) : [...scopes.permissions];
  } else {
    const granted = w.grant(tenant.tenantId, client.appId, scopes.resource.appId)?.scopes ?? [];
    const lower = new Set(granted.map((g) => g.toLowerCase()));
    if (scopes.permissions.includes(".default")) {
      if (granted.length === 0) throw consentError();
      permissions = [...granted];
    } else {
      const missing = scopes.permissions.filter((s) => !lower.has(s.toLowerCase()));
      // Signing in (User.Read) needs no admin consent once the app is consented.
      if (missing.some((m) => m !== "User.Read")) throw consentError();
      permissions = [...scopes.permissions];
    }
  }
  return { permissions, wids };
}

/** Fire a scenario-configured AADSTS error for this grant, if one matches. */
export function applyAadstsScenario(ctx: EmulatorContext, path: string, tenant: Tenant | undefined, user: User | undefined, clientId: string): void {
  const rule = ctx.scenarios.matchAadsts({
    path,
    tenantIds: tenant ? [tenant.tenantId, tenant.domain] : [],
    ...(user ? { user: user.userPrincipalName } : {}),
    clientId,
  });
  if (rule?.aadsts !== undefined) throw new AadError(rule.aadsts, { clientId, tenant: tenant?.tenantId ?? "", upn: user?.userPrincipalName ?? "", resourceAppId: "", tenantName: tenant?.displayName ?? "", homeTenantId: user?.tenantId ?? "", appName: "" }, rule.aadsts === 53003 ? { claims: CA_CLAIMS } : {});
}

/** A delegated sign-in being turned into tokens. */
export interface DelegatedIssue {
  readonly tenant: Tenant;
  readonly user: User;
  readonly client: AuthenticatedClient;
  readonly scopes: ScopeRequest;
  readonly amr: readonly string[];
  readonly authTime: number;
  readonly sid: string;
  readonly nonce?: string;
  /** Whether to return a refresh token (offline_access asked, or a refresh grant). */
  readonly wantRefreshToken: boolean;
  /** Public-client sign-in (no credential at issuance). */
  readonly publicClient: boolean;
  /** The redeemed refresh token (its family continues). */
  readonly parent?: RefreshTokenRecord;
  /** MSAL's `client_info=1`. */
  readonly clientInfo: boolean;
  /** v1 endpoint response format (strings, `resource`, `expires_on`). */
  readonly v1: boolean;
}

/** Run the delegated checks and build the token response body. */
export function issueDelegated(ctx: EmulatorContext, i: DelegatedIssue): Record<string, unknown> {
  const access = checkDelegated(ctx, { tenant: i.tenant, user: i.user, client: i.client.app, scopes: i.scopes, amr: i.amr });
  const at = issueUserAccessToken(ctx, {
    tenantId: i.tenant.tenantId,
    user: i.user,
    client: i.client.app,
    audience: i.scopes.audience,
    scopes: access.permissions,
    amr: i.amr,
    appidacr: i.client.appidacr,
    wids: access.wids,
  });
  const body: Record<string, unknown> = { token_type: "Bearer" };
  const base = i.scopes.audience.replace(/\/+$/, "");
  if (i.v1) {
    Object.assign(body, {
      scope: access.permissions.join(" "),
      expires_in: String(at.expiresIn),
      ext_expires_in: String(at.expiresIn),
      expires_on: String(at.expiresOn),
      not_before: String(at.notBefore),
      resource: i.scopes.audience,
      access_token: at.token,
    });
  } else {
    const granted = access.permissions.map((p) => `${base}/${p}`);
    const scopeSet = [...new Set([...granted, ...i.scopes.raw, ...[...i.scopes.oidc].filter((s) => s !== "offline_access")])];
    Object.assign(body, { scope: scopeSet.join(" "), expires_in: at.expiresIn, ext_expires_in: at.expiresIn, access_token: at.token });
  }
  if (i.wantRefreshToken) {
    const rt = mintRefreshToken(ctx, { client: i.client.app, user: i.user, amr: i.amr, authTime: i.authTime, sid: i.sid, publicClient: i.publicClient, ...(i.parent ? { parent: i.parent } : {}) });
    body.refresh_token = rt.token;
    if (rt.foci) body.foci = "1";
  }
  if (i.scopes.oidc.has("openid") || i.v1) {
    body.id_token = issueIdToken(ctx, {
      tenantId: i.tenant.tenantId,
      user: i.user,
      clientId: i.client.app.appId,
      ...(i.nonce !== undefined ? { nonce: i.nonce } : {}),
      authTime: i.authTime,
      sid: i.sid,
    });
  }
  if (i.clientInfo) body.client_info = Buffer.from(JSON.stringify({ uid: i.user.objectId, utid: i.user.tenantId })).toString("base64url");
  return body;
}

/**
 * Client credentials: the client's service principal must exist in the tenant (else 700016);
 * roles come from its app-role grants on the resource.
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 */
export function issueAppOnly(ctx: EmulatorContext, p: { tenant: Tenant; client: AuthenticatedClient; scopes: ScopeRequest; v1: boolean }): Record<string, unknown> {
  const { tenant, client, scopes } = p;
  assertSameCloud(tenant);
  const sp = ctx.world.isConsented(tenant.tenantId, client.app.appId) ? ctx.world.addServicePrincipal(tenant.tenantId, client.app.appId) : undefined;
  if (!sp) throw new AadError(700016, { clientId: client.app.appId, tenant: tenant.tenantId });
  const roles = ctx.world.grant(tenant.tenantId, client.app.appId, scopes.resource.appId)?.roles ?? [];
  const at = issueAppAccessToken(ctx, {
    tenantId: tenant.tenantId,
    client: client.app,
    servicePrincipalId: sp.objectId,
    audience: scopes.audience,
    roles,
    appidacr: client.appidacr === "2" ? "2" : "1",
  });
  if (p.v1) {
    return { token_type: "Bearer", expires_in: String(at.expiresIn), ext_expires_in: String(at.expiresIn), expires_on: String(at.expiresOn), not_before: String(at.notBefore), resource: scopes.audience, access_token: at.token };
  }
  return { token_type: "Bearer", expires_in: at.expiresIn, ext_expires_in: at.expiresIn, access_token: at.token };
}
