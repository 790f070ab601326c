/**
 * App role assignments (application permissions) between service principals of one tenant:
 * `servicePrincipals/{resource}/appRoleAssignedTo` (GET, POST, DELETE `/{id}`) and
 * `servicePrincipals/{client}/appRoleAssignments` (GET, POST). They are stored as the `roles` of
 * the world's grants ({@link World.addGrant}), the same place the token endpoint reads when it
 * issues `roles` in an app-only token, so an assignment made here shows in the next
 * client-credentials token.
 *
 * Shapes and errors as Microsoft Graph answers them: an `appRoleAssignment` is `{id, appRoleId,
 * createdDateTime, deletedDateTime, principalDisplayName, principalId, principalType,
 * resourceDisplayName, resourceId}`; POST answers 201 with it; assigning an existing
 * (principal, resource, role) answers 400 `Request_BadRequest` "Permission being assigned already
 * exists on the object."; a role the resource does not define answers 400 `Request_BadRequest`.
 * Only service principals can be principals here (no users or groups).
 *
 * @see https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto
 * @see https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignedto
 * @see https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignments
 * @see https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignments
 * @see https://learn.microsoft.com/graph/api/serviceprincipal-delete-approleassignedto
 * @see https://learn.microsoft.com/graph/api/resources/approleassignment
 */
import { createHash } from "node:crypto";
import type { Context, Hono } from "hono";
import type { EmulatorContext } from "../context.js";
import type { World } from "../world.js";
import type { ServicePrincipal } from "../world-types.js";
import { fail, requirePermission, type GraphEnv } from "./auth.js";
import { APPLICATIONS_READ, GRANTS_WRITE } from "./permissions.js";
import { notFound, SERVICE_PRINCIPAL_PATHS, servicePrincipalOf } from "./directory.js";
import { collection, jsonBody } from "./respond.js";
import { graphState } from "./state.js";

type Json = Record<string, unknown>;

/** One assignment as the world holds it (a role value in a grant), with its resolved ids. */
interface Assignment {
  readonly principal: ServicePrincipal;
  readonly resource: ServicePrincipal;
  readonly roleId: string;
  readonly roleValue: string;
}

const str = (v: unknown): string => (typeof v === "string" ? v : "");

/**
 * A stable assignment id in Graph's format (43 base64url characters): the principal's object id
 * bytes followed by 16 bytes derived from the resource and the role.
 */
export function assignmentId(principalId: string, resourceId: string, roleId: string): string {
  const principal = Buffer.from(principalId.replace(/-/g, ""), "hex");
  const rest = createHash("sha256").update(`${resourceId.toLowerCase()}/${roleId.toLowerCase()}`).digest().subarray(0, 16);
  return Buffer.concat([principal, rest]).toString("base64url");
}

/** Every app role assignment to a service principal in `tenantId`. */
function assignmentsIn(world: World, tenantId: string): Assignment[] {
  const out: Assignment[] = [];
  for (const g of world.grantsIn(tenantId)) {
    if (g.roles.length === 0) continue;
    const principal = world.servicePrincipal(tenantId, g.clientAppId);
    const resource = world.servicePrincipal(tenantId, g.resourceAppId);
    if (!principal || !resource) continue;
    const defs = world.application(g.resourceAppId)?.appRoles ?? [];
    for (const value of g.roles) {
      const def = defs.find((d) => d.value === value);
      if (def) out.push({ principal, resource, roleId: def.id, roleValue: value });
    }
  }
  return out;
}

