/**
 * OAuth contract shared by consent, provisioning and the broker. Mechanics come from
 * openid-client (DESIGN.md); these are samkit's shapes on top.
 */
import type { CloudDefinition } from "../cloud/types.js";
import type { HttpClient } from "../http/types.js";

/** How the app authenticates at the token endpoint (RFC 6749 §2.3; RFC 7523 for assertions). */
export interface ClientCredentials {
  readonly clientId: string;
  /** `client_secret_post`. */
  readonly clientSecret?: string;
  /** `private_key_jwt` with an X.509 certificate registered on the app. */
  readonly certificate?: { readonly privateKeyPem: string; readonly certificatePem: string };
}

/** A validated token-endpoint response. Times are epoch **seconds**. */
export interface TokenSet {
  readonly accessToken: string;
  readonly tokenType: string;
  readonly expiresAt: number;
  readonly scopes: readonly string[];
  readonly refreshToken?: string;
  readonly idToken?: string;
  /** Decoded `client_info` (`uid`, `utid` = home tenant), when present. */
  readonly clientInfo?: { readonly uid: string; readonly utid: string };
}

/** What every grant call needs. */
export interface GrantContext {
  readonly cloud: CloudDefinition;
  /** Tenant GUID or domain whose authority is used (`{authorityHost}/{tenant}/oauth2/v2.0/token`). */
  readonly tenant: string;
  readonly client: ClientCredentials;
  readonly http: HttpClient;
  readonly abortSignal?: AbortSignal;
}
