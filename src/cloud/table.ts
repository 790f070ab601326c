/**
 * The national-cloud table. Every endpoint samkit uses comes from here (DESIGN.md "Endpoints
 * from the cloud table only"). Values and their sources: shared/facts/clouds.md §1
 * (Partner-Center-PowerShell `EnvironmentConstants.cs`, azure-powershell-common
 * `AzureEnvironmentConstants.cs`, msal-common `AuthorityMetadata.ts`, entra-docs
 * `authentication-national-cloud.md`).
 *
 * @see https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud
 */
import type { CloudDefinition, CloudResource, ResourceAlias } from "./types.js";

/** Default v2 scopes for a resource: `<resource>/.default`. */
function dotDefault(resourceId: string): string[] {
  return [`${resourceId}/.default`];
}

function resource(resourceId: string, endpoint: string, extra: Partial<CloudResource> = {}): CloudResource {
  return { resourceId, endpoint, defaultScopes: dotDefault(resourceId), ...extra };
}

/**
 * Partner Center's delegated scope. Partner Center PowerShell requests `user_impersonation`
 * (facts/partner-center.md §1); `/.default` also works when the app has it statically.
 */
function partnerCenter(resourceId: string, endpoint: string): CloudResource {
  return { resourceId, endpoint, defaultScopes: [`${resourceId}/user_impersonation`] };
}

/** Azure public cloud. */
export const GLOBAL_CLOUD: CloudDefinition = {
  name: "global",
  displayName: "Azure (global)",
  authorityHost: "https://login.microsoftonline.com",
  authorityAliases: ["login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"],
  keyVaultDnsSuffix: ".vault.azure.net",
  resources: {
    "partner-center": partnerCenter("https://api.partnercenter.microsoft.com", "https://api.partnercenter.microsoft.com"),
    graph: resource("https://graph.microsoft.com", "https://graph.microsoft.com"),
    arm: resource("https://management.azure.com", "https://management.azure.com", {
      legacyResourceIds: ["https://management.core.windows.net"],
    }),
    "aad-graph": resource("https://graph.windows.net", "https://graph.windows.net", { retired: true }),
    exchange: resource("https://outlook.office365.com", "https://outlook.office365.com"),
    keyvault: resource("https://vault.azure.net", "https://vault.azure.net"),
  },
};

/** Azure US Government (GCC High / DoD). Partner Center host as coded in PC PowerShell (unverified). */
export const USGOV_CLOUD: CloudDefinition = {
  name: "usgov",
  displayName: "Azure US Government",
  authorityHost: "https://login.microsoftonline.us",
  authorityAliases: ["login.microsoftonline.us", "login.usgovcloudapi.net"],
  keyVaultDnsSuffix: ".vault.usgovcloudapi.net",
  resources: {
    "partner-center": partnerCenter("https://api.partnercenter.microsoft.com", "https://api.partnercenter.microsoft.com"),
    graph: resource("https://graph.microsoft.us", "https://graph.microsoft.us"),
    arm: resource("https://management.usgovcloudapi.net", "https://management.usgovcloudapi.net", {
      legacyResourceIds: ["https://management.core.usgovcloudapi.net"],
    }),
    "aad-graph": resource("https://graph.windows.net", "https://graph.windows.net", { retired: true }),
    exchange: resource("https://outlook.office365.us", "https://outlook.office365.us"),
    keyvault: resource("https://vault.usgovcloudapi.net", "https://vault.usgovcloudapi.net"),
  },
};

/**
 * Azure China (21Vianet). The authority host is PowerShell's `login.chinacloudapi.cn`; issuers
 * use the preferred network alias `login.partner.microsoftonline.cn` (clouds.md §1, §3). The
 * Partner Center resource identifier is its China endpoint (unverified).
 */
export const CHINA_CLOUD: CloudDefinition = {
  name: "china",
  displayName: "Azure China (21Vianet)",
  authorityHost: "https://login.chinacloudapi.cn",
  issuerHost: "https://login.partner.microsoftonline.cn",
  authorityAliases: ["login.partner.microsoftonline.cn", "login.chinacloudapi.cn"],
  keyVaultDnsSuffix: ".vault.azure.cn",
  resources: {
    "partner-center": partnerCenter(
      "https://partner.partnercenterapi.microsoftonline.cn",
      "https://partner.partnercenterapi.microsoftonline.cn",
    ),
    graph: resource("https://microsoftgraph.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn"),
    arm: resource("https://management.chinacloudapi.cn", "https://management.chinacloudapi.cn", {
      legacyResourceIds: ["https://management.core.chinacloudapi.cn"],
    }),
    "aad-graph": resource("https://graph.chinacloudapi.cn", "https://graph.chinacloudapi.cn", { retired: true }),
    exchange: resource("https://partner.outlook.cn", "https://partner.outlook.cn"),
    keyvault: resource("https://vault.azure.cn", "https://vault.azure.cn"),
  },
};

/** The static clouds by name. The emulator cloud is built at run time ({@link emulatorCloud}). */
export const STATIC_CLOUDS = {
  global: GLOBAL_CLOUD,
  usgov: USGOV_CLOUD,
  china: CHINA_CLOUD,
} as const satisfies Record<string, CloudDefinition>;

/** Every resource alias, in display order. */
export const RESOURCE_ALIASES: readonly ResourceAlias[] = ["partner-center", "graph", "arm", "aad-graph", "exchange", "keyvault"];

/** Every cloud name accepted by `--cloud`, in display order. */
export const CLOUD_NAMES = ["global", "usgov", "china", "emulator"] as const;

/**
 * Other names for the clouds (PowerShell / MSAL.NET / Azure CLI spellings, clouds.md §1),
 * lower-cased. Germany's names are recognised only to be rejected.
 */
export const CLOUD_NAME_ALIASES: Readonly<Record<string, "global" | "usgov" | "china" | "emulator" | "germany">> = {
  global: "global",
  public: "global",
  azurecloud: "global",
  globalcloud: "global",
  azurepublic: "global",
  azurepubliccloud: "global",
  usgov: "usgov",
  usgovernment: "usgov",
  azureusgovernment: "usgov",
  china: "china",
  chinacloud: "china",
  azurechinacloud: "china",
  azurechina: "china",
  emulator: "emulator",
  germany: "germany",
  germancloud: "germany",
  azuregermancloud: "germany",
  azuregermany: "germany",
};
