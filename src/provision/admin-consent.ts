/**
 * Tenant-wide admin consent for the SAM app in the partner tenant, as the Entra admin center's
 * "Grant admin consent" button and `az ad app permission admin-consent` do: one
 * `oauth2PermissionGrant` with `consentType: "AllPrincipals"` per resource, holding the delegated
 * (`Scope`) permissions of the app's `requiredResourceAccess`. Idempotent: a grant that already
 * holds every scope is left alone; missing scopes are added with PATCH.
 *
 * Application permissions (`Role` entries) are granted as the admin center's button does too: one
 * app role assignment per role (`POST /servicePrincipals/{resource}/appRoleAssignedTo`), only for
 * roles the app's service principal does not hold yet (read with
 * `GET /servicePrincipals/{client}/appRoleAssignments`).
 *
 * @see https://learn.microsoft.com/graph/api/oauth2permissiongrant-post
 * @see https://learn.microsoft.com/graph/api/oauth2permissiongrant-update
 * @see https://learn.microsoft.com/graph/api/serviceprincipal-post-approleassignedto
 * @see https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignments
 * @see https://learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent
 */
import type { CloudDefinition } from "../cloud/types.js";
import {
  createServicePrincipal,
  findApplicationByAppId,
  findServicePrincipal,
  type GraphClient,
  type GraphServicePrincipal,
  type RequiredResourceAccess,
} from "../graph/index.js";

/** An `oauth2PermissionGrant` as Graph lists it. */
interface PermissionGrant {
  readonly id: string;
  readonly clientId: string;
  readonly consentType: string;
  readonly resourceId: string;
  readonly scope?: string | null;
}

/** An `appRoleAssignment` as Graph lists it. */
interface RoleAssignment {
  readonly id: string;
  readonly appRoleId: string;
  readonly resourceId: string;
  readonly principalId: string;
}

/** What admin consent will do (or did) for the application permissions (app roles) on one resource. */
export interface AppRoleItem {
  readonly resourceAppId: string;
  /** App role values wanted, e.g. `["Directory.Read.All"]` (role ids while the resource has no service principal yet). */
  readonly roles: readonly string[];
  /** Of {@link roles}, the ones not assigned yet (empty ⇒ no change). */
  readonly missing: readonly string[];
}

/** What admin consent will do (or did) for one resource's delegated permissions. */
export interface AdminConsentItem {
  readonly resourceAppId: string;
  /** Delegated permission values wanted, e.g. `["Directory.Read.All", "User.Read"]`. */
  readonly scopes: readonly string[];
  /** Of {@link scopes}, the ones not granted yet (empty ⇒ no change). */
  readonly missing: readonly string[];
  /** `create` a grant, `update` (PATCH) an existing one, or `none`. */
  readonly action: "create" | "update" | "none";
}

/** Result of {@link planAdminConsent} / {@link grantAdminConsent}. */
export interface AdminConsentPlan {
  readonly clientAppId: string;
  /** Delegated permissions (`oauth2PermissionGrant`s), one item per resource with `Scope` entries. */
  readonly items: readonly AdminConsentItem[];
  /** Application permissions (app role assignments), one item per resource with `Role` entries. */
  readonly roleItems: readonly AppRoleItem[];
}

/** True when {@link grantAdminConsent} has nothing to do. */
export function adminConsentComplete(plan: AdminConsentPlan): boolean {
  return plan.items.every((i) => i.action === "none") && plan.roleItems.every((i) => i.missing.length === 0);
}

/** Options of {@link planAdminConsent} / {@link grantAdminConsent}. */
export interface AdminConsentOptions {
  /** Graph client signed in as an admin of the partner tenant (Global Administrator, or Privileged Role / Cloud Application Administrator). */
  readonly graph: GraphClient;
  /** Client ID of the SAM app. */
  readonly clientAppId: string;
  /** The app's `requiredResourceAccess`; default: read from the app registration. */
  readonly requiredResourceAccess?: readonly RequiredResourceAccess[];
}

