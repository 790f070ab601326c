/**
 * Identity-platform endpoint URLs, built from the cloud table only (DESIGN.md "Endpoints from
 * the cloud table only"). No discovery request is made: Microsoft's multi-tenant discovery
 * documents are not OIDC-conformant (facts/sdk-interop.md §4).
 *
 * @see https://learn.microsoft.com/entra/identity-platform/v2-protocols (endpoint table)
 */
import { v2Issuer } from "../cloud/resolve.js";
import type { CloudDefinition } from "../cloud/types.js";
import { SamkitError } from "../errors/index.js";

/** The v2 endpoints of one tenant's authority. */
export interface AuthorityEndpoints {
  /**
   * The id_token issuer when `tenant` is the tenant GUID: `v2Issuer(cloud, tenant)` from src/cloud,
   * i.e. `{issuerHost ?? authorityHost}/{tenant}/v2.0`. It is not always the authority host:
   * China signs in at login.chinacloudapi.cn but issues from login.partner.microsoftonline.cn
   * (facts/clouds.md §1; https://learn.microsoft.com/azure/china/resources-developer-guide).
   */
  readonly issuer: string;
  readonly authorizationEndpoint: string;
  readonly tokenEndpoint: string;
  readonly deviceAuthorizationEndpoint: string;
  readonly jwksUri: string;
  /** True when the authority is plain http on loopback (the emulator). */
  readonly insecureLoopback: boolean;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `tenant` is a tenant GUID (not a domain or `organizations`). */
export function isTenantGuid(tenant: string): boolean {
  return GUID.test(tenant);
}

/**
 * Checks that `authorityHost` is https, or http on 127.0.0.1 / localhost (the emulator).
 * @throws SamkitError `SAMKIT_OAUTH_INSECURE_AUTHORITY`
 */
export function checkAuthorityHost(authorityHost: string): { readonly insecureLoopback: boolean } {
  let url: URL;
  try {
    url = new URL(authorityHost);
  } catch (cause) {
    throw new SamkitError("SAMKIT_OAUTH_INSECURE_AUTHORITY", { params: { authority: authorityHost }, cause });
  }
  if (url.protocol === "https:") return { insecureLoopback: false };
  if (url.protocol === "http:" && (url.hostname === "127.0.0.1" || url.hostname === "localhost")) {
    return { insecureLoopback: true };
  }
  throw new SamkitError("SAMKIT_OAUTH_INSECURE_AUTHORITY", { params: { authority: authorityHost } });
}

/**
 * Endpoints of `{authorityHost}/{tenant}` (v2.0 paths, facts/identity-platform.md §1).
 * @param tenant Tenant GUID, verified domain, or `organizations`.
 * @throws SamkitError `SAMKIT_OAUTH_INSECURE_AUTHORITY` for a non-https, non-loopback authority.
 */
export function authorityEndpoints(cloud: CloudDefinition, tenant: string): AuthorityEndpoints {
  const { insecureLoopback } = checkAuthorityHost(cloud.authorityHost);
  const base = `${cloud.authorityHost.replace(/\/+$/, "")}/${encodeURIComponent(tenant)}`;
  return {
    issuer: v2Issuer(cloud, encodeURIComponent(tenant)),
    authorizationEndpoint: `${base}/oauth2/v2.0/authorize`,
    tokenEndpoint: `${base}/oauth2/v2.0/token`,
    deviceAuthorizationEndpoint: `${base}/oauth2/v2.0/devicecode`,
    jwksUri: `${base}/discovery/v2.0/keys`,
    insecureLoopback,
  };
}
