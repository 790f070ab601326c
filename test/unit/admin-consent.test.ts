/**
 * `grantAdminConsent` decisions over a recording Graph double: POST vs PATCH of delegated grants,
 * app role assignments only for missing roles (end to end against the emulator in
 * test/integration/app-admin-consent.test.ts and app-permissions.test.ts).
 */
import { describe, expect, it } from "vitest";
import type { GraphClient, GraphRequest } from "../../src/graph/index.js";
import { adminConsentComplete, adminConsentUrl, grantAdminConsent, planAdminConsent } from "../../src/provision/index.js";
import { GLOBAL_CLOUD } from "../../src/cloud/index.js";

const CLIENT = "6513270e-269e-4d37-b2a7-4de452e6b438";
const PC = "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd";
const GRAPH = "00000003-0000-0000-c000-000000000000";
const ACCESS = [
  { resourceAppId: PC, resourceAccess: [{ id: "1cebfa2a-fb4d-419e-b5f9-839b4383e05a", type: "Scope" as const }] },
  {
    resourceAppId: GRAPH,
    resourceAccess: [
      { id: "06da0dbc-49e2-44d2-8312-53f166ab848a", type: "Scope" as const },
      { id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", type: "Scope" as const },
      { id: "7ab1d382-f21e-4acd-a863-ba3e13f7da61", type: "Role" as const },
    ],
  },
];
const SPS: Record<string, { id: string; appId: string; oauth2PermissionScopes?: { id: string; value: string }[]; appRoles?: { id: string; value: string }[] }> = {
  [CLIENT]: { id: "sp-client", appId: CLIENT },
  [PC]: { id: "sp-pc", appId: PC, oauth2PermissionScopes: [{ id: "1cebfa2a-fb4d-419e-b5f9-839b4383e05a", value: "user_impersonation" }] },
  [GRAPH]: {
    id: "sp-graph",
    appId: GRAPH,
    oauth2PermissionScopes: [
      { id: "06da0dbc-49e2-44d2-8312-53f166ab848a", value: "Directory.Read.All" },
      { id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", value: "User.Read" },
    ],
    appRoles: [{ id: "7ab1d382-f21e-4acd-a863-ba3e13f7da61", value: "Directory.Read.All" }],
  },
};

type Assignment = { id: string; appRoleId: string; resourceId: string; principalId: string };

function fakeGraph(
  grants: { id: string; clientId: string; consentType: string; resourceId: string; scope: string }[],
  assignments: Assignment[] = [],
): { graph: GraphClient; writes: GraphRequest[] } {
  const writes: GraphRequest[] = [];
  const graph: GraphClient = {
    graphUrl: "https://graph.microsoft.com",
    call<T>(req: GraphRequest): Promise<T | undefined> {
      writes.push(req);
      return Promise.resolve(undefined);
    },
    list<T>(path: string): Promise<T[]> {
      const q = decodeURIComponent(path);
      if (q === "/servicePrincipals/sp-client/appRoleAssignments") return Promise.resolve(assignments as T[]);
      if (q.startsWith("/servicePrincipals?")) {
        const appId = /appId eq '([^']+)'/.exec(q)?.[1] ?? "";
        return Promise.resolve((SPS[appId] ? [SPS[appId]] : []) as T[]);
      }
      if (q.startsWith("/oauth2PermissionGrants")) return Promise.resolve(grants as T[]);
      throw new Error(`unexpected GET ${path}`);
    },
  };
  return { graph, writes };
}

