import { fileURLToPath } from "node:url";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CHINA_CLOUD,
  GLOBAL_CLOUD,
  USGOV_CLOUD,
  emulatorCloud,
  getCloud,
  isAuthorityHostOf,
  parseCloudName,
  resolveResource,
  resourceForUrl,
  scopesForResource,
  v2Issuer,
  type CloudDefinition,
} from "../../src/cloud/index.js";
import { isSamkitError } from "../../src/errors/index.js";

/**
 * Expected values, copied from shared/facts/clouds.md §1 (Partner-Center-PowerShell
 * EnvironmentConstants.cs, azure-powershell-common AzureEnvironmentConstants.cs, msal-common).
 */
const expected = {
  global: {
    authorityHost: "https://login.microsoftonline.com",
    graph: "https://graph.microsoft.com",
    arm: "https://management.azure.com",
    aadGraph: "https://graph.windows.net",
    kvSuffix: ".vault.azure.net",
    kvResource: "https://vault.azure.net",
    partnerCenter: "https://api.partnercenter.microsoft.com",
    exchange: "https://outlook.office365.com",
    issuer: "https://login.microsoftonline.com/{tid}/v2.0",
  },
  usgov: {
    authorityHost: "https://login.microsoftonline.us",
    graph: "https://graph.microsoft.us",
    arm: "https://management.usgovcloudapi.net",
    aadGraph: "https://graph.windows.net",
    kvSuffix: ".vault.usgovcloudapi.net",
    kvResource: "https://vault.usgovcloudapi.net",
    partnerCenter: "https://api.partnercenter.microsoft.com",
    exchange: "https://outlook.office365.us",
    issuer: "https://login.microsoftonline.us/{tid}/v2.0",
  },
  china: {
    authorityHost: "https://login.chinacloudapi.cn",
    graph: "https://microsoftgraph.chinacloudapi.cn",
    arm: "https://management.chinacloudapi.cn",
    aadGraph: "https://graph.chinacloudapi.cn",
    kvSuffix: ".vault.azure.cn",
    kvResource: "https://vault.azure.cn",
    partnerCenter: "https://partner.partnercenterapi.microsoftonline.cn",
    exchange: "https://partner.outlook.cn",
    issuer: "https://login.partner.microsoftonline.cn/{tid}/v2.0",
  },
} as const;

const clouds: Record<keyof typeof expected, CloudDefinition> = { global: GLOBAL_CLOUD, usgov: USGOV_CLOUD, china: CHINA_CLOUD };

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isSamkitError(e) ? e.code : "not-a-samkit-error";
  }
  return undefined;
}

