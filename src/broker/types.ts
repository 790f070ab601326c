/**
 * Public shapes of the token broker (DESIGN.md "broker/"). Times: `Date` in results, epoch
 * **milliseconds** in `TokenCredential` results (its contract), seconds in options named `…Seconds`.
 */
import type { CloudDefinition } from "../cloud/types.js";
import type { HttpClient } from "../http/types.js";
import type { GrantContext, TokenSet } from "../oauth/types.js";
import type { PartnerProfile, SecretStore } from "../store/types.js";
import type { TokenCacheStore } from "./cache-types.js";

/**
 * Refresh-token rotation policy (CONTRACTS §3).
 * - `lenient` (default; Microsoft clouds, where a redeemed refresh token stays valid): keep the
 *   newest token in memory; persist it when the stored one is older than the persistence interval.
 * - `strict` (servers that revoke the whole family when an old token is replayed, e.g.
 *   oidc-provider with `rotateRefreshToken`): every redemption runs under the store's
 *   cross-process lock with the freshly re-read token, and the rotated token is persisted before
 *   the access token is returned.
 */
export type RotationPolicy = "lenient" | "strict";

/** One access-token request. */
export interface TokenRequest {
  /**
   * A resource alias of the cloud table (`partner-center`, `graph`, `arm`, `keyvault`, `exchange`,
   * `aad-graph`) or a resource URI. Default: `partner-center` when `scopes` is absent too.
   */
  readonly resource?: string;
  /**
   * Explicit v2 scopes. With `resource`, short names (`User.Read`) are prefixed with the resource URI.
   */
  readonly scopes?: readonly string[];
  /** Tenant GUID or verified domain. Default: the partner tenant of the profile. */
  readonly tenant?: string;
  /** App-only token (client credentials, RFC 6749 §4.4) instead of the partner user's delegated token. */
  readonly appOnly?: boolean;
  /**
   * Drop the cached token for this request (memory and the second-level cache) and redeem now;
   * the new token replaces it. Callers send this once after a resource answered 401.
   */
  readonly forceRefresh?: boolean;
  /**
   * Claims challenge (JSON text, decoded from a 401's `WWW-Authenticate: … claims="<base64>"`),
   * sent as the `claims` parameter of the delegated redemption. Implies `forceRefresh` (a cached
   * token cannot satisfy a challenge).
   * @see https://learn.microsoft.com/entra/identity-platform/claims-challenge
   */
  readonly claims?: string;
  /** Aborts this caller's wait; a redemption other callers share keeps running. */
  readonly abortSignal?: AbortSignal;
}

/** An access token from the broker. */
export interface BrokerToken {
  /** The access token (a secret: never log it). */
  readonly token: string;
  /** When the access token expires. */
  readonly expiresOn: Date;
  /** The scopes granted (as the server reported them; else as requested). */
  readonly scopes: readonly string[];
  /** The tenant the token is for: the token's `tid` claim when readable, else the tenant requested. */
  readonly tenantId: string;
}

/** Result of {@link TokenBroker.renewRefreshToken}. */
export interface RenewResult {
  /** True when a new refresh token was written to the store. */
  readonly persisted: boolean;
  /** Rotation time recorded with the stored token (ISO 8601), when one was written. */
  readonly rotatedAt?: string;
  /** The access token redeemed along the way (partner tenant, default resource). */
  readonly accessToken: BrokerToken;
}

/** The OAuth grants the broker uses. Default: src/oauth (openid-client), imported only on a cache miss. */
export interface BrokerGrants {
  /** Refresh-token grant (RFC 6749 §6) at `ctx.tenant`'s v2 authority. */
  redeemRefreshToken(
    ctx: GrantContext,
    refreshToken: string,
    scopes: readonly string[],
    options?: { readonly claims?: string },
  ): Promise<TokenSet>;
  /** Client-credentials grant (RFC 6749 §4.4). */
  clientCredentials(ctx: GrantContext, scopes: readonly string[]): Promise<TokenSet>;
}

/**
 * How the broker reads the profile and writes rotated refresh tokens. Default: the secret store
 * through src/store (`readProfile`, `updateRefreshToken`).
 */
export interface BrokerProfileSource {
  /** Profile name (for messages). */
  readonly name: string;
  /** Read the profile from the store now (not cached). */
  read(options?: { abortSignal?: AbortSignal }): Promise<PartnerProfile>;
  /**
   * Store `refreshToken` with rotation time `rotatedAtIso` unless the stored token is as new or
   * newer (re-read under the store lock just before writing). Returns true when it wrote.
   */
  saveRefreshToken(profile: PartnerProfile, refreshToken: string, rotatedAtIso: string): Promise<boolean>;
  /** Run `fn` under the store's cross-process lock (re-entrant within one async chain). */
  withLock<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Optional fast path for the strict policy: read only the stored refresh token and its rotation
   * time (epoch ms), not the whole profile. Called under {@link withLock}.
   */
  readRefreshToken?(): Promise<{ readonly token?: string; readonly rotatedAtMs?: number }>;
}

/** Options of {@link TokenBroker} / {@link createTokenBroker}. */
export interface TokenBrokerOptions {
  /**
   * The cloud whose authority and resources are used. It must be the cloud the profile records
   * (`PartnerProfile.cloud`; a profile without samkit metadata takes this one): otherwise every
   * redemption fails with `SAMKIT_PROFILE_CLOUD_MISMATCH` before any request.
   */
  readonly cloud: CloudDefinition;
  /** The secret store holding the profile (ignored when `profileSource` is given). */
  readonly store?: SecretStore;
  /** Profile name in the store (default `default`). */
  readonly profile?: string;
  /** Custom profile access (tests, other stores). Overrides `store` + `profile`. */
  readonly profileSource?: BrokerProfileSource;
  /**
   * The profile's client ID and partner tenant ID when already known without reading secrets.
   * Lets a warm cache answer without opening the store.
   */
  readonly identity?: { readonly clientId: string; readonly tenantId: string };
  /** The HTTP seam, or a factory called on the first redemption (keeps start-up lean). */
  readonly http: HttpClient | (() => Promise<HttpClient>);
  /** OAuth grants (default: src/oauth, lazily imported). */
  readonly grants?: BrokerGrants;
  /** Rotation policy (default `lenient`). */
  readonly rotation?: RotationPolicy;
  /** Lenient policy: persist a rotated token when the stored one is at least this old, in seconds (default 86 400 = 24 h). */
  readonly persistIntervalSeconds?: number;
  /** Redeem again this long before an access token expires, in seconds (default 300 = 5 min). */
  readonly refreshMarginSeconds?: number;
  /** Second-level cache (e.g. {@link DiskTokenCache}); `undefined` = memory only. */
  readonly cache?: TokenCacheStore;
  /** Most access tokens kept in memory (default 50 000). */
  readonly memoryCacheSize?: number;
  /**
   * Tenants (GUIDs or domains, case-insensitive) the broker may get tokens for, besides the
   * partner tenant, checked before any per-tenant token. `["*"]` (default) allows any tenant.
   */
  readonly allowedTenants?: readonly string[];
  /** Receives non-fatal warnings (e.g. a lenient persist that failed). Default: ignored. */
  readonly onWarning?: (message: string) => void;
}
