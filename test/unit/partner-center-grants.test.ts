import { describe, expect, it } from "vitest";
import { GLOBAL_CLOUD } from "../../src/cloud/table.js";
import { scriptedHttp } from "../helpers/http.js";
import { appGraphGrants, DEFAULT_CONSENT_GRANTS, GRAPH_APP_ID } from "../../src/partner-center/default-grants.js";

const getToken = () => Promise.resolve({ token: "t" });
const appId = "6513270e-269e-4d37-b2a7-4de452e6b438";

function app(resourceAccess: { id: string; type: string }[], resourceAppId = GRAPH_APP_ID) {
  return { value: [{ requiredResourceAccess: [{ resourceAppId: "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd", resourceAccess: [{ id: "1cebfa2a-fb4d-419e-b5f9-839b4383e05a", type: "Scope" }] }, { resourceAppId, resourceAccess }] }] };
}

describe("appGraphGrants", () => {
  it("reads the app's delegated Graph permissions (roles ignored) and names them", async () => {
    const { http, calls } = scriptedHttp(() => ({
      status: 200,
      body: app([
        { id: "06da0dbc-49e2-44d2-8312-53f166ab848a", type: "Scope" },
        { id: "E1FE6DD8-BA31-4D61-89E7-88639DA4683D", type: "Scope" },
        { id: "7ab1d382-f21e-4acd-a863-ba3e13f7da61", type: "Role" },
      ]),
    }));
    const r = await appGraphGrants({ http, cloud: GLOBAL_CLOUD, getToken, applicationId: appId });
    expect(r).toEqual({ source: "graph", grants: [{ enterpriseApplicationId: GRAPH_APP_ID, scope: "Directory.Read.All,User.Read" }] });
    expect(calls).toHaveLength(1);
    const u = new URL(String(calls[0]?.url));
    expect(u.origin + u.pathname).toBe("https://graph.microsoft.com/v1.0/applications");
    expect(u.searchParams.get("$filter")).toBe(`appId eq '${appId}'`);
    expect(calls[0]?.headers?.["Authorization"]).toBe("Bearer t");
  });

  it("names unknown permission IDs through Graph's service principal", async () => {
    const custom = "11111111-2222-3333-4444-555555555555";
    const { http, calls } = scriptedHttp((req) =>
      String(req.url).includes("/servicePrincipals")
        ? { status: 200, body: { value: [{ oauth2PermissionScopes: [{ id: custom, value: "Mail.Read" }] }] } }
        : { status: 200, body: app([{ id: custom, type: "Scope" }, { id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", type: "Scope" }]) },
    );
    const r = await appGraphGrants({ http, cloud: GLOBAL_CLOUD, getToken, applicationId: appId });
    expect(r.grants).toEqual([{ enterpriseApplicationId: GRAPH_APP_ID, scope: "Mail.Read,User.Read" }]);
    expect(calls).toHaveLength(2);
  });

  it("falls back to the documented default, with a reason, when Graph fails or the app asks for nothing", async () => {
    const down = scriptedHttp(() => ({ status: 403, body: { error: { code: "Authorization_RequestDenied", message: "no" } } }));
    const a = await appGraphGrants({ http: down.http, cloud: GLOBAL_CLOUD, getToken, applicationId: appId });
    expect(a.source).toBe("default");
    expect(a.grants).toEqual(DEFAULT_CONSENT_GRANTS);
    expect(a.reason).toMatch(/403/);
    const none = scriptedHttp(() => ({ status: 200, body: app([{ id: "7ab1d382-f21e-4acd-a863-ba3e13f7da61", type: "Role" }]) }));
    expect((await appGraphGrants({ http: none.http, cloud: GLOBAL_CLOUD, getToken, applicationId: appId })).reason).toMatch(/no delegated/);
    const missing = scriptedHttp(() => ({ status: 200, body: { value: [] } }));
    expect((await appGraphGrants({ http: missing.http, cloud: GLOBAL_CLOUD, getToken, applicationId: appId })).reason).toMatch(/not found/);
    const tokenFails = await appGraphGrants({ http: missing.http, cloud: GLOBAL_CLOUD, getToken: () => Promise.reject(new Error("offline")), applicationId: appId });
    expect(tokenFails).toMatchObject({ source: "default", reason: "offline" });
  });
});
