/**
 * Directory reads and the few writes SAM set-up needs, per tenant (the caller's `tid`): `users`
 * (+ `/me`), `organization`, `domains`, `groups` (+ `members`, `members/$ref`),
 * `servicePrincipals` (POST, list/`$filter`, by id or `(appId='…')`, DELETE; app role assignments
 * are in `app-roles.ts`), `oauth2PermissionGrants` (POST, list, GET/PATCH/DELETE by id).
 * @see https://learn.microsoft.com/graph/api/user-list
 * @see https://learn.microsoft.com/graph/api/group-post-members
 * @see https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals
 * @see https://learn.microsoft.com/graph/api/oauth2permissiongrant-post
 * @see https://learn.microsoft.com/graph/api/oauth2permissiongrant-update (PATCH: 204 No Content)
 * @see https://learn.microsoft.com/graph/api/oauth2permissiongrant-delete
 */
import type { Context, Hono } from "hono";
import type { EmulatorContext } from "../context.js";
import type { ServicePrincipal } from "../world-types.js";
import { fail, requirePermission, type GraphEnv } from "./auth.js";
import {
  APPLICATIONS_READ,
  APPLICATIONS_WRITE,
  GRANTS_WRITE,
  GROUP_MEMBERS_WRITE,
  GROUPS_READ,
  ME_READ,
  ORGANIZATION_READ,
  USERS_READ,
} from "./permissions.js";
import { domain, group, organization, servicePrincipal, user, USER_DEFAULT_PROPERTIES } from "./render.js";
import { collection, entity, jsonBody } from "./respond.js";
import { graphState, type GraphGroup } from "./state.js";

type Json = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === "string" ? v : "");

/** Graph's 404 for an object id that is not in the caller's tenant. */
export const notFound = (c: Context<GraphEnv>, id: string): Response =>
  fail(c, 404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

/** The two ways Graph names one service principal in a path: `/servicePrincipals/{id}` and `/servicePrincipals(appId='…')`. */
export const SERVICE_PRINCIPAL_PATHS = ["/servicePrincipals/:id", "/:key{servicePrincipals\\(appId='[^']*'\\)}"] as const;

/** The service principal a {@link SERVICE_PRINCIPAL_PATHS} route names, in the caller's tenant; else Graph's 404. */
export function servicePrincipalOf(ctx: EmulatorContext, c: Context<GraphEnv>): ServicePrincipal | Response {
  const tenantId = c.get("caller").tenantId;
  const key = c.req.param("key");
  const alt = key === undefined ? undefined : /^servicePrincipals\(appId='([^']*)'\)$/.exec(key)?.[1];
  const id = alt ?? c.req.param("id") ?? "";
  const sp = alt !== undefined ? ctx.world.servicePrincipal(tenantId, alt) : ctx.world.servicePrincipalsByObjectId.get(id.toLowerCase());
  return sp && sp.tenantId === tenantId ? sp : notFound(c, id);
}

