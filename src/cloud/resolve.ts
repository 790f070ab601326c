/**
 * Look-ups over the cloud table: cloud by name, resource by alias or URI, scopes, and the
 * resource behind a full URL (used by `samkit api`). Facts: shared/facts/clouds.md.
 */
import { SamkitError } from "../errors/index.js";
import { CLOUD_NAMES, CLOUD_NAME_ALIASES, RESOURCE_ALIASES, STATIC_CLOUDS } from "./table.js";
import type { CloudDefinition, CloudName, CloudResource, ResourceAlias } from "./types.js";

/** A resource resolved in one cloud. `alias` is absent for a resource given by URI that is not in the table. */
export interface ResolvedResource {
  readonly alias?: ResourceAlias;
  /** Token audience / scope prefix, without a trailing slash. */
  readonly resourceId: string;
  /** Origin requests go to (for Key Vault in a real cloud: the service resource; vaults are `https://<name><keyVaultDnsSuffix>`). */
  readonly endpoint: string;
  /** Default v2 scopes, e.g. `["https://graph.microsoft.com/.default"]`. */
  readonly defaultScopes: readonly string[];
  /** True when Microsoft retired the resource (AAD Graph). */
  readonly retired: boolean;
}

const VALID_CLOUDS = CLOUD_NAMES.join(", ");
const VALID_RESOURCES = RESOURCE_ALIASES.join(", ");

/**
 * Normalise a cloud name (case-insensitive; PowerShell/MSAL spellings such as `AzureUSGovernment`
 * accepted) to a {@link CloudName}.
 *
 * @throws SamkitError `SAMKIT_CLOUD_RETIRED` for Germany (closed 2021-10-29);
 *   `SAMKIT_CLOUD_UNKNOWN` (listing the valid names) for anything else unknown.
 */
export function parseCloudName(name: string): CloudName {
  const key = name.trim().toLowerCase().replace(/[\s_-]/g, "");
  const found = CLOUD_NAME_ALIASES[key];
  if (found === "germany") throw new SamkitError("SAMKIT_CLOUD_RETIRED", { params: { cloud: name } });
  if (found === undefined) throw new SamkitError("SAMKIT_CLOUD_UNKNOWN", { params: { cloud: name, valid: VALID_CLOUDS } });
  return found;
}

/**
 * The static cloud definition for `name` (`global`, `usgov`, `china` and their aliases).
 * The `emulator` cloud is read from a running emulator with `loadEmulatorCloud` (or built with
 * `emulatorCloud`), so it is rejected here with `SAMKIT_CLOUD_EMULATOR_URL_MISSING`.
 *
 * @throws SamkitError `SAMKIT_CLOUD_RETIRED` (germany), `SAMKIT_CLOUD_UNKNOWN`,
 *   `SAMKIT_CLOUD_EMULATOR_URL_MISSING` (emulator).
 */
export function getCloud(name: string): CloudDefinition {
  const cloud = parseCloudName(name);
  if (cloud === "emulator") throw new SamkitError("SAMKIT_CLOUD_EMULATOR_URL_MISSING");
  return STATIC_CLOUDS[cloud];
}

function trimSlash(s: string): string {
  return s.replace(/\/+$/, "");
}

function toResolved(alias: ResourceAlias, r: CloudResource): ResolvedResource {
  return { alias, resourceId: r.resourceId, endpoint: r.endpoint, defaultScopes: r.defaultScopes, retired: r.retired === true };
}

