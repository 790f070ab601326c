/**
 * The Graph calls for the SAM app registration (facts/partner-center.md §5).
 *
 * @see https://learn.microsoft.com/graph/api/resources/application
 * @see https://learn.microsoft.com/graph/api/application-addpassword
 * @see https://learn.microsoft.com/graph/api/application-removepassword
 * @see https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals
 * @see https://learn.microsoft.com/graph/api/group-post-members
 */
import type { GraphClient } from "./client.js";

/** `requiredResourceAccess` entry. */
export interface RequiredResourceAccess {
  readonly resourceAppId: string;
  readonly resourceAccess: readonly { readonly id: string; readonly type: "Scope" | "Role" }[];
}

/** `passwordCredential` as listed (no `secretText`). */
export interface PasswordCredentialInfo {
  readonly keyId: string;
  readonly displayName?: string | null;
  readonly endDateTime?: string | null;
  readonly hint?: string | null;
}

/** `keyCredential`; `key` (base64 DER) only with `$select=keyCredentials`. */
export interface KeyCredentialInfo {
  readonly keyId?: string;
  readonly type: string;
  readonly usage: string;
  readonly key?: string | null;
  readonly displayName?: string | null;
  readonly customKeyIdentifier?: string | null;
  readonly endDateTime?: string | null;
}

/** The application fields samkit reads and writes. */
export interface GraphApplication {
  readonly id: string;
  readonly appId: string;
  readonly displayName: string;
  readonly signInAudience?: string;
  readonly isFallbackPublicClient?: boolean | null;
  readonly web?: { readonly redirectUris?: readonly string[] };
  readonly publicClient?: { readonly redirectUris?: readonly string[] };
  readonly requiredResourceAccess?: readonly RequiredResourceAccess[];
  readonly passwordCredentials?: readonly PasswordCredentialInfo[];
  readonly keyCredentials?: readonly KeyCredentialInfo[];
}

/** Writable subset of an application. */
export type ApplicationPatch = Partial<{
  displayName: string;
  signInAudience: string;
  isFallbackPublicClient: boolean;
  web: { redirectUris: string[] };
  publicClient: { redirectUris: string[] };
  requiredResourceAccess: RequiredResourceAccess[];
  keyCredentials: KeyCredentialInfo[];
}>;

export interface GraphServicePrincipal {
  readonly id: string;
  readonly appId: string;
  readonly displayName?: string;
  readonly oauth2PermissionScopes?: readonly { readonly id: string; readonly value: string }[];
  readonly appRoles?: readonly { readonly id: string; readonly value: string }[];
}

/** Result of `addPassword`: the only time the secret value is visible. */
export interface AddedPassword {
  readonly keyId: string;
  readonly secretText: string;
  readonly endDateTime: string;
}

const APP_SELECT = "id,appId,displayName,signInAudience,isFallbackPublicClient,web,publicClient,requiredResourceAccess,passwordCredentials,keyCredentials";

function odataString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Tenant ID of the signed-in organization (`GET /organization`). */
export async function getOrganizationId(graph: GraphClient): Promise<string | undefined> {
  const orgs = await graph.list<{ id: string }>("/organization?$select=id", "reading the organization");
  return orgs[0]?.id;
}

/** Applications with exactly this display name. */
export function findApplicationsByName(graph: GraphClient, displayName: string): Promise<GraphApplication[]> {
  return graph.list<GraphApplication>(`/applications?$filter=${encodeURIComponent(`displayName eq ${odataString(displayName)}`)}&$select=${APP_SELECT}`, "looking up the app registration");
}

/** The application with this client ID, or `undefined`. */
export async function findApplicationByAppId(graph: GraphClient, appId: string): Promise<GraphApplication | undefined> {
  const apps = await graph.list<GraphApplication>(`/applications?$filter=${encodeURIComponent(`appId eq ${odataString(appId)}`)}&$select=${APP_SELECT}`, "looking up the app registration");
  return apps[0];
}

/** The application with its `keyCredentials[].key` values (needed to PATCH the collection). */
export async function getApplicationKeys(graph: GraphClient, objectId: string): Promise<KeyCredentialInfo[]> {
  const app = await graph.call<{ keyCredentials?: KeyCredentialInfo[] }>({ method: "GET", path: `/applications/${objectId}?$select=keyCredentials`, operation: "reading the app's certificates" });
  return app?.keyCredentials ?? [];
}

export async function createApplication(graph: GraphClient, body: ApplicationPatch): Promise<GraphApplication> {
  const app = await graph.call<GraphApplication>({ method: "POST", path: "/applications", body, operation: "creating the app registration" });
  if (app === undefined) throw new Error("Graph returned no application");
  return app;
}

export async function updateApplication(graph: GraphClient, objectId: string, patch: ApplicationPatch): Promise<void> {
  await graph.call({ method: "PATCH", path: `/applications/${objectId}`, body: patch, operation: "updating the app registration" });
}

export async function addPassword(graph: GraphClient, objectId: string, displayName: string, endDateTime?: string): Promise<AddedPassword> {
  const r = await graph.call<AddedPassword>({
    method: "POST",
    path: `/applications/${objectId}/addPassword`,
    body: { passwordCredential: { displayName, ...(endDateTime !== undefined ? { endDateTime } : {}) } },
    operation: "adding a client secret",
  });
  if (r === undefined || typeof r.secretText !== "string") throw new Error("Graph returned no secret");
  return r;
}

export async function removePassword(graph: GraphClient, objectId: string, keyId: string): Promise<void> {
  await graph.call({ method: "POST", path: `/applications/${objectId}/removePassword`, body: { keyId }, operation: "removing a client secret" });
}

/** The service principal of `appId` in the signed-in tenant, or `undefined`. */
export async function findServicePrincipal(graph: GraphClient, appId: string): Promise<GraphServicePrincipal | undefined> {
  const sps = await graph.list<GraphServicePrincipal>(
    `/servicePrincipals?$filter=${encodeURIComponent(`appId eq ${odataString(appId)}`)}&$select=id,appId,displayName,oauth2PermissionScopes,appRoles`,
    "looking up a service principal",
  );
  return sps[0];
}

export async function createServicePrincipal(graph: GraphClient, appId: string): Promise<GraphServicePrincipal> {
  const sp = await graph.call<GraphServicePrincipal>({ method: "POST", path: "/servicePrincipals", body: { appId }, operation: "creating the service principal" });
  if (sp === undefined) throw new Error("Graph returned no service principal");
  return sp;
}

/** The group with this display name (e.g. `AdminAgents`), or `undefined`. */
export async function findGroupByName(graph: GraphClient, displayName: string): Promise<{ id: string } | undefined> {
  const groups = await graph.list<{ id: string }>(`/groups?$filter=${encodeURIComponent(`displayName eq ${odataString(displayName)}`)}&$select=id,displayName`, "looking up a group");
  return groups[0];
}

/** Whether `memberId` is a direct member of group `groupId`. */
export async function isGroupMember(graph: GraphClient, groupId: string, memberId: string): Promise<boolean> {
  const members = await graph.list<{ id: string }>(`/groups/${groupId}/members?$select=id`, "reading group members", 100);
  return members.some((m) => m.id.toLowerCase() === memberId.toLowerCase());
}

export async function addGroupMember(graph: GraphClient, groupId: string, memberId: string): Promise<void> {
  await graph.call({
    method: "POST",
    path: `/groups/${groupId}/members/$ref`,
    body: { "@odata.id": `${graph.graphUrl.replace(/\/+$/, "")}/v1.0/directoryObjects/${memberId}` },
    operation: "adding the service principal to AdminAgents",
  });
}
