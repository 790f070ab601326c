/**
 * The default grants of `samkit customers consent`: the SAM app's own delegated Microsoft Graph
 * permissions, read from its `requiredResourceAccess` in the partner tenant, and named through
 * Graph's service principal (`oauth2PermissionScopes`). When Graph cannot be read, the documented
 * default is Graph `Directory.Read.All,User.Read` (CONTRACTS §4, docs/customers.md).
 *
 * @see https://learn.microsoft.com/graph/api/resources/requiredresourceaccess
 * @see https://learn.microsoft.com/graph/permissions-reference
 */
import { sendWithReauth } from "../broker/reauth.js";
import type { CloudDefinition } from "../cloud/types.js";
import { isSamkitError } from "../errors/index.js";
import type { HttpClient } from "../http/types.js";
import type { ApplicationGrant, GetAccessToken } from "./types.js";

/** Microsoft Graph's application ID (the `enterpriseApplicationId` of Graph grants). */
export const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

/** Delegated Graph permission IDs samkit knows by name without asking Graph (permissions reference). */
export const WELL_KNOWN_GRAPH_SCOPES: Readonly<Record<string, string>> = {
  "06da0dbc-49e2-44d2-8312-53f166ab848a": "Directory.Read.All",
  "e1fe6dd8-ba31-4d61-89e7-88639da4683d": "User.Read",
  "c5366453-9fb0-48a5-a156-24f0c49a4b84": "Directory.ReadWrite.All",
  "0e263e50-5827-48a4-b97c-d940288653c7": "Directory.AccessAsUser.All",
  "a154be20-db9c-4678-8ab7-66f6cc099a59": "User.Read.All",
  "204e0828-b5ca-4ad8-b9f3-f32a958e7cc4": "User.ReadWrite.All",
  "5f8c59db-677d-491f-a6b8-5f174b11ec1d": "Group.Read.All",
  "4e46008b-f24c-477d-8fff-7bb4ec7aafe0": "Group.ReadWrite.All",
  "41ce6ca6-6826-4807-84f1-1c82854f7ee5": "DelegatedPermissionGrant.ReadWrite.All",
  "84bccea3-f856-4a8a-967b-dbe0a3d53a64": "AppRoleAssignment.ReadWrite.All",
  "37f7f235-527c-4136-accd-4a02d197296e": "openid",
  "14dad69e-099b-42c9-810b-d002981feec1": "profile",
  "7427e0e9-2fba-42fe-b0c0-848c9e6a8182": "offline_access",
};

/** Used when Graph cannot be read: Graph `Directory.Read.All,User.Read` (CONTRACTS §4). */
export const DEFAULT_CONSENT_GRANTS: readonly ApplicationGrant[] = [{ enterpriseApplicationId: GRAPH_APP_ID, scope: "Directory.Read.All,User.Read" }];

/** Options for {@link appGraphGrants}. */
export interface AppGraphGrantsOptions {
  readonly http: HttpClient;
  readonly cloud: CloudDefinition;
  readonly getToken: GetAccessToken;
  /** The SAM app's client ID. */
  readonly applicationId: string;
  readonly abortSignal?: AbortSignal;
}

/** Grants plus where they came from (`graph`, or `default` with the reason Graph was not used). */
export interface AppGraphGrants {
  readonly grants: readonly ApplicationGrant[];
  readonly source: "graph" | "default";
  readonly reason?: string;
}

interface GraphList<T> {
  readonly value?: readonly T[];
}
interface AppObject {
  readonly requiredResourceAccess?: readonly { resourceAppId?: string; resourceAccess?: readonly { id?: string; type?: string }[] }[];
}
interface ResourceSp {
  readonly oauth2PermissionScopes?: readonly { id?: string; value?: string }[];
}

async function graphGet<T>(o: AppGraphGrantsOptions, pathAndQuery: string): Promise<T> {
  const url = `${o.cloud.resources.graph.endpoint.replace(/\/+$/, "")}${pathAndQuery}`;
  const tokenRequest = { resource: "graph", ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}) };
  const res = await sendWithReauth(o.getToken, tokenRequest, (token) =>
    o.http.request({
      method: "GET",
      url,
      headers: { Accept: "application/json", Authorization: `Bearer ${token}` },
      service: "graph",
      ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}),
    }),
  );
  if (res.status < 200 || res.status >= 300) throw new Error(`Graph answered ${res.status} for ${pathAndQuery.split("?")[0] ?? ""}`);
  return JSON.parse(res.text) as T;
}

/**
 * The app's delegated Graph permissions as one Graph grant, e.g.
 * `{enterpriseApplicationId: "00000003-…", scope: "Directory.Read.All,User.Read"}`.
 * Never throws for Graph failures: falls back to {@link DEFAULT_CONSENT_GRANTS} with a reason.
 */
export async function appGraphGrants(options: AppGraphGrantsOptions): Promise<AppGraphGrants> {
  const fallback = (reason: string): AppGraphGrants => ({ grants: DEFAULT_CONSENT_GRANTS, source: "default", reason });
  try {
    const id = options.applicationId.replace(/'/g, "''");
    const apps = await graphGet<GraphList<AppObject>>(options, `/v1.0/applications?$filter=${encodeURIComponent(`appId eq '${id}'`)}&$select=requiredResourceAccess`);
    const app = apps.value?.[0];
    if (!app) return fallback("the app was not found in the partner tenant through Graph");
    const ids = (app.requiredResourceAccess ?? [])
      .filter((r) => r.resourceAppId?.toLowerCase() === GRAPH_APP_ID)
      .flatMap((r) => r.resourceAccess ?? [])
      .filter((a) => a.type === "Scope" && typeof a.id === "string")
      .map((a) => (a.id ?? "").toLowerCase());
    if (ids.length === 0) return fallback("the app requests no delegated Microsoft Graph permissions");

    const names = new Map<string, string>(Object.entries(WELL_KNOWN_GRAPH_SCOPES));
    if (ids.some((i) => !names.has(i))) {
      try {
        const sps = await graphGet<GraphList<ResourceSp>>(
          options,
          `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${GRAPH_APP_ID}'`)}&$select=oauth2PermissionScopes`,
        );
        for (const s of sps.value?.[0]?.oauth2PermissionScopes ?? []) if (s.id && s.value) names.set(s.id.toLowerCase(), s.value);
      } catch {
        // Unknown IDs are dropped below; the known ones still make a useful grant.
      }
    }
    const scopes = [...new Set(ids.map((i) => names.get(i)).filter((n): n is string => n !== undefined))];
    if (scopes.length === 0) return fallback("none of the app's Graph permission IDs could be named");
    return { grants: [{ enterpriseApplicationId: GRAPH_APP_ID, scope: scopes.join(",") }], source: "graph" };
  } catch (e) {
    return fallback(isSamkitError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e));
  }
}
