/**
 * National-cloud table types (DESIGN.md "Endpoints from the cloud table only").
 * Facts and sources: shared/facts/clouds.md.
 */

/** Clouds samkit can use. `germany` is recognised only to be rejected (closed 2021-10-29). */
export type CloudName = "global" | "usgov" | "china" | "emulator";

/** Resource aliases accepted by `--resource` and `TokenBroker.getToken`. */
export type ResourceAlias = "partner-center" | "graph" | "arm" | "aad-graph" | "exchange" | "keyvault";

/** One Microsoft resource in one cloud. */
export interface CloudResource {
  /**
   * The resource identifier (token audience, scope prefix), e.g. `https://graph.microsoft.com`.
   * Stays Microsoft's real value in every cloud, the emulator included (CONTRACTS §1).
   */
  readonly resourceId: string;
  /** Where requests for this resource are sent (origin, no trailing slash). */
  readonly endpoint: string;
  /** Default v2 scopes for a delegated token, e.g. `["https://graph.microsoft.com/.default"]`. */
  readonly defaultScopes: readonly string[];
  /** True when Microsoft has retired it (AAD Graph). */
  readonly retired?: boolean;
  /** Older identifiers of the same resource that are still accepted as input (e.g. ARM's `https://management.core.windows.net/`). */
  readonly legacyResourceIds?: readonly string[];
}

/** Every endpoint samkit uses in one cloud. URLs are origins without a trailing slash. */
export interface CloudDefinition {
  readonly name: CloudName;
  /** Human name, e.g. "Azure US Government". */
  readonly displayName: string;
  /** Identity platform origin, e.g. `https://login.microsoftonline.com`. */
  readonly authorityHost: string;
  /**
   * Origin used in v2 issuers (`{issuerHost}/{tid}/v2.0`) when it differs from `authorityHost`
   * (China: `https://login.partner.microsoftonline.cn`). Absent: same as `authorityHost`.
   */
  readonly issuerHost?: string;
  /** Other host names of the same identity instance (instance discovery aliases, clouds.md §3). */
  readonly authorityAliases?: readonly string[];
  /** Key Vault DNS suffix, e.g. `.vault.azure.net` (for the emulator: its vault origin). */
  readonly keyVaultDnsSuffix: string;
  readonly resources: Readonly<Record<ResourceAlias, CloudResource>>;
  /** Emulator only: the partner tenant the emulator seeded. */
  readonly partnerTenantId?: string;
  /** Emulator only: CA certificate path when it serves HTTPS. */
  readonly caCertPath?: string | null;
}