function odata(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function scopeList(s: string | null | undefined): string[] {
  return (s ?? "").split(" ").filter((x) => x !== "");
}

async function existingGrants(graph: GraphClient, clientSpId: string): Promise<PermissionGrant[]> {
  const all = await graph.list<PermissionGrant>(`/oauth2PermissionGrants?$filter=${encodeURIComponent(`clientId eq ${odata(clientSpId)}`)}`, "reading the app's admin consent");
  return all.filter((g) => g.clientId.toLowerCase() === clientSpId.toLowerCase() && g.consentType === "AllPrincipals");
}

async function existingAssignments(graph: GraphClient, clientSpId: string): Promise<RoleAssignment[]> {
  return graph.list<RoleAssignment>(`/servicePrincipals/${encodeURIComponent(clientSpId)}/appRoleAssignments`, "reading the app's application permissions");
}

interface Resolved {
  readonly plan: AdminConsentPlan;
  readonly clientSp: GraphServicePrincipal | undefined;
  readonly work: readonly { readonly item: AdminConsentItem; readonly resourceSp: GraphServicePrincipal | undefined; readonly grant: PermissionGrant | undefined }[];
  /** App roles to assign: role ids not yet assigned on each resource. */
  readonly roleWork: readonly { readonly item: AppRoleItem; readonly resourceSp: GraphServicePrincipal | undefined; readonly missingIds: readonly string[] }[];
}

async function resolve(o: AdminConsentOptions): Promise<Resolved> {
  const access = o.requiredResourceAccess ?? (await findApplicationByAppId(o.graph, o.clientAppId))?.requiredResourceAccess ?? [];
  const clientSp = await findServicePrincipal(o.graph, o.clientAppId);
  const grants = clientSp !== undefined ? await existingGrants(o.graph, clientSp.id) : [];
  const assignments = clientSp !== undefined && access.some((r) => r.resourceAccess.some((a) => a.type === "Role")) ? await existingAssignments(o.graph, clientSp.id) : [];
  const work: Resolved["work"][number][] = [];
  const roleWork: Resolved["roleWork"][number][] = [];
  for (const rra of access) {
    const wantedRoles = rra.resourceAccess.filter((a) => a.type === "Role");
    const wanted = rra.resourceAccess.filter((a) => a.type === "Scope");
    if (wanted.length === 0 && wantedRoles.length === 0) continue;
    const resourceSp = await findServicePrincipal(o.graph, rra.resourceAppId);
    if (wantedRoles.length > 0) {
      // Without the resource's service principal the role names are unknown: it is created on apply.
      const known = wantedRoles
        .map((a) => ({ id: a.id.toLowerCase(), value: resourceSp === undefined ? a.id : resourceSp.appRoles?.find((r) => r.id.toLowerCase() === a.id.toLowerCase())?.value }))
        .filter((r): r is { id: string; value: string } => r.value !== undefined);
      const held = new Set(
        assignments.filter((x) => resourceSp !== undefined && x.resourceId.toLowerCase() === resourceSp.id.toLowerCase()).map((x) => x.appRoleId.toLowerCase()),
      );
      const missing = known.filter((r) => !held.has(r.id));
      if (known.length > 0) {
        roleWork.push({ item: { resourceAppId: rra.resourceAppId, roles: known.map((r) => r.value), missing: missing.map((r) => r.value) }, resourceSp, missingIds: missing.map((r) => r.id) });
      }
    }
    if (wanted.length === 0) continue;
    // Without the resource's service principal the names are unknown: it is created on apply.
    const scopes = wanted
      .map((a) => resourceSp?.oauth2PermissionScopes?.find((s) => s.id.toLowerCase() === a.id.toLowerCase())?.value ?? (resourceSp === undefined ? a.id : undefined))
      .filter((v): v is string => v !== undefined);
    if (scopes.length === 0) continue;
    const grant = resourceSp !== undefined ? grants.find((g) => g.resourceId.toLowerCase() === resourceSp.id.toLowerCase()) : undefined;
    const have = new Set(scopeList(grant?.scope).map((s) => s.toLowerCase()));
    const missing = scopes.filter((s) => !have.has(s.toLowerCase()));
    const action = grant === undefined ? "create" : missing.length > 0 ? "update" : "none";
    work.push({ item: { resourceAppId: rra.resourceAppId, scopes, missing, action }, resourceSp, grant });
  }
  return { plan: { clientAppId: o.clientAppId, items: work.map((w) => w.item), roleItems: roleWork.map((w) => w.item) }, clientSp, work, roleWork };
}

/**
 * Reads what admin consent exists for the app in the signed-in tenant and what is missing. Makes
 * no changes.
 * @throws SamkitError `SAMKIT_APP_GRAPH_FAILED`, `SAMKIT_HTTP_*`
 */
export async function planAdminConsent(o: AdminConsentOptions): Promise<AdminConsentPlan> {
  return (await resolve(o)).plan;
}

/**
 * Grants tenant-wide admin consent for the app's permissions in the signed-in tenant: delegated
 * ones as one `AllPrincipals` `oauth2PermissionGrant` per resource (missing scopes are added to an
 * existing grant with PATCH), application ones as one app role assignment per missing role
 * (`POST /servicePrincipals/{resource}/appRoleAssignedTo`; one that appeared meanwhile — Graph's
 * 400 "Permission being assigned already exists on the object" — counts as done). Creates missing
 * service principals; leaves what is complete alone.
 * @returns what was planned and done (`action: "none"` items and role items with nothing
 *   `missing` were already in place)
 * @throws SamkitError `SAMKIT_APP_GRAPH_FAILED` (e.g. 403 when the admin lacks the role), `SAMKIT_HTTP_*`
 */
export async function grantAdminConsent(o: AdminConsentOptions): Promise<AdminConsentPlan> {
  const first = await resolve(o);
  if (adminConsentComplete(first.plan)) return first.plan;
  // Create what the grants need first, then re-read so scope and role names and grants are exact.
  if (first.clientSp === undefined) await createServicePrincipal(o.graph, o.clientAppId).catch(ignoreExists);
  const missingResources = new Set([...first.work, ...first.roleWork].filter((w) => w.resourceSp === undefined).map((w) => w.item.resourceAppId.toLowerCase()));
  for (const resourceAppId of missingResources) await createServicePrincipal(o.graph, resourceAppId).catch(ignoreExists);
  const r = first.clientSp !== undefined && missingResources.size === 0 ? first : await resolve(o);
  const clientSp = r.clientSp ?? (await findServicePrincipal(o.graph, o.clientAppId));
  if (clientSp === undefined) throw new Error(`no service principal for app ${o.clientAppId}`);
  for (const w of r.work) {
    if (w.item.action === "none" || w.resourceSp === undefined) continue;
    if (w.grant === undefined) {
      await o.graph.call({
        method: "POST",
        path: "/oauth2PermissionGrants",
        body: { clientId: clientSp.id, consentType: "AllPrincipals", resourceId: w.resourceSp.id, scope: w.item.scopes.join(" ") },
        operation: "granting admin consent",
      });
    } else {
      const scope = [...scopeList(w.grant.scope), ...w.item.missing].join(" ");
      await o.graph.call({ method: "PATCH", path: `/oauth2PermissionGrants/${encodeURIComponent(w.grant.id)}`, body: { scope }, operation: "adding scopes to the admin consent" });
    }
  }
  for (const w of r.roleWork) {
    if (w.resourceSp === undefined) continue;
    for (const appRoleId of w.missingIds) {
      await o.graph
        .call({
          method: "POST",
          path: `/servicePrincipals/${encodeURIComponent(w.resourceSp.id)}/appRoleAssignedTo`,
          body: { principalId: clientSp.id, resourceId: w.resourceSp.id, appRoleId },
          operation: "granting an application permission (app role assignment)",
        })
        .catch(ignoreExists);
    }
  }
  return r.plan;
}

function ignoreExists(err: unknown): void {
  const e = err as { status?: number; serviceMessage?: string };
  if (e.status === 409 || /already (exist|in use)/i.test(e.serviceMessage ?? "")) return;
  throw err;
}

/**
 * The admin-consent URL a Global Administrator can open to consent the app for the whole tenant.
 * @see https://learn.microsoft.com/entra/identity-platform/v2-admin-consent
 */
export function adminConsentUrl(cloud: CloudDefinition, tenant: string, clientId: string): string {
  return `${cloud.authorityHost.replace(/\/+$/, "")}/${encodeURIComponent(tenant)}/adminconsent?client_id=${encodeURIComponent(clientId)}`;
}