describe("cloud table", () => {
  for (const [name, want] of Object.entries(expected) as [keyof typeof expected, (typeof expected)[keyof typeof expected]][]) {
    it(`${name} matches facts/clouds.md`, () => {
      const c = getCloud(name);
      expect(c).toBe(clouds[name]);
      expect(c.name).toBe(name);
      expect(c.authorityHost).toBe(want.authorityHost);
      expect(c.resources.graph.endpoint).toBe(want.graph);
      expect(c.resources.graph.resourceId).toBe(want.graph);
      expect(c.resources.arm.endpoint).toBe(want.arm);
      expect(c.resources["aad-graph"].resourceId).toBe(want.aadGraph);
      expect(c.resources["aad-graph"].retired).toBe(true);
      expect(c.keyVaultDnsSuffix).toBe(want.kvSuffix);
      expect(c.resources.keyvault.resourceId).toBe(want.kvResource);
      expect(c.resources["partner-center"].endpoint).toBe(want.partnerCenter);
      expect(c.resources.exchange.endpoint).toBe(want.exchange);
      expect(v2Issuer(c, "{tid}")).toBe(want.issuer);
    });
  }

  it("every URL in the table also appears in facts/clouds.md (when the shared facts are present)", () => {
    // shared/ sits beside the repository (as CI lays it out): <repo>/../shared/facts/clouds.md
    const facts = fileURLToPath(new URL("../../../shared/facts/clouds.md", import.meta.url));
    if (!existsSync(facts)) return; // a clean clone carries the literal table above instead
    const text = readFileSync(facts, "utf8");
    for (const c of Object.values(clouds)) {
      const urls = [c.authorityHost, c.keyVaultDnsSuffix, ...Object.values(c.resources).flatMap((r) => [r.resourceId, r.endpoint])];
      for (const u of urls) expect(text, `${c.name}: ${u}`).toContain(u);
    }
  });

  it("resolves every alias to v2 scopes per cloud", () => {
    expect(scopesForResource(GLOBAL_CLOUD, "partner-center")).toEqual(["https://api.partnercenter.microsoft.com/user_impersonation"]);
    expect(scopesForResource(GLOBAL_CLOUD, "graph")).toEqual(["https://graph.microsoft.com/.default"]);
    expect(scopesForResource(GLOBAL_CLOUD, "arm")).toEqual(["https://management.azure.com/.default"]);
    expect(scopesForResource(GLOBAL_CLOUD, "aad-graph")).toEqual(["https://graph.windows.net/.default"]);
    expect(scopesForResource(GLOBAL_CLOUD, "exchange")).toEqual(["https://outlook.office365.com/.default"]);
    expect(scopesForResource(GLOBAL_CLOUD, "keyvault")).toEqual(["https://vault.azure.net/.default"]);
    expect(scopesForResource(USGOV_CLOUD, "graph")).toEqual(["https://graph.microsoft.us/.default"]);
    expect(scopesForResource(USGOV_CLOUD, "keyvault")).toEqual(["https://vault.usgovcloudapi.net/.default"]);
    expect(scopesForResource(CHINA_CLOUD, "graph")).toEqual(["https://microsoftgraph.chinacloudapi.cn/.default"]);
    expect(scopesForResource(CHINA_CLOUD, "arm")).toEqual(["https://management.chinacloudapi.cn/.default"]);
  });

  it("resolves URIs, legacy IDs and well-known app IDs", () => {
    expect(resolveResource(GLOBAL_CLOUD, "https://graph.microsoft.com/").alias).toBe("graph");
    expect(resolveResource(GLOBAL_CLOUD, "https://management.core.windows.net/").alias).toBe("arm");
    expect(resolveResource(GLOBAL_CLOUD, "00000003-0000-0000-c000-000000000000").alias).toBe("graph");
    expect(resolveResource(GLOBAL_CLOUD, "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd").alias).toBe("partner-center");
    const custom = resolveResource(GLOBAL_CLOUD, "https://manage.office.com");
    expect(custom).toEqual({ resourceId: "https://manage.office.com", endpoint: "https://manage.office.com", defaultScopes: ["https://manage.office.com/.default"], retired: false });
    expect(resolveResource(GLOBAL_CLOUD, "48ac35b8-9aa8-4d74-927d-1f4a14a0b239").defaultScopes).toEqual(["48ac35b8-9aa8-4d74-927d-1f4a14a0b239/.default"]);
    expect(resolveResource(GLOBAL_CLOUD, "api://contoso-api").defaultScopes).toEqual(["api://contoso-api/.default"]);
  });

  it("rejects germany as retired and unknown names/aliases with the valid values", () => {
    expect(errorCode(() => getCloud("germany"))).toBe("SAMKIT_CLOUD_RETIRED");
    expect(errorCode(() => getCloud("AzureGermanCloud"))).toBe("SAMKIT_CLOUD_RETIRED");
    let err: unknown;
    try {
      getCloud("mars");
    } catch (e) {
      err = e;
    }
    expect(isSamkitError(err, "SAMKIT_CLOUD_UNKNOWN")).toBe(true);
    expect((err as Error).message).toContain("mars");
    expect(isSamkitError(err) && err.nextStep).toContain("global, usgov, china, emulator");
    expect(errorCode(() => resolveResource(GLOBAL_CLOUD, "sharepoint"))).toBe("SAMKIT_RESOURCE_UNKNOWN");
    expect(errorCode(() => getCloud("emulator"))).toBe("SAMKIT_CLOUD_EMULATOR_URL_MISSING");
  });

  it("accepts PowerShell and MSAL spellings of cloud names", () => {
    expect(parseCloudName("AzureCloud")).toBe("global");
    expect(parseCloudName("AzureUSGovernment")).toBe("usgov");
    expect(parseCloudName("AzureChinaCloud")).toBe("china");
    expect(parseCloudName("USGOV")).toBe("usgov");
  });

  it("infers the resource from a full URL", () => {
    expect(resourceForUrl(GLOBAL_CLOUD, "https://api.partnercenter.microsoft.com/v1/customers")?.alias).toBe("partner-center");
    expect(resourceForUrl(GLOBAL_CLOUD, "https://graph.microsoft.com/v1.0/users?$top=1")?.alias).toBe("graph");
    expect(resourceForUrl(GLOBAL_CLOUD, "https://contoso.vault.azure.net/secrets/x")?.alias).toBe("keyvault");
    expect(resourceForUrl(USGOV_CLOUD, "https://graph.microsoft.us/v1.0/me")?.defaultScopes).toEqual(["https://graph.microsoft.us/.default"]);
    expect(resourceForUrl(GLOBAL_CLOUD, "https://graph.microsoft.us/v1.0/me")).toBeUndefined();
    expect(resourceForUrl(GLOBAL_CLOUD, "https://example.com/")).toBeUndefined();
    expect(resourceForUrl(GLOBAL_CLOUD, "not a url")).toBeUndefined();
  });

  it("knows each instance's aliases", () => {
    expect(isAuthorityHostOf(GLOBAL_CLOUD, "login.windows.net")).toBe(true);
    expect(isAuthorityHostOf(CHINA_CLOUD, "login.partner.microsoftonline.cn")).toBe(true);
    expect(isAuthorityHostOf(USGOV_CLOUD, "login.microsoftonline.com")).toBe(false);
  });
});

