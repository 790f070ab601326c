/**
 * The emulated Key Vault over raw HTTP: the 401 challenge and its tenant, api-version rules,
 * paging with nextLink, error bodies (SecretNotFound, 409 on a soft-deleted name), ids built from
 * the URL the client used, scheduled purge on the emulator clock, and persistence in a data folder.
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { World } from "../../emulator/index.js";
import { createKeyVaultApp } from "../../emulator/keyvault/index.js";
import { appToken, bearer, GRAPH, startEmulator, type Started } from "./emulator-services-helpers.js";

const VAULT = "https://vault.azure.net";
let s: Started;
let token: string;

beforeAll(async () => {
  s = await startEmulator({ seedCustomers: 3 });
  token = await appToken(s, s.world.partnerTenantId, VAULT);
});
afterAll(async () => {
  await s.stop();
});

type Json = Record<string, unknown>;
async function kv(path: string, init: { method?: string; body?: unknown; token?: string | null; base?: string } = {}): Promise<{ status: number; body: Json; headers: Headers }> {
  const t = init.token === undefined ? token : init.token;
  const res = await fetch(`${init.base ?? s.cloud.keyVaultUrl}${path}`, {
    method: init.method ?? "GET",
    headers: { ...(t ? bearer(t) : {}), ...(init.body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}
const v = "api-version=7.4";
function expectVaultError(r: { status: number; body: Json }, status: number, code: string, inner?: string): void {
  expect(r.status).toBe(status);
  expect(Object.keys(r.body)).toEqual(["error"]);
  const e = r.body["error"] as Json;
  expect(e["code"]).toBe(code);
  expect(typeof e["message"]).toBe("string");
  if (inner) expect(e["innererror"]).toEqual({ code: inner });
}

describe("challenge and tokens", () => {
  it("answers an unauthenticated request with 401 and the Bearer challenge naming the partner tenant", async () => {
    const r = await kv(`/secrets/x?${v}`, { method: "PUT", token: null });
    expectVaultError(r, 401, "Unauthorized");
    expect(r.headers.get("www-authenticate")).toBe(`Bearer authorization="${s.cloud.authorityHost}/${s.world.partnerTenantId}", resource="${VAULT}"`);
    expect((r.body["error"] as Json)["message"]).toMatch(/^AKV10000:/);
  });

  it("refuses a token of another tenant (AKV10032) and of another audience (AKV10022), still with the challenge", async () => {
    const customer = s.world.customers.find((c) => c.state === "healthy")!;
    const other = await kv(`/secrets?${v}`, { token: await appToken(s, customer.tenantId, VAULT) });
    expectVaultError(other, 401, "Unauthorized");
    expect((other.body["error"] as Json)["message"]).toMatch(/^AKV10032:/);
    expect(other.headers.get("www-authenticate")).toContain("authorization=");
    const graph = await kv(`/secrets?${v}`, { token: await appToken(s, s.world.partnerTenantId, GRAPH) });
    expect((graph.body["error"] as Json)["message"]).toMatch(/^AKV10022:/);
  });

  it("requires an api-version: 7.x and 2025-07-01 accepted, others refused", async () => {
    expectVaultError(await kv("/secrets"), 400, "BadParameter");
    expectVaultError(await kv("/secrets?api-version=1.0"), 400, "BadParameter");
    for (const ver of ["7.0", "7.4", "7.6", "2025-07-01"]) expect((await kv(`/secrets?api-version=${ver}`)).status).toBe(200);
  });
});

describe("secrets", () => {
  it("PUT returns a bundle whose id starts with the URL the client used (127.0.0.1 or localhost)", async () => {
    const put = await kv(`/secrets/TenantID?${v}`, { method: "PUT", body: { value: "abc", contentType: "text/plain", tags: { a: "1" } } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ value: "abc", contentType: "text/plain", tags: { a: "1" }, attributes: { enabled: true, recoveryLevel: "Recoverable+Purgeable", recoverableDays: 90 } });
    expect(String(put.body["id"])).toMatch(new RegExp(`^${s.cloud.keyVaultUrl}/secrets/TenantID/[0-9a-f]{32}$`));
    const port = new URL(s.cloud.keyVaultUrl).port;
    const viaLocalhost = await kv(`/secrets/tenantid?${v}`, { base: `http://localhost:${port}` });
    expect(String(viaLocalhost.body["id"])).toMatch(new RegExp(`^http://localhost:${port}/secrets/TenantID/[0-9a-f]{32}$`));
    expect(typeof (put.body["attributes"] as Json)["created"]).toBe("number");
  });

  it("404 SecretNotFound for a missing name and an unknown version; 400 for an invalid name", async () => {
    expectVaultError(await kv(`/secrets/Nope?${v}`), 404, "SecretNotFound");
    expectVaultError(await kv(`/secrets/TenantID/0123456789abcdef0123456789abcdef?${v}`), 404, "SecretNotFound");
    expectVaultError(await kv(`/secrets/bad_name?${v}`, { method: "PUT", body: { value: "x" } }), 400, "BadParameter");
  });

  it("pages the list with maxresults and nextLink; versions list every version", async () => {
    for (let i = 0; i < 5; i++) await kv(`/secrets/paged-${i}?${v}`, { method: "PUT", body: { value: String(i) } });
    for (let i = 0; i < 3; i++) await kv(`/secrets/paged-0?${v}`, { method: "PUT", body: { value: `again-${i}` } });
    const ids: string[] = [];
    let next: string | null = `${s.cloud.keyVaultUrl}/secrets?${v}&maxresults=2`;
    let pages = 0;
    while (next) {
      const r = await kv(next.replace(s.cloud.keyVaultUrl, ""));
      expect(r.status).toBe(200);
      pages++;
      ids.push(...(r.body["value"] as Json[]).map((x) => String(x["id"])));
      next = r.body["nextLink"] as string | null;
    }
    expect(ids.filter((id) => id.includes("/secrets/paged-"))).toHaveLength(5);
    expect(pages).toBe(Math.ceil(ids.length / 2));
    expect(ids.every((id) => !/\/[0-9a-f]{32}$/.test(id))).toBe(true); // list items carry unversioned ids
    const versions = await kv(`/secrets/paged-0/versions?${v}`);
    expect((versions.body["value"] as Json[]).length).toBe(4);
    expectVaultError(await kv(`/secrets?${v}&maxresults=26`), 400, "BadParameter");
  });

  it("soft delete: DELETE → deletedsecrets, 409 on reuse, recover, purge, and the scheduled purge after 90 days", async () => {
    await kv(`/secrets/RefreshToken?${v}`, { method: "PUT", body: { value: "rt" } });
    const del = await kv(`/secrets/RefreshToken?${v}`, { method: "DELETE" });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ recoveryId: `${s.cloud.keyVaultUrl}/deletedsecrets/RefreshToken`, deletedDate: expect.any(Number), scheduledPurgeDate: expect.any(Number) });
    expect(del.body["value"]).toBeUndefined();
    expectVaultError(await kv(`/secrets/RefreshToken?${v}`), 404, "SecretNotFound");
    expectVaultError(await kv(`/secrets/RefreshToken?${v}`, { method: "PUT", body: { value: "new" } }), 409, "Conflict", "ObjectIsDeletedButRecoverable");
    const listed = await kv(`/deletedsecrets?${v}`);
    expect((listed.body["value"] as Json[]).map((x) => x["recoveryId"])).toContain(`${s.cloud.keyVaultUrl}/deletedsecrets/RefreshToken`);

    expect((await kv(`/deletedsecrets/RefreshToken/recover?${v}`, { method: "POST" })).status).toBe(200);
    expect((await kv(`/secrets/RefreshToken?${v}`)).body["value"]).toBe("rt");

    await kv(`/secrets/RefreshToken?${v}`, { method: "DELETE" });
    expect((await kv(`/deletedsecrets/RefreshToken?${v}`, { method: "DELETE" })).status).toBe(204);
    expectVaultError(await kv(`/deletedsecrets/RefreshToken?${v}`), 404, "SecretNotFound");
    expect((await kv(`/secrets/RefreshToken?${v}`, { method: "PUT", body: { value: "reborn" } })).status).toBe(200);

    await kv(`/secrets/Expiring?${v}`, { method: "PUT", body: { value: "x" } });
    await kv(`/secrets/Expiring?${v}`, { method: "DELETE" });
    s.emu.context.clock.advance(91 * 86_400);
    try {
      expectVaultError(await kv(`/deletedsecrets/Expiring?${v}`, { token: await appToken(s, s.world.partnerTenantId, VAULT) }), 404, "SecretNotFound");
    } finally {
      s.emu.context.clock.advance(-91 * 86_400);
    }
  });

  it("PATCH updates attributes; a disabled secret cannot be read", async () => {
    const put = await kv(`/secrets/Toggle?${v}`, { method: "PUT", body: { value: "x" } });
    const version = String(put.body["id"]).split("/").pop()!;
    const patched = await kv(`/secrets/Toggle/${version}?${v}`, { method: "PATCH", body: { attributes: { enabled: false }, tags: { off: "yes" } } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ tags: { off: "yes" }, attributes: { enabled: false } });
    expect(patched.body["value"]).toBeUndefined();
    expectVaultError(await kv(`/secrets/Toggle?${v}`), 403, "Forbidden", "SecretDisabled");
  });
});

describe("persistence in a data folder", () => {
  it("keeps secrets (and soft-deleted ones) across a restart, in a 0600 file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "samkit-kv-"));
    const serveOnce = async (): Promise<{ server: ServerType; url: string }> => {
      // A fresh world per "process": nothing but the data file carries secrets over.
      const app = createKeyVaultApp({ ...s.emu.context, world: World.build({ customers: 0 }) }, { dataDir: dir });
      return new Promise((resolve) => {
        const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) => resolve({ server, url: `http://127.0.0.1:${info.port}` }));
      });
    };
    const close = (server: ServerType) => new Promise<void>((res) => server.close(() => res()));
    try {
      const first = await serveOnce();
      await kv(`/secrets/Durable?${v}`, { method: "PUT", body: { value: "kept" }, base: first.url });
      await kv(`/secrets/Gone?${v}`, { method: "PUT", body: { value: "x" }, base: first.url });
      await kv(`/secrets/Gone?${v}`, { method: "DELETE", base: first.url });
      await close(first.server);
      expect((await stat(join(dir, "keyvault.json"))).mode & 0o777).toBe(0o600);

      const second = await serveOnce();
      expect((await kv(`/secrets/Durable?${v}`, { base: second.url })).body["value"]).toBe("kept");
      expect((await kv(`/deletedsecrets/Gone?${v}`, { base: second.url })).status).toBe(200);
      expect(String((await kv(`/secrets/Durable?${v}`, { base: second.url })).body["id"]).startsWith(second.url)).toBe(true);
      await close(second.server);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
