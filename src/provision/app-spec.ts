/**
 * What the SAM app registration must look like (CONTRACTS §4; facts/clouds.md §2 for the seed's
 * permission GUIDs; facts/partner-center.md §5 for the Graph body).
 */
import { SamkitError } from "../errors/index.js";
import type { RequiredResourceAccess } from "../graph/applications.js";

/** Well-known first-party application IDs (facts/clouds.md §2). */
export const APP_IDS = {
  partnerCenter: "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd",
  microsoftGraph: "00000003-0000-0000-c000-000000000000",
  aadGraph: "00000002-0000-0000-c000-000000000000",
  azureServiceManagement: "797f4846-ba00-4fd7-ba43-dac1f8f63013",
  exchangeOnline: "00000002-0000-0ff1-ce00-000000000000",
  /** Microsoft Azure CLI: the public client samkit signs the admin in with for `app create`. */
  azureCli: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
} as const;

/** `--permission` resource aliases. */
export const PERMISSION_RESOURCES: Readonly<Record<string, string>> = {
  "partner-center": APP_IDS.partnerCenter,
  graph: APP_IDS.microsoftGraph,
  "aad-graph": APP_IDS.aadGraph,
  arm: APP_IDS.azureServiceManagement,
  exchange: APP_IDS.exchangeOnline,
};

/** The default required access (CONTRACTS §4). */
export const DEFAULT_REQUIRED_ACCESS: readonly RequiredResourceAccess[] = [
  { resourceAppId: APP_IDS.partnerCenter, resourceAccess: [{ id: "1cebfa2a-fb4d-419e-b5f9-839b4383e05a", type: "Scope" }] },
  {
    resourceAppId: APP_IDS.microsoftGraph,
    resourceAccess: [
      { id: "06da0dbc-49e2-44d2-8312-53f166ab848a", type: "Scope" }, // Directory.Read.All (delegated)
      { id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", type: "Scope" }, // User.Read
      { id: "7ab1d382-f21e-4acd-a863-ba3e13f7da61", type: "Role" }, // Directory.Read.All (application, seed)
      { id: "bf394140-e372-4bf9-a898-299cfc7564e5", type: "Role" }, // SecurityEvents.Read.All (application, seed)
    ],
  },
];

/** The seed's Azure AD Graph entries, only with `--legacy-aad-graph` (retired by Microsoft). */
export const LEGACY_AAD_GRAPH_ACCESS: RequiredResourceAccess = {
  resourceAppId: APP_IDS.aadGraph,
  resourceAccess: [
    { id: "5778995a-e1bf-45b8-affa-663a9f3f4d04", type: "Role" }, // Directory.Read.All
    { id: "a42657d6-7f20-40e3-b6f0-cee03008a62a", type: "Scope" }, // Directory.AccessAsUser.All
    { id: "311a71cc-e848-46a1-bdf8-97ff7156d8e6", type: "Scope" }, // User.Read
  ],
};

/** Loopback redirect for `samkit consent` (any port matches, identity-platform.md §10). */
export const LOOPBACK_REDIRECT_URI = "http://localhost";
/** Deprecated out-of-band URN (only with `--legacy-oob`; a public-client redirect). */
export const LEGACY_OOB_REDIRECT_URI = "urn:ietf:wg:oauth:2.0:oob";
/** Default display name. */
export const DEFAULT_APP_NAME = "samkit Secure Application Model";

/** One `--permission` as given: resource app ID, type, and a permission ID or name. */
export interface PermissionSpec {
  readonly resourceAppId: string;
  readonly type: "Scope" | "Role";
  /** GUID or a value like `User.Read.All` (resolved through the resource's service principal). */
  readonly permission: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a GUID. */
export function isGuid(s: string): boolean {
  return GUID.test(s);
}

/**
 * Parses `--permission RESOURCE:TYPE:PERMISSION`, e.g. `graph:Scope:User.Read.All`,
 * `graph:Role:df021288-bdef-4463-88db-98f22de89214`, `00000003-0000-0000-c000-000000000000:Role:User.Read.All`.
 * RESOURCE is an alias (partner-center, graph, aad-graph, arm, exchange) or the resource app ID;
 * TYPE is `Scope` (delegated, also `delegated`) or `Role` (application, also `application`).
 * @throws SamkitError `SAMKIT_USAGE`
 */
export function parsePermission(spec: string): PermissionSpec {
  const parts = spec.split(":");
  const usage = (detail: string) =>
    new SamkitError("SAMKIT_USAGE", { params: { detail: `--permission '${spec}': ${detail} Use RESOURCE:Scope|Role:PERMISSION, e.g. graph:Scope:User.Read.All.`, command: "app create" } });
  if (parts.length !== 3 || parts.some((p) => p.trim() === "")) throw usage("expected three parts.");
  const [resource, type, permission] = parts.map((p) => p.trim()) as [string, string, string];
  const resourceAppId = PERMISSION_RESOURCES[resource.toLowerCase()] ?? (isGuid(resource) ? resource.toLowerCase() : undefined);
  if (resourceAppId === undefined) throw usage(`unknown resource '${resource}'.`);
  const t = type.toLowerCase();
  const kind = t === "scope" || t === "delegated" ? "Scope" : t === "role" || t === "application" ? "Role" : undefined;
  if (kind === undefined) throw usage(`unknown type '${type}'.`);
  return { resourceAppId, type: kind, permission };
}

/** Merges required-access lists (union by resource app and permission id+type; order kept). */
export function mergeRequiredAccess(...lists: readonly (readonly RequiredResourceAccess[])[]): RequiredResourceAccess[] {
  const byApp = new Map<string, { id: string; type: "Scope" | "Role" }[]>();
  for (const list of lists) {
    for (const rra of list) {
      const key = rra.resourceAppId.toLowerCase();
      const acc = byApp.get(key) ?? [];
      for (const a of rra.resourceAccess) {
        if (!acc.some((x) => x.id.toLowerCase() === a.id.toLowerCase() && x.type === a.type)) acc.push({ id: a.id.toLowerCase(), type: a.type });
      }
      byApp.set(key, acc);
    }
  }
  return [...byApp.entries()].map(([resourceAppId, resourceAccess]) => ({ resourceAppId, resourceAccess }));
}

/** Entries of `desired` missing from `existing` (empty ⇒ nothing to add). */
export function missingAccess(existing: readonly RequiredResourceAccess[], desired: readonly RequiredResourceAccess[]): RequiredResourceAccess[] {
  const out: RequiredResourceAccess[] = [];
  for (const d of desired) {
    const e = existing.find((x) => x.resourceAppId.toLowerCase() === d.resourceAppId.toLowerCase());
    const missing = d.resourceAccess.filter((a) => !(e?.resourceAccess ?? []).some((x) => x.id.toLowerCase() === a.id.toLowerCase() && x.type === a.type));
    if (missing.length > 0) out.push({ resourceAppId: d.resourceAppId, resourceAccess: missing });
  }
  return out;
}