/** Registers the app role assignment routes on the versioned Graph app. */
export function appRoleRoutes(api: Hono<GraphEnv>, ctx: EmulatorContext): void {
  const tid = (c: Context<GraphEnv>): string => c.get("caller").tenantId;
  const assignedAtKey = (a: Pick<Assignment, "principal" | "resource" | "roleId">): string =>
    `${a.principal.tenantId}/${a.principal.appId}/${a.resource.appId}/${a.roleId}`;

  const render = (a: Assignment): Json => ({
    id: assignmentId(a.principal.objectId, a.resource.objectId, a.roleId),
    deletedDateTime: null,
    appRoleId: a.roleId,
    createdDateTime: graphState(ctx.world).roleAssignedAt.get(assignedAtKey(a)) ?? ctx.world.iso(-86_400),
    principalDisplayName: a.principal.displayName,
    principalId: a.principal.objectId,
    principalType: "ServicePrincipal",
    resourceDisplayName: a.resource.displayName,
    resourceId: a.resource.objectId,
  });

  /** The service principal named by `:id` or `servicePrincipals(appId='…')` in the caller's tenant. */
  const spOr = (c: Context<GraphEnv>): ServicePrincipal | Response => servicePrincipalOf(ctx, c);
  const on = (method: "get" | "post" | "delete", suffix: string, h: (c: Context<GraphEnv>, sp: ServicePrincipal) => Response | Promise<Response>): void => {
    for (const base of SERVICE_PRINCIPAL_PATHS) {
      api[method](`${base}${suffix}`, (c) => {
        const sp = spOr(c);
        return sp instanceof Response ? sp : h(c, sp);
      });
    }
  };
  const ENTITY_SET = (sp: ServicePrincipal, nav: string): string => `servicePrincipals('${sp.objectId}')/${nav}`;

  /** Validates and records one assignment; the response is Graph's 201 or its error. */
  const create = async (c: Context<GraphEnv>, pathSp: ServicePrincipal, pathIs: "resource" | "principal"): Promise<Response> => {
    const denied = requirePermission(c, GRANTS_WRITE);
    if (denied) return denied;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    for (const p of ["principalId", "resourceId", "appRoleId"]) {
      if (str(body[p]) === "") return fail(c, 400, "Request_BadRequest", `Property '${p}' is required.`);
    }
    const byId = (id: string): ServicePrincipal | undefined => {
      const sp = ctx.world.servicePrincipalsByObjectId.get(id.toLowerCase());
      return sp && sp.tenantId === tid(c) ? sp : undefined;
    };
    const principal = byId(str(body["principalId"]));
    const resource = byId(str(body["resourceId"]));
    if (!principal) return notFound(c, str(body["principalId"]));
    if (!resource) return notFound(c, str(body["resourceId"]));
    const expected = pathIs === "resource" ? resource : principal;
    if (expected.objectId !== pathSp.objectId) {
      return fail(c, 400, "Request_BadRequest", `The ${pathIs}Id in the request body does not match the service principal in the URL.`);
    }
    const roleId = str(body["appRoleId"]).toLowerCase();
    const role = ctx.world.application(resource.appId)?.appRoles.find((r) => r.id === roleId);
    if (!role) return fail(c, 400, "Request_BadRequest", `Permission being assigned was not found on application '${resource.appId}'.`);
    if (ctx.world.grant(tid(c), principal.appId, resource.appId)?.roles.includes(role.value) === true) {
      return fail(c, 400, "Request_BadRequest", "Permission being assigned already exists on the object.");
    }
    ctx.world.addGrant(tid(c), principal.appId, resource.appId, [], [role.value]);
    const a: Assignment = { principal, resource, roleId: role.id, roleValue: role.value };
    graphState(ctx.world).roleAssignedAt.set(assignedAtKey(a), ctx.clock.now().toISOString());
    const nav = pathIs === "resource" ? "appRoleAssignedTo" : "appRoleAssignments";
    const origin = new URL(c.req.url).origin;
    return c.json({ "@odata.context": `${origin}/v1.0/$metadata#${ENTITY_SET(pathSp, nav)}/$entity`, ...render(a) }, 201);
  };

  on("get", "/appRoleAssignedTo", (c, sp) => {
    const denied = requirePermission(c, APPLICATIONS_READ);
    if (denied) return denied;
    const list = assignmentsIn(ctx.world, tid(c)).filter((a) => a.resource.objectId === sp.objectId).map(render);
    return collection(c, list, { entitySet: ENTITY_SET(sp, "appRoleAssignedTo") });
  });
  on("get", "/appRoleAssignments", (c, sp) => {
    const denied = requirePermission(c, APPLICATIONS_READ);
    if (denied) return denied;
    const list = assignmentsIn(ctx.world, tid(c)).filter((a) => a.principal.objectId === sp.objectId).map(render);
    return collection(c, list, { entitySet: ENTITY_SET(sp, "appRoleAssignments") });
  });
  on("post", "/appRoleAssignedTo", (c, sp) => create(c, sp, "resource"));
  on("post", "/appRoleAssignments", (c, sp) => create(c, sp, "principal"));
  on("delete", "/appRoleAssignedTo/:assignmentId", (c, sp) => {
    const denied = requirePermission(c, GRANTS_WRITE);
    if (denied) return denied;
    const id = c.req.param("assignmentId") ?? "";
    const a = assignmentsIn(ctx.world, tid(c)).find((x) => x.resource.objectId === sp.objectId && assignmentId(x.principal.objectId, x.resource.objectId, x.roleId) === id);
    if (!a) return notFound(c, id);
    const g = ctx.world.grant(tid(c), a.principal.appId, a.resource.appId);
    if (g) g.roles = g.roles.filter((r) => r !== a.roleValue);
    graphState(ctx.world).roleAssignedAt.delete(assignedAtKey(a));
    return c.body(null, 204);
  });
}