function isResourceAlias(s: string): s is ResourceAlias {
  return (RESOURCE_ALIASES as readonly string[]).includes(s);
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Well-known first-party application IDs that name table resources (clouds.md §2). */
const APP_ID_ALIASES: Readonly<Record<string, ResourceAlias>> = {
  "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd": "partner-center",
  "00000003-0000-0000-c000-000000000000": "graph",
  "797f4846-ba00-4fd7-ba43-dac1f8f63013": "arm",
  "00000002-0000-0000-c000-000000000000": "aad-graph",
  "00000002-0000-0ff1-ce00-000000000000": "exchange",
};

/**
 * Resolve `aliasOrUri` in `cloud`: a table alias (`partner-center`, `graph`, `arm`, `aad-graph`,
 * `exchange`, `keyvault`), a well-known application ID (e.g. Graph's `00000003-…`), or a resource
 * URI (`https://…` or `api://…`). A URI naming a table resource (by resource ID, legacy ID or endpoint) resolves to that
 * entry; any other such URI or a GUID is used as given with scope `<uri>/.default`
 * (v2 `.default` scope, https://learn.microsoft.com/entra/identity-platform/scopes-oidc#the-default-scope).
 *
 * @throws SamkitError `SAMKIT_RESOURCE_UNKNOWN` (listing the aliases) for anything else.
 */
export function resolveResource(cloud: CloudDefinition, aliasOrUri: string): ResolvedResource {
  const input = aliasOrUri.trim();
  const lower = input.toLowerCase();
  if (isResourceAlias(lower)) return toResolved(lower, cloud.resources[lower]);
  const byAppId = APP_ID_ALIASES[lower];
  if (byAppId) return toResolved(byAppId, cloud.resources[byAppId]);
  if (GUID.test(input)) {
    return { resourceId: lower, endpoint: lower, defaultScopes: [`${lower}/.default`], retired: false };
  }
  let url: URL | undefined;
  try {
    url = new URL(input);
  } catch {
    url = undefined;
  }
  if (url && (url.protocol === "https:" || url.protocol === "http:" || url.protocol === "api:")) {
    const id = trimSlash(url.href).toLowerCase();
    for (const alias of RESOURCE_ALIASES) {
      const r = cloud.resources[alias];
      const ids = [r.resourceId, r.endpoint, ...(r.legacyResourceIds ?? [])].map((s) => trimSlash(s).toLowerCase());
      if (ids.includes(id)) return toResolved(alias, r);
    }
    const resourceId = trimSlash(input);
    const endpoint = url.protocol === "api:" ? resourceId : url.origin;
    return { resourceId, endpoint, defaultScopes: [`${resourceId}/.default`], retired: false };
  }
  throw new SamkitError("SAMKIT_RESOURCE_UNKNOWN", { params: { resource: aliasOrUri, valid: VALID_RESOURCES } });
}

/**
 * Default v2 scopes for a resource alias or URI in `cloud`, e.g. `partner-center` →
 * `["https://api.partnercenter.microsoft.com/user_impersonation"]`, `graph` →
 * `["https://graph.microsoft.com/.default"]`.
 *
 * @throws SamkitError `SAMKIT_RESOURCE_UNKNOWN`.
 */
export function scopesForResource(cloud: CloudDefinition, aliasOrUri: string): readonly string[] {
  return resolveResource(cloud, aliasOrUri).defaultScopes;
}

/**
 * The table resource that serves `url` in `cloud` (matched on origin; Key Vault on the vault DNS
 * suffix, e.g. `https://contoso.vault.azure.net/secrets/x` → `keyvault`). Used by `samkit api`
 * to pick the token audience for a full URL.
 *
 * @returns the resource, or `undefined` when no table entry serves that origin.
 */
export function resourceForUrl(cloud: CloudDefinition, url: string | URL): ResolvedResource | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const origin = u.origin.toLowerCase();
  for (const alias of RESOURCE_ALIASES) {
    if (alias === "aad-graph" || alias === "exchange") continue; // checked last: the emulator maps them onto Graph's listener
    const r = cloud.resources[alias];
    if (new URL(r.endpoint).origin.toLowerCase() === origin) return toResolved(alias, r);
  }
  for (const alias of ["aad-graph", "exchange"] as const) {
    const r = cloud.resources[alias];
    if (new URL(r.endpoint).origin.toLowerCase() === origin) return toResolved(alias, r);
  }
  const suffix = cloud.keyVaultDnsSuffix.toLowerCase();
  if (suffix.startsWith(".") && u.protocol === "https:" && u.hostname.toLowerCase().endsWith(suffix)) {
    return toResolved("keyvault", cloud.resources.keyvault);
  }
  return undefined;
}

/**
 * Like {@link resourceForUrl}, but throws when nothing matches.
 * @throws SamkitError `SAMKIT_RESOURCE_NOT_IN_CLOUD`.
 */
export function requireResourceForUrl(cloud: CloudDefinition, url: string | URL): ResolvedResource {
  const r = resourceForUrl(cloud, url);
  if (r) return r;
  throw new SamkitError("SAMKIT_RESOURCE_NOT_IN_CLOUD", {
    params: { cloud: cloud.name, url: String(url), valid: RESOURCE_ALIASES.map((a) => cloud.resources[a].endpoint).join(", ") },
  });
}

/**
 * The v2 id_token issuer for tenant `tid`: `{issuerHost ?? authorityHost}/{tid}/v2.0`
 * (CONTRACTS §1; China issues from `login.partner.microsoftonline.cn`, clouds.md §1).
 */
export function v2Issuer(cloud: CloudDefinition, tid: string): string {
  return `${trimSlash(cloud.issuerHost ?? cloud.authorityHost)}/${tid}/v2.0`;
}

/** True when `host` (e.g. `login.windows.net`) is an alias of `cloud`'s identity instance (clouds.md §3). */
export function isAuthorityHostOf(cloud: CloudDefinition, host: string): boolean {
  const h = host.toLowerCase();
  return new URL(cloud.authorityHost).host.toLowerCase() === h || (cloud.authorityAliases ?? []).some((a) => a.toLowerCase() === h);
}
