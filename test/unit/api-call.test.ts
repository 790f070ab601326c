import { describe, expect, it } from "vitest";
import { callApi, paginateApi } from "../../src/api/call.js";
import type { ApiRequestSpec } from "../../src/api/types.js";
import { runApi } from "../../src/cli/commands/api/run.js";
import { GLOBAL_CLOUD } from "../../src/cloud/table.js";
import { scriptedHttp } from "../helpers/http.js";

const tokenCalls: { resource?: string; tenant?: string; appOnly?: boolean }[] = [];
const getToken = (r: { resource?: string; tenant?: string; appOnly?: boolean }) => {
  tokenCalls.push({ ...(r.resource !== undefined ? { resource: r.resource } : {}), ...(r.tenant !== undefined ? { tenant: r.tenant } : {}), ...(r.appOnly ? { appOnly: true } : {}) });
  return Promise.resolve({ token: `tok-for-${r.tenant ?? "partner"}` });
};

function spec(path: string, extra: Partial<ApiRequestSpec> = {}): ApiRequestSpec {
  return { method: "GET", path, appOnly: false, headers: {}, query: [], paginate: false, jsonl: false, ...extra };
}

class Sink {
  text = "";
  write(c: string): boolean {
    this.text += c;
    return true;
  }
}

describe("callApi / paginateApi", () => {
  it("follows Graph @odata.nextLink, merges items, token for the tenant", async () => {
    const { http, calls } = scriptedHttp((req) => {
      const u = new URL(String(req.url));
      if (u.searchParams.get("$skiptoken") === "2") return { status: 200, body: { value: [{ id: 3 }] } };
      return { status: 200, body: { value: [{ id: 1 }, { id: 2 }], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=2" } };
    });
    tokenCalls.length = 0;
    const r = await callApi(spec("/v1.0/users", { paginate: true, tenant: "contoso.onmicrosoft.com", headers: { ConsistencyLevel: "eventual" } }), { http, cloud: GLOBAL_CLOUD, getToken });
    expect(r).toEqual({ ok: true, status: 200, data: [{ id: 1 }, { id: 2 }, { id: 3 }] });
    expect(calls).toHaveLength(2);
    expect(calls.every((c) => c.headers?.["Authorization"] === "Bearer tok-for-contoso.onmicrosoft.com")).toBe(true);
    expect(calls.every((c) => c.headers?.["ConsistencyLevel"] === "eventual")).toBe(true);
    expect(calls.every((c) => c.service === "graph")).toBe(true);
    expect(tokenCalls).toEqual([
      { resource: "graph", tenant: "contoso.onmicrosoft.com" },
      { resource: "graph", tenant: "contoso.onmicrosoft.com" },
    ]);
    // the fan-out runner's tenant wins over the spec's
    tokenCalls.length = 0;
    await callApi(spec("/v1.0/users", { tenant: "a" }), { http, cloud: GLOBAL_CLOUD, getToken, tenant: "b" });
    expect(tokenCalls[0]?.tenant).toBe("b");
  });

  it("follows ARM nextLink; without --paginate only the first page is returned as it is", async () => {
    const { http } = scriptedHttp((req) =>
      String(req.url).includes("skip")
        ? { status: 200, body: { value: ["b"] } }
        : { status: 200, body: { value: ["a"], nextLink: "https://management.azure.com/subscriptions?api-version=2022-12-01&skip=1" } },
    );
    const all = await callApi(spec("/subscriptions?api-version=2022-12-01", { paginate: true, appOnly: true }), { http, cloud: GLOBAL_CLOUD, getToken });
    expect(all).toMatchObject({ ok: true, data: ["a", "b"] });
    const one = await callApi(spec("/subscriptions?api-version=2022-12-01"), { http, cloud: GLOBAL_CLOUD, getToken });
    expect(one).toMatchObject({ ok: true, data: { value: ["a"] } });
  });

  it("never sends the token to a next link on another host", async () => {
    const { http, calls } = scriptedHttp(() => ({ status: 200, body: { value: [1], "@odata.nextLink": "https://evil.example/steal" } }));
    const r = await callApi(spec("/v1.0/users", { paginate: true }), { http, cloud: GLOBAL_CLOUD, getToken });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe("SAMKIT_API_BAD_RESPONSE");
    expect(calls).toHaveLength(1);
  });

  it("sends bodies and methods as given and does not page a POST", async () => {
    const { http, calls } = scriptedHttp(() => ({ status: 201, body: { id: "g1", "@odata.nextLink": "https://graph.microsoft.com/x" } }));
    const r = await callApi(spec("/v1.0/groups", { method: "POST", body: '{"displayName":"Ops"}', headers: { "Content-Type": "application/json" }, paginate: true }), {
      http,
      cloud: GLOBAL_CLOUD,
      getToken,
    });
    expect(r).toMatchObject({ ok: true, status: 201 });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe("POST");
    expect(calls[0]?.body).toBe('{"displayName":"Ops"}');
  });

  it("Partner Center calls carry MS-RequestId per request, one MS-CorrelationId, X-Locale; user headers win", async () => {
    const { http, calls } = scriptedHttp((req) =>
      req.headers?.["MS-ContinuationToken"]
        ? { status: 200, body: { items: [2] } }
        : { status: 200, body: { items: [1], links: { next: { uri: "/customers?seekOperation=Next", headers: [{ key: "MS-ContinuationToken", value: "c1" }] } } } },
    );
    const pages = [];
    for await (const p of paginateApi(spec("/v1/customers", { paginate: true, headers: { "x-locale": "fr-FR" } }), { http, cloud: GLOBAL_CLOUD, getToken })) pages.push(p.items);
    expect(pages).toEqual([[1], [2]]);
    expect(String(calls[1]?.url)).toBe("https://api.partnercenter.microsoft.com/v1/customers?seekOperation=Next");
    expect(calls[0]?.headers?.["MS-RequestId"]).not.toBe(calls[1]?.headers?.["MS-RequestId"]);
    expect(calls[0]?.headers?.["MS-CorrelationId"]).toBe(calls[1]?.headers?.["MS-CorrelationId"]);
    expect(calls[0]?.headers?.["x-locale"]).toBe("fr-FR");
    expect(calls[0]?.headers?.["X-Locale"]).toBeUndefined();
  });

  it("reports a token failure as {ok:false, status:0}", async () => {
    const { http } = scriptedHttp(() => ({ status: 200, body: {} }));
    const { SamkitError } = await import("../../src/errors/index.js");
    const r = await callApi(spec("/v1.0/users", { tenant: "x" }), {
      http,
      cloud: GLOBAL_CLOUD,
      getToken: () => Promise.reject(new SamkitError("SAMKIT_INVALID_INPUT", { params: { detail: "no consent" } })),
    });
    expect(r).toMatchObject({ ok: false, status: 0 });
  });
});

describe("runApi output", () => {
  it("prints one JSON document, a merged array with --paginate, JSON Lines with --jsonl, nothing for 204", async () => {
    const { http } = scriptedHttp((req) =>
      req.method === "DELETE"
        ? { status: 204 }
        : String(req.url).includes("skip")
          ? { status: 200, body: { value: [{ n: 2 }] } }
          : { status: 200, body: { value: [{ n: 1 }], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?skip=1" } },
    );
    const ctx = { http, cloud: GLOBAL_CLOUD, getToken };
    const a = { stdout: new Sink(), stderr: new Sink() };
    await runApi(spec("/v1.0/users"), ctx, a);
    expect(JSON.parse(a.stdout.text)).toEqual({ value: [{ n: 1 }], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?skip=1" });
    const b = { stdout: new Sink(), stderr: new Sink() };
    await runApi(spec("/v1.0/users", { paginate: true }), ctx, b);
    expect(JSON.parse(b.stdout.text)).toEqual([{ n: 1 }, { n: 2 }]);
    const c = { stdout: new Sink(), stderr: new Sink() };
    await runApi(spec("/v1.0/users", { paginate: true, jsonl: true }), ctx, c);
    expect(c.stdout.text).toBe('{"n":1}\n{"n":2}\n');
    const d = { stdout: new Sink(), stderr: new Sink() };
    await runApi(spec("/v1.0/groups/x", { method: "DELETE" }), ctx, d);
    expect(d.stdout.text).toBe("");
  });

  it("on failure prints the service's body on stderr and throws the catalogue error", async () => {
    const body = { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." } };
    const { http } = scriptedHttp(() => ({ status: 403, body, headers: { "content-type": "application/json" } }));
    const o = { stdout: new Sink(), stderr: new Sink() };
    await expect(runApi(spec("/v1.0/users"), { http, cloud: GLOBAL_CLOUD, getToken }, o)).rejects.toMatchObject({ graphCode: "Authorization_RequestDenied", status: 403 });
    expect(JSON.parse(o.stderr.text)).toEqual(body);
    expect(o.stdout.text).toBe("");
  });
});