describe("grantAdminConsent", () => {
  it("adds only the missing scopes to an existing grant with PATCH, creates the missing grant with POST, and assigns the missing app role", async () => {
    const { graph, writes } = fakeGraph([{ id: "g-graph", clientId: "sp-client", consentType: "AllPrincipals", resourceId: "sp-graph", scope: "User.Read" }]);
    const r = await grantAdminConsent({ graph, clientAppId: CLIENT, requiredResourceAccess: ACCESS });
    expect(r.items.map((i) => [i.resourceAppId, i.action, i.missing])).toEqual([
      [PC, "create", ["user_impersonation"]],
      [GRAPH, "update", ["Directory.Read.All"]],
    ]);
    expect(r.roleItems).toEqual([{ resourceAppId: GRAPH, roles: ["Directory.Read.All"], missing: ["Directory.Read.All"] }]);
    expect(writes).toEqual([
      expect.objectContaining({ method: "POST", path: "/oauth2PermissionGrants", body: { clientId: "sp-client", consentType: "AllPrincipals", resourceId: "sp-pc", scope: "user_impersonation" } }),
      expect.objectContaining({ method: "PATCH", path: "/oauth2PermissionGrants/g-graph", body: { scope: "User.Read Directory.Read.All" } }),
      expect.objectContaining({
        method: "POST",
        path: "/servicePrincipals/sp-graph/appRoleAssignedTo",
        body: { principalId: "sp-client", resourceId: "sp-graph", appRoleId: "7ab1d382-f21e-4acd-a863-ba3e13f7da61" },
      }),
    ]);
  });

  it("changes nothing when every scope is granted (scope names compared case-insensitively) and every role assigned", async () => {
    const { graph, writes } = fakeGraph(
      [
        { id: "g-pc", clientId: "sp-client", consentType: "AllPrincipals", resourceId: "sp-pc", scope: "user_impersonation" },
        { id: "g-graph", clientId: "sp-client", consentType: "AllPrincipals", resourceId: "sp-graph", scope: "directory.read.all User.Read" },
      ],
      [{ id: "a1", appRoleId: "7AB1D382-F21E-4ACD-A863-BA3E13F7DA61", resourceId: "sp-graph", principalId: "sp-client" }],
    );
    const plan = await planAdminConsent({ graph, clientAppId: CLIENT, requiredResourceAccess: ACCESS });
    expect(adminConsentComplete(plan)).toBe(true);
    expect(plan.roleItems).toEqual([{ resourceAppId: GRAPH, roles: ["Directory.Read.All"], missing: [] }]);
    await grantAdminConsent({ graph, clientAppId: CLIENT, requiredResourceAccess: ACCESS });
    expect(writes).toEqual([]);
  });

  it("a user's own (Principal) grant does not count as admin consent", async () => {
    const { graph } = fakeGraph([{ id: "g-user", clientId: "sp-client", consentType: "Principal", resourceId: "sp-pc", scope: "user_impersonation" }]);
    const plan = await planAdminConsent({ graph, clientAppId: CLIENT, requiredResourceAccess: ACCESS });
    expect(plan.items[0]).toMatchObject({ resourceAppId: PC, action: "create" });
  });

  it("an app role assigned on another resource does not count; an assignment that appeared meanwhile (400 already exists) counts as done", async () => {
    const { graph, writes } = fakeGraph(
      [
        { id: "g-pc", clientId: "sp-client", consentType: "AllPrincipals", resourceId: "sp-pc", scope: "user_impersonation" },
        { id: "g-graph", clientId: "sp-client", consentType: "AllPrincipals", resourceId: "sp-graph", scope: "Directory.Read.All User.Read" },
      ],
      [{ id: "a1", appRoleId: "7ab1d382-f21e-4acd-a863-ba3e13f7da61", resourceId: "sp-pc", principalId: "sp-client" }],
    );
    const call = graph.call.bind(graph);
    graph.call = async <T>(req: GraphRequest): Promise<T | undefined> => {
      await call(req);
      throw Object.assign(new Error("400"), { status: 400, serviceMessage: "Permission being assigned already exists on the object." });
    };
    const r = await grantAdminConsent({ graph, clientAppId: CLIENT, requiredResourceAccess: ACCESS });
    expect(r.roleItems[0]?.missing).toEqual(["Directory.Read.All"]);
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual(["POST /servicePrincipals/sp-graph/appRoleAssignedTo"]);
  });

  it("builds the admin-consent URL of the cloud", () => {
    expect(adminConsentUrl(GLOBAL_CLOUD, "contoso.onmicrosoft.com", CLIENT)).toBe(`https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=${CLIENT}`);
  });
});
