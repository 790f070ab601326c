/**
 * `samkit app create` grants the app's application permissions (app role assignments) and repairs
 * its delegated admin consent, end to end: the real CLI as a child process, the admin signed in by
 * device code, the emulator's Graph over real HTTP, its request log as the witness of what was
 * sent. An app-only token from the emulator then carries the assigned roles.
 */
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { emulatorCloud } from "../../src/cloud/index.js";
import { createHttpClient } from "../../src/http/index.js";
import { clientCredentials } from "../../src/oauth/index.js";
import { emulatorForFile, runApprovingDeviceCode, runCli } from "./consent-harness.js";

const emulator = emulatorForFile();
const GRAPH_APP = "00000003-0000-0000-c000-000000000000";

interface Logged {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  readonly status?: number;
}

function appCreate(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runApprovingDeviceCode(emulator.url, ["app", "create", "--device-code", ...args], env, { username: emulator.emu.context.world.adminUpn }, { timeoutMs: 90_000 });
}

/** Graph GET in the partner tenant as the seeded SAM app (app-only, Directory.Read.All). */
async function graphGet<T>(path: string): Promise<T> {
  const w = emulator.emu.context.world;
  const t = await clientCredentials(
    { cloud: emulatorCloud(emulator.emu.cloud), tenant: w.partnerTenantId, client: { clientId: w.samAppId, clientSecret: w.samAppSecret }, http: createHttpClient() },
    ["https://graph.microsoft.com/.default"],
  );
  const r = await fetch(`${emulator.emu.cloud.graphUrl}/v1.0${path}`, { headers: { authorization: `Bearer ${t.accessToken}` } });
  expect(r.status, await r.clone().text()).toBe(200);
  return (await r.json()) as T;
}

async function spId(appId: string): Promise<string> {
  const sps = await graphGet<{ value: { id: string }[] }>(`/servicePrincipals?$filter=appId eq '${appId}'`);
  expect(sps.value).toHaveLength(1);
  return sps.value[0]!.id;
}

/** Graph requests the emulator received since the last call (the log is taken). */
async function graphRequests(): Promise<Logged[]> {
  const r = await fetch(`${emulator.url}/_emulator/requests?service=graph`);
  expect(r.status).toBe(200);
  return (await r.json()) as Logged[];
}

const writes = (log: readonly Logged[]): string[] => log.filter((e) => e.method !== "GET").map((e) => `${e.method} ${e.path.replace(/\/[A-Za-z0-9_-]{43}$/, "/{grant}").replace(/[0-9a-f-]{36}/g, "{id}")} ${e.status ?? "?"}`);

describe("app create: application permissions and delegated grant repair", () => {
  it("assigns the app roles once (idempotent), an app-only token carries them, and an extra delegated scope PATCHes the existing grant", async () => {
    const { env } = await emulator.home();
    const name = "app roles app";

    // 1. First apply: the plan names the app role assignments; Graph receives one POST per role.
    await graphRequests();
    const first = await appCreate(["--name", name, "--json"], env);
    expect(first.code, first.stderr).toBe(0);
    const body = JSON.parse(first.stdout) as { plan: { changes: { target: string; detail: string }[] }; result: { clientId: string } };
    const roleChange = body.plan.changes.find((c) => c.target === "appRoleAssignments");
    expect(roleChange?.detail, first.stdout).toMatch(/2 application permission/);
    const clientId = body.result.clientId;
    const log1 = await graphRequests();
    const assignPosts = log1.filter((e) => e.method === "POST" && e.path.endsWith("/appRoleAssignedTo"));
    expect(assignPosts.map((e) => e.status)).toEqual([201, 201]);

    const mySp = await spId(clientId);
    const graphSp = await spId(GRAPH_APP);
    expect(assignPosts.map((e) => JSON.parse(e.body ?? "{}") as { principalId: string; resourceId: string }).every((b) => b.principalId === mySp && b.resourceId === graphSp)).toBe(true);
    const assigned = await graphGet<{ value: { principalId: string; resourceId: string; appRoleId: string; principalType: string; id: string }[] }>(`/servicePrincipals/${graphSp}/appRoleAssignedTo`);
    const mine = assigned.value.filter((a) => a.principalId === mySp);
    expect(mine.map((a) => a.appRoleId).sort()).toEqual(["7ab1d382-f21e-4acd-a863-ba3e13f7da61", "bf394140-e372-4bf9-a898-299cfc7564e5"]);
    expect(mine.every((a) => a.principalType === "ServicePrincipal" && a.resourceId === graphSp && /^[A-Za-z0-9_-]{43}$/.test(a.id))).toBe(true);

    // 2. Second apply: nothing to do, no write reaches Graph.
    const again = await appCreate(["--name", name], env);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("No changes");
    expect(again.stdout).toMatch(/= app role assignments in the partner tenant for 2 application permission/);
    expect(writes(await graphRequests())).toEqual([]);

    // 3. An app-only token for Graph (client credentials with the stored secret) carries the roles.
    const token = await runCli(["token", "--app-only", "--resource", "graph", "--json"], env, { timeoutMs: 60_000 });
    expect(token.code, token.stderr).toBe(0);
    const claims = decodeJwt((JSON.parse(token.stdout) as { accessToken: string }).accessToken);
    expect(claims["appid"]).toBe(clientId);
    expect([...((claims["roles"] as string[] | undefined) ?? [])].sort()).toEqual(["Directory.Read.All", "SecurityEvents.Read.All"]);

    // 4. One more delegated scope and one more app role: PATCH the Graph grant (no new grant), POST one assignment.
    const more = await appCreate(["--name", name, "--permission", "graph:Scope:User.Read.All", "--permission", "graph:Role:User.Read.All", "--json"], env);
    expect(more.code, more.stderr).toBe(0);
    const planned = (JSON.parse(more.stdout) as { plan: { changes: { target: string; detail: string }[] } }).plan.changes;
    expect(planned.find((c) => c.target === "adminConsent")?.detail).toMatch(/add User\.Read\.All on 00000003/);
    expect(planned.find((c) => c.target === "appRoleAssignments")?.detail).toMatch(/User\.Read\.All on 00000003/);
    expect(writes(await graphRequests())).toEqual([
      "PATCH /v1.0/applications/{id} 204",
      "PATCH /v1.0/oauth2PermissionGrants/{grant} 204",
      "POST /v1.0/servicePrincipals/{id}/appRoleAssignedTo 201",
    ]);
    const grants = await graphGet<{ value: { clientId: string; resourceId: string; scope: string }[] }>("/oauth2PermissionGrants");
    const graphGrants = grants.value.filter((g) => g.clientId === mySp && g.resourceId === graphSp);
    expect(graphGrants).toHaveLength(1);
    expect(graphGrants[0]!.scope.split(" ").sort()).toEqual(["Directory.Read.All", "User.Read", "User.Read.All"]);

    // And again: idempotent with the extra permissions too.
    const last = await appCreate(["--name", name, "--permission", "graph:Scope:User.Read.All", "--permission", "graph:Role:User.Read.All"], env);
    expect(last.code, last.stderr).toBe(0);
    expect(last.stdout).toContain("No changes");
    expect(writes(await graphRequests())).toEqual([]);
  }, 300_000);
});

