/**
 * `@azure/core-auth` `TokenCredential` over the broker, so Azure SDK clients (Key Vault, ARM) and
 * the Microsoft Graph client authenticate with samkit's tokens, including per-call `tenantId`
 * (a Key Vault challenge names the vault's tenant, facts/sdk-interop.md §3).
 *
 * @see https://learn.microsoft.com/javascript/api/@azure/core-auth/tokencredential
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import type { BrokerToken, TokenRequest } from "./types.js";
import { normalizeTenant, TenantAllowList } from "./tenants.js";

/** The broker surface the credential needs. */
export interface CredentialBroker {
  getToken(request: TokenRequest): Promise<BrokerToken>;
  identity(): Promise<{ clientId: string; tenantId: string }>;
}

/** Options of `TokenBroker.asTokenCredential`. */
export interface BrokerCredentialOptions {
  /** The credential's own tenant (GUID or domain). Default: the partner tenant. */
  readonly tenant?: string;
  /**
   * Other tenants a caller may name in `getToken(…, { tenantId })` (GUIDs or domains); `["*"]`
   * allows any. Default: none, as in the Azure SDK: a challenge naming another tenant is refused
   * with `SAMKIT_BROKER_TENANT_NOT_ALLOWED` before any token is requested.
   */
  readonly additionallyAllowedTenants?: readonly string[];
  /** App-only tokens (client credentials) instead of delegated ones. */
  readonly appOnly?: boolean;
  /** Suggest a refresh this long before expiry, in seconds (`refreshAfterTimestamp`; default 300). */
  readonly refreshMarginSeconds?: number;
}

/** A `TokenCredential` backed by a TokenBroker. */
export class BrokerCredential implements TokenCredential {
  private readonly allow: TenantAllowList;

  constructor(
    private readonly broker: CredentialBroker,
    private readonly options: BrokerCredentialOptions = {},
  ) {
    this.allow = new TenantAllowList(options.additionallyAllowedTenants ?? []);
  }

  /**
   * @param scopes v2 scopes, e.g. `https://vault.azure.net/.default`.
   * @param options `tenantId` (checked against the allow-list), `abortSignal`, `claims` (a CAE
   *   claims challenge, decoded JSON: drops the cached token and redeems a fresh one, passing the
   *   claims to grants that take them).
   * @returns `{ token, expiresOnTimestamp }` with `expiresOnTimestamp` in epoch **milliseconds**.
   * @throws SamkitError as `TokenBroker.getToken`, and `SAMKIT_BROKER_TENANT_NOT_ALLOWED`.
   */
  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    const home = (this.options.tenant ?? (await this.broker.identity()).tenantId).toLowerCase();
    let tenant = home;
    if (options.tenantId !== undefined && options.tenantId !== "") {
      tenant = normalizeTenant(options.tenantId);
      this.allow.check(tenant, home, "credential", "additionallyAllowedTenants");
    }
    const signal = toAbortSignal(options.abortSignal);
    const t = await this.broker.getToken({
      scopes: Array.isArray(scopes) ? scopes : [scopes],
      tenant,
      ...(this.options.appOnly === true ? { appOnly: true } : {}),
      ...(options.claims !== undefined && options.claims !== "" ? { forceRefresh: true, claims: options.claims } : {}),
      ...(signal !== undefined ? { abortSignal: signal } : {}),
    });
    const expiresOnTimestamp = t.expiresOn.getTime();
    const margin = (this.options.refreshMarginSeconds ?? 300) * 1000;
    return { token: t.token, expiresOnTimestamp, refreshAfterTimestamp: Math.max(0, expiresOnTimestamp - margin), tokenType: "Bearer" };
  }
}

/** Adapt the Azure SDK's `AbortSignalLike` to a real `AbortSignal`. */
function toAbortSignal(s: GetTokenOptions["abortSignal"]): AbortSignal | undefined {
  if (s === undefined) return undefined;
  if (s instanceof AbortSignal) return s;
  const c = new AbortController();
  if (s.aborted) c.abort();
  else s.addEventListener("abort", () => c.abort(), { once: true });
  return c.signal;
}
