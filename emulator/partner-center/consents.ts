/**
 * `customers/{id}/applicationconsents`: the CPV consent of a partner app in a customer tenant.
 * POST creates the app's service principal and the requested grants in the customer tenant (the
 * world state identity reads at token redemption), which moves a customer from CONTRACTS §9 row 2
 * ("GDAP, no app consent") to row 1. DELETE removes both.
 * @see https://learn.microsoft.com/partner-center/developer/control-panel-vendor-apis (consent API)
 * @see shared/facts/partner-center.md §4
 */
import type { World } from "../world.js";
import { apiFault, PC_CODES } from "./errors.js";
import { applicationConsent } from "./shapes.js";

/** A grant as the request body names it (camelCase per the docs, PascalCase as CIPP sends it). */
interface GrantInput {
  resourceAppId: string;
  permissions: string[];
}

/** A parsed consent request. */
export interface ConsentInput {
  applicationId: string;
  displayName: string | undefined;
  grants: GrantInput[];
}

const pick = (o: Record<string, unknown>, name: string): unknown =>
  o[name] ?? o[name.charAt(0).toUpperCase() + name.slice(1)];

/** Parses a consent body; a string is the `ApiFault` description for a 400. */
export function parseConsent(body: unknown): ConsentInput | string {
  if (typeof body !== "object" || body === null) return "The request body must be a JSON ApplicationConsent.";
  const o = body as Record<string, unknown>;
  const applicationId = pick(o, "applicationId");
  if (typeof applicationId !== "string" || applicationId === "") return "applicationId is required.";
  const displayName = pick(o, "displayName");
  const rawGrants = pick(o, "applicationGrants");
  if (!Array.isArray(rawGrants) || rawGrants.length === 0) return "applicationGrants must list at least one grant.";
  const grants: GrantInput[] = [];
  for (const g of rawGrants as unknown[]) {
    if (typeof g !== "object" || g === null) return "Each application grant must be an object.";
    const resourceAppId = pick(g as Record<string, unknown>, "enterpriseApplicationId");
    const scope = pick(g as Record<string, unknown>, "scope");
    if (typeof resourceAppId !== "string" || typeof scope !== "string") {
      return "Each application grant needs enterpriseApplicationId and scope.";
    }
    const permissions = scope.split(",").map((s) => s.trim()).filter((s) => s !== "");
    if (permissions.length === 0) return `The grant for ${resourceAppId} names no permission.`;
    grants.push({ resourceAppId: resourceAppId.toLowerCase(), permissions });
  }
  return { applicationId: applicationId.toLowerCase(), displayName: typeof displayName === "string" ? displayName : undefined, grants };
}

/** The consents present in a customer tenant: partner apps with a service principal and grants there. */
export function listConsents(world: World, tenantId: string): Record<string, unknown>[] {
  const byClient = new Map<string, ReturnType<World["grantsIn"]>>();
  for (const g of world.grantsIn(tenantId)) {
    const app = world.application(g.clientAppId);
    if (!app || app.firstParty || !world.isConsented(tenantId, g.clientAppId)) continue;
    const list = byClient.get(g.clientAppId) ?? [];
    list.push(g);
    byClient.set(g.clientAppId, list);
  }
  return [...byClient.entries()].map(([appId, grants]) => applicationConsent(appId, world.application(appId)?.displayName ?? appId, grants));
}

/**
 * Applies a consent in `tenantId`. Returns the created ApplicationConsent, or the ApiFault
 * response: 400 (code 3000) for an unknown/single-tenant app, an unknown resource or permission;
 * 409 "Permission entry already exists." when every requested permission is already granted.
 */
export function createConsent(world: World, tenantId: string, input: ConsentInput): Record<string, unknown> | Response {
  const app = world.application(input.applicationId);
  if (!app || app.firstParty) {
    return apiFault(400, PC_CODES.invalidInput, `The application ${input.applicationId} was not found.`);
  }
  if (app.signInAudience !== "AzureADMultipleOrgs") {
    return apiFault(400, PC_CODES.invalidInput, `The application ${input.applicationId} is not multi-tenant (signInAudience ${app.signInAudience}).`);
  }
  const plan: { resourceAppId: string; scopes: string[]; roles: string[] }[] = [];
  for (const g of input.grants) {
    const resource = world.resourceApp(g.resourceAppId);
    if (!resource) return apiFault(400, PC_CODES.invalidInput, `The enterprise application ${g.resourceAppId} was not found.`);
    const scopes: string[] = [];
    const roles: string[] = [];
    for (const p of g.permissions) {
      const scope = resource.oauth2PermissionScopes.find((s) => s.value.toLowerCase() === p.toLowerCase());
      const role = resource.appRoles.find((r) => r.value.toLowerCase() === p.toLowerCase());
      if (scope) scopes.push(scope.value);
      else if (role) roles.push(role.value);
      else return apiFault(400, PC_CODES.invalidInput, `Permission ${p} is not valid for the enterprise application ${resource.appId}.`);
    }
    plan.push({ resourceAppId: resource.appId, scopes, roles });
  }
  const already =
    world.isConsented(tenantId, app.appId) &&
    plan.every((p) => {
      const existing = world.grant(tenantId, app.appId, p.resourceAppId);
      return existing !== undefined && p.scopes.every((s) => existing.scopes.includes(s)) && p.roles.every((r) => existing.roles.includes(r));
    });
  if (already) return apiFault(409, PC_CODES.alreadyExists, "Permission entry already exists.");
  world.addServicePrincipal(tenantId, app.appId);
  for (const p of plan) world.addGrant(tenantId, app.appId, p.resourceAppId, p.scopes, p.roles);
  const grants = plan.map((p) => world.grant(tenantId, app.appId, p.resourceAppId)).filter((g) => g !== undefined);
  return applicationConsent(app.appId, input.displayName ?? app.displayName, grants);
}

/** Removes the app's service principal and grants from `tenantId`; false when it had none. */
export function deleteConsent(world: World, tenantId: string, applicationId: string): boolean {
  const app = world.application(applicationId);
  if (!app || app.firstParty || !world.isConsented(tenantId, app.appId)) return false;
  world.removeServicePrincipal(tenantId, app.appId);
  return true;
}
