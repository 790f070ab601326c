/**
 * Scope parsing: OIDC scopes, and the resource + permissions a request targets.
 * v2 scopes are `<resource>/<permission>` (App ID URI or appId GUID) or a bare permission of
 * Microsoft Graph; multi-resource requests get a token for the first resource.
 * @see shared/facts/identity-platform.md §2, §3 (multi-resource ⇒ first scope's resource)
 */
import type { EmulatorContext } from "../context.js";
import type { Application } from "../world-types.js";
import { APP_IDS } from "../well-known.js";
import { AadError } from "./aad-errors.js";

export const OIDC_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);

/** The parsed target of a token request. */
export interface ScopeRequest {
  /** OIDC scopes that were asked for. */
  readonly oidc: ReadonlySet<string>;
  /** The resource app (first resource scope's; Graph when only OIDC scopes were sent). */
  readonly resource: Application;
  /** The resource identifier as requested (the token's `aud`). */
  readonly audience: string;
  /** Permission names asked of that resource (`.default` included verbatim). */
  readonly permissions: readonly string[];
  /** Every resource scope of the request as sent (for the response `scope`). */
  readonly raw: readonly string[];
}

/** Split one resource scope into (resource, permission). Bare names are Microsoft Graph's. */
function splitScope(scope: string): { resource: string; permission: string } {
  const i = scope.lastIndexOf("/");
  if (i <= 0 || (scope.includes("://") && i < scope.indexOf("://") + 3)) return { resource: APP_IDS.microsoftGraph, permission: scope };
  return { resource: scope.slice(0, i), permission: scope.slice(i + 1) };
}

/**
 * Parse a space-separated v2 `scope`. @throws AadError 70011 for an empty resource scope,
 * 500011 for an unknown resource.
 */
export function parseScopes(ctx: EmulatorContext, scope: string, tenantName: string): ScopeRequest {
  const all = scope.split(/\s+/).filter(Boolean);
  const oidc = new Set(all.filter((s) => OIDC_SCOPES.has(s.toLowerCase())).map((s) => s.toLowerCase()));
  const resourceScopes = all.filter((s) => !OIDC_SCOPES.has(s.toLowerCase()));
  if (resourceScopes.length === 0) {
    const graph = ctx.world.application(APP_IDS.microsoftGraph)!;
    return { oidc, resource: graph, audience: APP_IDS.microsoftGraph, permissions: ["User.Read"], raw: [] };
  }
  const first = splitScope(resourceScopes[0]!);
  if (!first.permission) throw new AadError(70011, { scope: resourceScopes[0]! });
  const resource = ctx.world.resourceApp(first.resource);
  if (!resource) throw new AadError(500011, { resource: first.resource, tenant: tenantName });
  const permissions = resourceScopes.map(splitScope).filter((s) => ctx.world.resourceApp(s.resource) === resource).map((s) => s.permission);
  return { oidc, resource, audience: first.resource, permissions, raw: resourceScopes };
}

/** A v1 request: `resource` parameter instead of scopes. */
export function parseResource(ctx: EmulatorContext, resource: string, scope: string | undefined, tenantName: string): ScopeRequest {
  const app = ctx.world.resourceApp(resource);
  if (!app) throw new AadError(500011, { resource, tenant: tenantName });
  const oidc = new Set((scope ?? "").split(/\s+/).filter((s) => OIDC_SCOPES.has(s)));
  return { oidc, resource: app, audience: resource, permissions: [".default"], raw: [] };
}
