import { describe, expect, it } from "vitest";
import { inferResourceFromPath, resolveApiTarget } from "../../src/api/target.js";
import { nextPageOf, collectionItems } from "../../src/api/paging.js";
import { emulatorCloud } from "../../src/cloud/emulator.js";
import { GLOBAL_CLOUD } from "../../src/cloud/table.js";
import { isSamkitError } from "../../src/errors/index.js";

const emu = emulatorCloud({
  url: "http://127.0.0.1:4000",
  authorityHost: "http://127.0.0.1:4000",
  partnerCenterUrl: "http://127.0.0.1:4001",
  graphUrl: "http://127.0.0.1:4002",
  armUrl: "http://127.0.0.1:4003",
  keyVaultUrl: "http://127.0.0.1:4004",
  partnerTenantId: "11111111-1111-1111-1111-111111111111",
  caCertPath: null,
});

describe("resolveApiTarget", () => {
  it("infers the service from the path's version prefix", () => {
    expect(inferResourceFromPath("/v1/customers")).toBe("partner-center");
    expect(inferResourceFromPath("v1.0/users")).toBe("graph");
    expect(inferResourceFromPath("/beta/users")).toBe("graph");
    expect(inferResourceFromPath("/subscriptions?api-version=2022-12-01")).toBe("arm");
    expect(inferResourceFromPath("/other")).toBeUndefined();

    const t = resolveApiTarget({ path: "/v1.0/users?$top=5", query: [["$select", "id"]] }, GLOBAL_CLOUD);
    expect(t.url.toString()).toBe("https://graph.microsoft.com/v1.0/users?%24top=5&%24select=id");
    expect(t.alias).toBe("graph");
    expect(t.tokenResource).toBe("graph");
  });

  it("uses the emulator's endpoints for relative paths and for real hosts in full URLs", () => {
    expect(resolveApiTarget({ path: "/v1/customers", query: [] }, emu).url.toString()).toBe("http://127.0.0.1:4001/v1/customers");
    const t = resolveApiTarget({ path: "https://graph.microsoft.com/v1.0/users", query: [] }, emu);
    expect(t.url.toString()).toBe("http://127.0.0.1:4002/v1.0/users");
    expect(t.alias).toBe("graph");
    const arm = resolveApiTarget({ path: "http://127.0.0.1:4003/subscriptions", query: [] }, emu);
    expect(arm.alias).toBe("arm");
  });

  it("infers the resource from a full URL and honours --resource", () => {
    expect(resolveApiTarget({ path: "https://management.azure.com/subscriptions", query: [] }, GLOBAL_CLOUD).alias).toBe("arm");
    expect(resolveApiTarget({ path: "https://contoso.vault.azure.net/secrets/x", query: [] }, GLOBAL_CLOUD).alias).toBe("keyvault");
    const custom = resolveApiTarget({ path: "https://api.example.com/x", resource: "https://api.example.com", query: [] }, GLOBAL_CLOUD);
    expect(custom.alias).toBeUndefined();
    expect(custom.tokenResource).toBe("https://api.example.com");
    const pc = resolveApiTarget({ path: "/customers", resource: "partner-center", query: [] }, GLOBAL_CLOUD);
    expect(pc.url.toString()).toBe("https://api.partnercenter.microsoft.com/customers");
  });

  it("refuses what it cannot place", () => {
    for (const spec of [
      { path: "/unknown", query: [] },
      { path: "https://example.org/x", query: [] },
      { path: "/v1/customers", resource: "nonsense", query: [] },
    ]) {
      try {
        resolveApiTarget(spec, GLOBAL_CLOUD);
        throw new Error("expected a throw");
      } catch (e) {
        expect(isSamkitError(e)).toBe(true);
        if (isSamkitError(e)) expect(e.action).toBe("fix-input");
      }
    }
  });
});

describe("paging shapes", () => {
  const root = "https://api.partnercenter.microsoft.com/v1";
  it("follows Partner Center links with the continuation header", () => {
    const body = {
      items: [{ id: "a" }],
      links: { next: { uri: "/customers?size=1&seekOperation=Next", method: "GET", headers: [{ key: "MS-ContinuationToken", value: "tok" }] } },
    };
    expect(collectionItems(body)).toEqual([{ id: "a" }]);
    expect(nextPageOf(body, new URL(`${root}/customers`), root)).toEqual({
      url: "https://api.partnercenter.microsoft.com/v1/customers?size=1&seekOperation=Next",
      headers: { "MS-ContinuationToken": "tok" },
    });
    const hostRelative = { items: [], links: { next: { uri: "/v1/customers?seekOperation=Next", headers: [] } } };
    expect(nextPageOf(hostRelative, new URL(root), root)?.url).toBe("https://api.partnercenter.microsoft.com/v1/customers?seekOperation=Next");
    expect(nextPageOf({ items: [], links: { self: { uri: "/customers" } } }, new URL(root), root)).toBeUndefined();
  });

  it("follows Graph @odata.nextLink and ARM nextLink", () => {
    const g = { value: [1, 2], "@odata.nextLink": "https://graph.microsoft.com/v1.0/users?$skiptoken=x" };
    expect(collectionItems(g)).toEqual([1, 2]);
    expect(nextPageOf(g, new URL("https://graph.microsoft.com/v1.0/users"), root)?.url).toBe("https://graph.microsoft.com/v1.0/users?$skiptoken=x");
    const a = { value: [], nextLink: "https://management.azure.com/subscriptions?$skiptoken=y" };
    expect(nextPageOf(a, new URL("https://management.azure.com/subscriptions"), root)?.headers).toEqual({});
    expect(nextPageOf({ value: [] }, new URL("https://x"), root)).toBeUndefined();
    expect(collectionItems({ id: 1 })).toBeUndefined();
  });
});
