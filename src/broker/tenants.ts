/**
 * Tenant names accepted by the broker and the tenant allow-list (the Azure SDK's
 * `additionallyAllowedTenants` idea: a token for another tenant only when the caller said so).
 *
 * @see https://learn.microsoft.com/javascript/api/@azure/identity/clientsecretcredentialoptions#@azure-identity-clientsecretcredentialoptions-additionallyallowedtenants
 */
import { SamkitError } from "../errors/index.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** True for a tenant GUID (lower- or upper-case). */
export function isGuid(s: string): boolean {
  return GUID.test(s.toLowerCase());
}

/** Authority aliases that sign users in but name no tenant: a token is always issued for one tenant. */
const SIGN_IN_ENDPOINTS: ReadonlySet<string> = new Set(["common", "organizations", "consumers"]);

/**
 * Lower-case and validate a tenant: a GUID or a DNS domain (`contoso.onmicrosoft.com`).
 * `common`, `organizations` and `consumers` are refused: they are multi-tenant sign-in endpoints,
 * and a token must name one tenant. The one check for the library (broker, TokenCredential) and
 * the CLI (`samkit token --tenant`), so both report the same code.
 * @throws SamkitError `SAMKIT_BROKER_TENANT_INVALID` (action `fix-input`, exit 2), its message
 *   naming the value and its next step asking for a tenant GUID or verified domain.
 * @see https://learn.microsoft.com/entra/identity-platform/v2-protocols (the `{tenant}` path segment: a GUID, a domain, or one of these aliases)
 */
export function normalizeTenant(tenant: string): string {
  const t = tenant.trim().toLowerCase();
  if (GUID.test(t) || DOMAIN.test(t)) return t;
  const detail = SIGN_IN_ENDPOINTS.has(t)
    ? `'${tenant}' is not a tenant: it is a multi-tenant sign-in endpoint, and a token names one tenant.`
    : `'${tenant}' is not a tenant ID (GUID) or domain.`;
  throw new SamkitError("SAMKIT_BROKER_TENANT_INVALID", { params: { detail } });
}

/** A compiled allow-list. */
export class TenantAllowList {
  private readonly any: boolean;
  private readonly set: ReadonlySet<string>;

  /** @param entries tenant GUIDs or domains; `"*"` allows any tenant. */
  constructor(entries: readonly string[]) {
    this.any = entries.includes("*");
    this.set = new Set(entries.filter((e) => e !== "*").map((e) => e.trim().toLowerCase()));
  }

  /** True when `tenant` (normalized) is allowed; `alwaysAllowed` (the home tenant) always is. */
  allows(tenant: string, alwaysAllowed?: string): boolean {
    return this.any || tenant === alwaysAllowed?.toLowerCase() || this.set.has(tenant);
  }

  /**
   * @throws SamkitError `SAMKIT_BROKER_TENANT_NOT_ALLOWED` naming who refused and which option to change.
   */
  check(tenant: string, alwaysAllowed: string | undefined, who: string, option: string): void {
    if (!this.allows(tenant, alwaysAllowed)) {
      throw new SamkitError("SAMKIT_BROKER_TENANT_NOT_ALLOWED", { params: { tenant, who, option } });
    }
  }
}