describe("emulated Graph: app role assignments and grant updates", () => {
  it("answers a duplicate assignment with 400 Request_BadRequest, lists by principal and resource, deletes; PATCH on an unknown grant is 404", async () => {
    const w = emulator.emu.context.world;
    const t = await clientCredentials(
      { cloud: emulatorCloud(emulator.emu.cloud), tenant: w.partnerTenantId, client: { clientId: w.samAppId, clientSecret: w.samAppSecret }, http: createHttpClient() },
      ["https://graph.microsoft.com/.default"],
    );
    // The seeded SAM app holds Directory.Read.All only; writes need AppRoleAssignment.ReadWrite.All: use the world directly for the setup.
    w.addGrant(w.partnerTenantId, w.samAppId, GRAPH_APP, [], ["Application.ReadWrite.All"]);
    const t2 = await clientCredentials(
      { cloud: emulatorCloud(emulator.emu.cloud), tenant: w.partnerTenantId, client: { clientId: w.samAppId, clientSecret: w.samAppSecret }, http: createHttpClient() },
      ["https://graph.microsoft.com/.default"],
    );
    expect(decodeJwt(t.accessToken)["roles"]).not.toContain("Application.ReadWrite.All");
    expect(decodeJwt(t2.accessToken)["roles"]).toContain("Application.ReadWrite.All");
    const call = (method: string, path: string, body?: unknown): Promise<Response> =>
      fetch(`${emulator.emu.cloud.graphUrl}/v1.0${path}`, {
        method,
        headers: { authorization: `Bearer ${t2.accessToken}`, "content-type": "application/json" },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    const sam = await spId(w.samAppId);
    const graphSp = await spId(GRAPH_APP);
    const assignment = { principalId: sam, resourceId: graphSp, appRoleId: "df021288-bdef-4463-88db-98f22de89214" }; // User.Read.All

    const created = await call("POST", `/servicePrincipals/${graphSp}/appRoleAssignedTo`, assignment);
    expect(created.status, await created.clone().text()).toBe(201);
    const a = (await created.json()) as { id: string; appRoleId: string; principalId: string; resourceId: string; principalType: string };
    expect(a).toMatchObject({ ...assignment, principalType: "ServicePrincipal" });

    const dup = await call("POST", `/servicePrincipals/${sam}/appRoleAssignments`, assignment);
    expect(dup.status).toBe(400);
    expect(((await dup.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "Request_BadRequest", message: "Permission being assigned already exists on the object." });

    const unknownRole = await call("POST", `/servicePrincipals/${graphSp}/appRoleAssignedTo`, { ...assignment, appRoleId: "00000000-0000-0000-0000-000000000001" });
    expect(unknownRole.status).toBe(400);

    const byPrincipal = (await (await call("GET", `/servicePrincipals/${sam}/appRoleAssignments`)).json()) as { value: { id: string; appRoleId: string }[] };
    expect(byPrincipal.value.map((x) => x.appRoleId)).toContain(assignment.appRoleId);
    expect(byPrincipal.value.find((x) => x.appRoleId === assignment.appRoleId)?.id).toBe(a.id);

    const deleted = await call("DELETE", `/servicePrincipals/${graphSp}/appRoleAssignedTo/${a.id}`);
    expect(deleted.status).toBe(204);
    const after = (await (await call("GET", `/servicePrincipals/${graphSp}/appRoleAssignedTo?$filter=principalId eq '${sam}'`)).json()) as { value: { appRoleId: string }[] };
    expect(after.value.map((x) => x.appRoleId)).not.toContain(assignment.appRoleId);

    const missing = await call("PATCH", "/oauth2PermissionGrants/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", { scope: "User.Read" });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("Request_ResourceNotFound");
  }, 60_000);
});