/** Registers the directory routes on the versioned Graph app. */
export function directoryRoutes(api: Hono<GraphEnv>, ctx: EmulatorContext): void {
  const tid = (c: Context<GraphEnv>): string => c.get("caller").tenantId;
  const USERS = { entitySet: "users", defaults: USER_DEFAULT_PROPERTIES } as const;

  // ----- users ---------------------------------------------------------------------------------
  api.get("/users", (c) => requirePermission(c, USERS_READ) ?? collection(c, ctx.world.usersIn(tid(c)).map(user), USERS));

  api.get("/users/:id", (c) => {
    const denied = requirePermission(c, USERS_READ);
    if (denied) return denied;
    const id = c.req.param("id").toLowerCase();
    const u = ctx.world.usersIn(tid(c)).find((x) => x.objectId === id || x.userPrincipalName === id);
    return u ? entity(c, user(u), USERS) : notFound(c, c.req.param("id"));
  });

  api.get("/me", (c) => {
    const caller = c.get("caller");
    if (caller.appOnly) return fail(c, 400, "BadRequest", "/me request is only valid with delegated authentication flow.");
    const denied = requirePermission(c, ME_READ);
    if (denied) return denied;
    const u = ctx.world.userById(caller.claims.oid);
    return u ? entity(c, user(u), USERS) : notFound(c, caller.claims.oid);
  });

  // ----- organization, domains --------------------------------------------------------------------
  api.get("/organization", (c) => {
    const denied = requirePermission(c, ORGANIZATION_READ);
    if (denied) return denied;
    const t = ctx.world.tenants.get(tid(c));
    return collection(c, t ? [organization(t, ctx.world)] : [], { entitySet: "organization" });
  });
  api.get("/organization/:id", (c) => {
    const denied = requirePermission(c, ORGANIZATION_READ);
    if (denied) return denied;
    const t = ctx.world.tenants.get(tid(c));
    if (!t || c.req.param("id").toLowerCase() !== t.tenantId) return notFound(c, c.req.param("id"));
    return entity(c, organization(t, ctx.world), { entitySet: "organization" });
  });
  api.get("/domains", (c) => {
    const denied = requirePermission(c, ORGANIZATION_READ);
    if (denied) return denied;
    const t = ctx.world.tenants.get(tid(c));
    return collection(c, t ? [domain(t)] : [], { entitySet: "domains" });
  });

  // ----- groups ------------------------------------------------------------------------------------
  const groupsIn = (c: Context<GraphEnv>): GraphGroup[] => [...graphState(ctx.world).groups.values()].filter((g) => g.tenantId === tid(c));
  const groupOr = (c: Context<GraphEnv>): GraphGroup | Response => {
    const g = graphState(ctx.world).groups.get(c.req.param("id")?.toLowerCase() ?? "");
    return g && g.tenantId === tid(c) ? g : notFound(c, c.req.param("id") ?? "");
  };
  /** A user or service principal of the caller's tenant, rendered as a directory object. */
  const directoryObject = (c: Context<GraphEnv>, id: string): Json | undefined => {
    const u = ctx.world.userById(id);
    if (u && u.tenantId === tid(c)) return user(u);
    const sp = ctx.world.servicePrincipalsByObjectId.get(id.toLowerCase());
    if (sp && sp.tenantId === tid(c)) return servicePrincipal(ctx.world, sp);
    return undefined;
  };

  api.get("/groups", (c) => requirePermission(c, GROUPS_READ) ?? collection(c, groupsIn(c).map(group), { entitySet: "groups" }));
  api.get("/groups/:id", (c) => {
    const denied = requirePermission(c, GROUPS_READ);
    if (denied) return denied;
    const g = groupOr(c);
    return g instanceof Response ? g : entity(c, group(g), { entitySet: "groups" });
  });
  api.get("/groups/:id/members", (c) => {
    const denied = requirePermission(c, GROUPS_READ);
    if (denied) return denied;
    const g = groupOr(c);
    if (g instanceof Response) return g;
    const members = [...g.members].map((id) => directoryObject(c, id)).filter((o): o is Json => o !== undefined);
    return collection(c, members, { entitySet: "directoryObjects", polymorphic: true });
  });
  api.post("/groups/:id/members/$ref", async (c) => {
    const denied = requirePermission(c, GROUP_MEMBERS_WRITE);
    if (denied) return denied;
    const g = groupOr(c);
    if (g instanceof Response) return g;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const ref = typeof body["@odata.id"] === "string" ? body["@odata.id"] : "";
    const id = /\/directoryObjects\/([0-9a-fA-F-]{36})\/?$/.exec(ref)?.[1]?.toLowerCase();
    if (id === undefined) return fail(c, 400, "Request_BadRequest", "Invalid object identifier in '@odata.id'.");
    if (!directoryObject(c, id)) return notFound(c, id);
    if (g.members.has(id)) {
      return fail(c, 400, "Request_BadRequest", "One or more added object references already exist for the following modified properties: 'members'.");
    }
    g.members.add(id);
    return c.body(null, 204);
  });
  api.delete("/groups/:id/members/:memberId/$ref", (c) => {
    const denied = requirePermission(c, GROUP_MEMBERS_WRITE);
    if (denied) return denied;
    const g = groupOr(c);
    if (g instanceof Response) return g;
    const id = c.req.param("memberId").toLowerCase();
    if (!g.members.delete(id)) return notFound(c, id);
    return c.body(null, 204);
  });

  // ----- service principals ------------------------------------------------------------------------
  const SPS = { entitySet: "servicePrincipals" } as const;
  const spOr = (c: Context<GraphEnv>): ServicePrincipal | Response => servicePrincipalOf(ctx, c);

  api.get("/servicePrincipals", (c) => {
    const denied = requirePermission(c, APPLICATIONS_READ);
    if (denied) return denied;
    // Materialize first-party principals named by an appId filter (they exist in every tenant).
    const m = /appId eq '([0-9a-fA-F-]{36})'/.exec(c.req.query("$filter") ?? "");
    if (m?.[1]) ctx.world.servicePrincipal(tid(c), m[1]);
    return collection(c, ctx.world.servicePrincipalsIn(tid(c)).map((sp) => servicePrincipal(ctx.world, sp)), SPS);
  });
  for (const path of SERVICE_PRINCIPAL_PATHS) {
    api.get(path, (c) => {
      const denied = requirePermission(c, APPLICATIONS_READ);
      if (denied) return denied;
      const sp = spOr(c);
      return sp instanceof Response ? sp : entity(c, servicePrincipal(ctx.world, sp), SPS);
    });
    api.delete(path, (c) => {
      const denied = requirePermission(c, APPLICATIONS_WRITE);
      if (denied) return denied;
      const sp = spOr(c);
      if (sp instanceof Response) return sp;
      ctx.world.removeServicePrincipal(sp.tenantId, sp.appId);
      return c.body(null, 204);
    });
  }
  api.post("/servicePrincipals", async (c) => {
    const denied = requirePermission(c, APPLICATIONS_WRITE);
    if (denied) return denied;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const appId = typeof body["appId"] === "string" ? body["appId"].toLowerCase() : "";
    const app = ctx.world.application(appId);
    if (!app) {
      return fail(c, 400, "Request_BadRequest", `The appId '${appId}' of the service principal does not reference a valid application object.`);
    }
    if (app.homeTenantId !== tid(c) && app.signInAudience === "AzureADMyOrg" && !app.firstParty) {
      return fail(c, 400, "Request_BadRequest", `The application '${appId}' is not multi-tenant and cannot be added to another tenant.`);
    }
    const existing = ctx.world.isConsented(tid(c), appId) ? ctx.world.servicePrincipal(tid(c), appId) : undefined;
    if (existing) {
      return fail(
        c,
        409,
        "Request_MultipleObjectsWithSameKeyValue",
        `The service principal cannot be created, updated, or restored because the service principal name ${appId} is already in use.`,
      );
    }
    const sp = ctx.world.addServicePrincipal(tid(c), appId);
    return entity(c, servicePrincipal(ctx.world, sp), SPS, 201);
  });

  // ----- oauth2PermissionGrants ---------------------------------------------------------------------
  type WorldGrant = ReturnType<typeof ctx.world.grantsIn>[number];
  /**
   * A grant's id in Graph's format for `AllPrincipals` grants: base64url of the client's and the
   * resource's service principal object id bytes (43 characters).
   */
  const grantId = (clientSpId: string, resourceSpId: string): string =>
    Buffer.from(`${clientSpId}${resourceSpId}`.replace(/-/g, ""), "hex").toString("base64url");
  const grantJson = (g: WorldGrant): Json | undefined => {
    const client = ctx.world.servicePrincipal(g.tenantId, g.clientAppId);
    const resource = ctx.world.servicePrincipal(g.tenantId, g.resourceAppId);
    if (!client || !resource || g.scopes.length === 0) return undefined;
    return { id: grantId(client.objectId, resource.objectId), clientId: client.objectId, consentType: "AllPrincipals", principalId: null, resourceId: resource.objectId, scope: g.scopes.join(" ") };
  };
  /** The delegated grant `:id` in the caller's tenant (one with at least one scope). */
  const grantOr = (c: Context<GraphEnv>): { grant: WorldGrant; json: Json } | Response => {
    const id = c.req.param("id") ?? "";
    for (const g of ctx.world.grantsIn(tid(c))) {
      const json = grantJson(g);
      if (json !== undefined && json["id"] === id) return { grant: g, json };
    }
    return notFound(c, id);
  };
  api.get("/oauth2PermissionGrants", (c) => {
    const denied = requirePermission(c, APPLICATIONS_READ);
    if (denied) return denied;
    const list = ctx.world.grantsIn(tid(c)).map(grantJson).filter((g): g is Json => g !== undefined);
    return collection(c, list, { entitySet: "oauth2PermissionGrants" });
  });
  api.post("/oauth2PermissionGrants", async (c) => {
    const denied = requirePermission(c, GRANTS_WRITE);
    if (denied) return denied;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const client = ctx.world.servicePrincipalsByObjectId.get(str(body["clientId"]).toLowerCase());
    const resource = ctx.world.servicePrincipalsByObjectId.get(str(body["resourceId"]).toLowerCase());
    if (!client || client.tenantId !== tid(c)) return notFound(c, str(body["clientId"]));
    if (!resource || resource.tenantId !== tid(c)) return notFound(c, str(body["resourceId"]));
    if (body["consentType"] !== "AllPrincipals") return fail(c, 400, "Request_BadRequest", "Only consentType 'AllPrincipals' is supported by the emulator.");
    const scopes = str(body["scope"]).split(" ").filter((s) => s !== "");
    const existing = ctx.world.grant(tid(c), client.appId, resource.appId);
    if (existing && existing.scopes.length > 0) {
      return fail(c, 409, "Request_MultipleObjectsWithSameKeyValue", "Permission entry already exists.");
    }
    const g = ctx.world.addGrant(tid(c), client.appId, resource.appId, scopes);
    return c.json({ "@odata.context": `${new URL(c.req.url).origin}/v1.0/$metadata#oauth2PermissionGrants/$entity`, ...grantJson(g) }, 201);
  });
  api.get("/oauth2PermissionGrants/:id", (c) => {
    const denied = requirePermission(c, APPLICATIONS_READ);
    if (denied) return denied;
    const found = grantOr(c);
    return found instanceof Response ? found : entity(c, found.json, { entitySet: "oauth2PermissionGrants" });
  });
  // Update: only `scope` changes (the new space-separated list replaces the old one); 204 No Content.
  api.patch("/oauth2PermissionGrants/:id", async (c) => {
    const denied = requirePermission(c, GRANTS_WRITE);
    if (denied) return denied;
    const found = grantOr(c);
    if (found instanceof Response) return found;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    for (const k of ["clientId", "resourceId", "consentType", "principalId"]) {
      if (k in body && body[k] !== found.json[k]) return fail(c, 400, "Request_BadRequest", `Property '${k}' is read-only and cannot be updated.`);
    }
    if ("scope" in body) {
      if (typeof body["scope"] !== "string") return fail(c, 400, "Request_BadRequest", "Invalid value specified for property 'scope' of resource 'OAuth2PermissionGrant'.");
      const scopes = body["scope"].split(" ").filter((s) => s !== "");
      const offered = new Set((ctx.world.application(found.grant.resourceAppId)?.oauth2PermissionScopes ?? []).map((s) => s.value.toLowerCase()));
      const unknown = offered.size > 0 ? scopes.filter((s) => !offered.has(s.toLowerCase())) : [];
      if (unknown.length > 0) return fail(c, 400, "Request_BadRequest", `Invalid value specified for property 'scope' of resource 'OAuth2PermissionGrant': ${unknown.join(" ")}.`);
      found.grant.scopes = [...new Set(scopes)];
    }
    return c.body(null, 204);
  });
  api.delete("/oauth2PermissionGrants/:id", (c) => {
    const denied = requirePermission(c, GRANTS_WRITE);
    if (denied) return denied;
    const found = grantOr(c);
    if (found instanceof Response) return found;
    found.grant.scopes = [];
    return c.body(null, 204);
  });
}
