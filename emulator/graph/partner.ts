/**
 * Partner-side Graph: GDAP (`tenantRelationships/delegatedAdminRelationships`, `…/{id}`,
 * `…/{id}/accessAssignments`, `tenantRelationships/delegatedAdminCustomers`), legacy DAP
 * `contracts`, and `tenantRelationships/findTenantInformationByTenantId(tenantId='…')`.
 * Relationships are the partner's: in the partner tenant all of them, in a customer tenant the
 * ones with that customer.
 * @see https://learn.microsoft.com/graph/api/tenantrelationship-list-delegatedadminrelationships
 * @see https://learn.microsoft.com/graph/api/tenantrelationship-list-delegatedadmincustomers
 * @see https://learn.microsoft.com/graph/api/contract-list
 * @see shared/facts/partner-center.md §6
 */
import type { Context, Hono } from "hono";
import type { EmulatorContext } from "../context.js";
import type { GdapRelationship } from "../world-types.js";
import { fail, requirePermission, type GraphEnv } from "./auth.js";
import { CONTRACTS_READ, GDAP_READ } from "./permissions.js";
import { accessAssignment, contract, delegatedAdminCustomer, delegatedAdminRelationship } from "./render.js";
import { collection, entity } from "./respond.js";
import { graphState } from "./state.js";

/** Registers the partner routes on the versioned Graph app. */
export function partnerRoutes(api: Hono<GraphEnv>, ctx: EmulatorContext): void {
  const RELS = { entitySet: "tenantRelationships/delegatedAdminRelationships" } as const;
  const visible = (c: Context<GraphEnv>): GdapRelationship[] => {
    const tid = c.get("caller").tenantId;
    if (tid === ctx.world.partnerTenantId) return [...ctx.world.gdapById.values()];
    return ctx.world.gdapFor(tid);
  };
  const relOr = (c: Context<GraphEnv>): GdapRelationship | Response => {
    const id = c.req.param("id") ?? "";
    const r = visible(c).find((x) => x.id === id);
    return r ?? fail(c, 404, "Request_ResourceNotFound", `The delegated admin relationship '${id}' was not found.`);
  };

  api.get("/tenantRelationships/delegatedAdminRelationships", (c) => {
    const denied = requirePermission(c, GDAP_READ);
    if (denied) return denied;
    const now = ctx.clock.nowSeconds();
    return collection(c, visible(c).map((r) => delegatedAdminRelationship(ctx.world, r, now)), RELS);
  });
  api.get("/tenantRelationships/delegatedAdminRelationships/:id", (c) => {
    const denied = requirePermission(c, GDAP_READ);
    if (denied) return denied;
    const r = relOr(c);
    return r instanceof Response ? r : entity(c, delegatedAdminRelationship(ctx.world, r, ctx.clock.nowSeconds()), RELS);
  });
  api.get("/tenantRelationships/delegatedAdminRelationships/:id/accessAssignments", (c) => {
    const denied = requirePermission(c, GDAP_READ);
    if (denied) return denied;
    const r = relOr(c);
    if (r instanceof Response) return r;
    const adminAgents = [...graphState(ctx.world).groups.values()].find((g) => g.displayName === "AdminAgents");
    return collection(c, adminAgents ? [accessAssignment(ctx.world, r, adminAgents.id)] : [], { entitySet: "delegatedAdminAccessAssignments" });
  });

  const customersWithGdap = (c: Context<GraphEnv>): ReturnType<typeof delegatedAdminCustomer>[] => {
    const now = ctx.clock.nowSeconds();
    const tids = new Set(visible(c).filter((r) => ctx.world.activeGdap(r.customerTenantId, now) !== undefined).map((r) => r.customerTenantId));
    return ctx.world.customerList.filter((cu) => tids.has(cu.tenantId)).map(delegatedAdminCustomer);
  };
  api.get("/tenantRelationships/delegatedAdminCustomers", (c) => {
    const denied = requirePermission(c, GDAP_READ);
    if (denied) return denied;
    return collection(c, customersWithGdap(c), { entitySet: "tenantRelationships/delegatedAdminCustomers" });
  });
  api.get("/tenantRelationships/delegatedAdminCustomers/:id", (c) => {
    const denied = requirePermission(c, GDAP_READ);
    if (denied) return denied;
    const hit = customersWithGdap(c).find((x) => x["id"] === c.req.param("id").toLowerCase());
    return hit ? entity(c, hit, { entitySet: "tenantRelationships/delegatedAdminCustomers" }) : fail(c, 404, "Request_ResourceNotFound", `The customer '${c.req.param("id")}' was not found.`);
  });

  api.get("/tenantRelationships/:fn{findTenantInformationByTenantId\\(tenantId='[^']*'\\)}", (c) => {
    const tenantId = /tenantId='([^']*)'/.exec(c.req.param("fn"))?.[1] ?? "";
    const t = ctx.world.resolveTenant(tenantId);
    if (!t) return fail(c, 404, "Request_ResourceNotFound", `Tenant '${tenantId}' not found.`);
    return c.json({
      "@odata.context": `${new URL(c.req.url).origin}/v1.0/$metadata#microsoft.graph.tenantInformation`,
      tenantId: t.tenantId,
      federationBrandName: null,
      displayName: t.displayName,
      defaultDomainName: t.domain,
    });
  });

  api.get("/contracts", (c) => {
    const denied = requirePermission(c, CONTRACTS_READ);
    if (denied) return denied;
    const list =
      c.get("caller").tenantId === ctx.world.partnerTenantId
        ? ctx.world.customerList.filter((cu) => cu.relationshipToPartner !== "none").map((cu) => contract(ctx.world, cu))
        : [];
    return collection(c, list, { entitySet: "contracts" });
  });
}