describe("emulator cloud", () => {
  const ready = {
    url: "http://127.0.0.1:7001",
    authorityHost: "http://127.0.0.1:7001",
    partnerCenterUrl: "http://127.0.0.1:7002",
    graphUrl: "http://127.0.0.1:7003",
    armUrl: "http://127.0.0.1:7004",
    keyVaultUrl: "http://127.0.0.1:7005/",
    partnerTenantId: "11111111-1111-1111-1111-111111111111",
    caCertPath: null,
  };

  it("keeps Microsoft's resource IDs and scopes, with the emulator's endpoints", () => {
    const c = emulatorCloud(ready);
    expect(c.name).toBe("emulator");
    expect(c.authorityHost).toBe("http://127.0.0.1:7001");
    expect(c.partnerTenantId).toBe(ready.partnerTenantId);
    for (const alias of ["partner-center", "graph", "arm", "aad-graph", "exchange", "keyvault"] as const) {
      expect(c.resources[alias].resourceId).toBe(GLOBAL_CLOUD.resources[alias].resourceId);
      expect(c.resources[alias].defaultScopes).toEqual(GLOBAL_CLOUD.resources[alias].defaultScopes);
    }
    expect(c.resources["partner-center"].endpoint).toBe("http://127.0.0.1:7002");
    expect(c.resources.keyvault.endpoint).toBe("http://127.0.0.1:7005");
    expect(resourceForUrl(c, "http://127.0.0.1:7002/v1/customers")?.alias).toBe("partner-center");
    expect(resourceForUrl(c, "http://127.0.0.1:7003/v1.0/users")?.alias).toBe("graph");
    expect(resourceForUrl(c, "http://127.0.0.1:7005/secrets/a")?.alias).toBe("keyvault");
    expect(v2Issuer(c, "t1")).toBe("http://127.0.0.1:7001/t1/v2.0");
  });

  it("rejects a malformed definition with a catalogue error", () => {
    expect(errorCode(() => emulatorCloud({ url: "x" }))).toBe("SAMKIT_CLOUD_EMULATOR_UNREADABLE");
  });
});
