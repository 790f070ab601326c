/**
 * TokenBroker: (tenant, resource) → access token, from the partner's stored refresh token or the
 * app's own credentials (DESIGN.md "Refresh token handling", "Access-token cache").
 *
 * Redemption is at `{authorityHost}/{tenant}/oauth2/v2.0/token` for the partner or any customer
 * tenant (facts/identity-platform.md §9).
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 */
import type { TokenCredential } from "@azure/core-auth";
import { parseCloudName } from "../cloud/resolve.js";
import type { CloudDefinition } from "../cloud/types.js";
import { nowMs } from "../clock.js";
import { SamkitError } from "../errors/index.js";
import type { HttpClient } from "../http/types.js";
import type { ClientCredentials, GrantContext, TokenSet } from "../oauth/types.js";
import type { PartnerProfile } from "../store/types.js";
import { cacheKey } from "./cache-key.js";
import type { CachedToken, TokenCacheStore } from "./cache-types.js";
import { tenantIdOf } from "./claims.js";
import { BrokerCredential, type BrokerCredentialOptions } from "./credential.js";
import { loadDefaultGrants } from "./grants.js";
import { MemoryTokenCache } from "./memory-cache.js";
import { storeProfileSource } from "./profile-source.js";
import { resolveScopes } from "./scopes.js";
import { Mutex, raceAbort, SingleFlight } from "./single-flight.js";
import { normalizeTenant, TenantAllowList } from "./tenants.js";
import type {
  BrokerGrants,
  BrokerProfileSource,
  BrokerToken,
  RenewResult,
  RotationPolicy,
  TokenBrokerOptions,
  TokenRequest,
} from "./types.js";

const DEFAULT_MARGIN_SECONDS = 300;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DEFAULT_PERSIST_INTERVAL_SECONDS = 86_400;
/** After a failed lenient persist, wait this long before trying again (ms). */
const PERSIST_RETRY_MS = 5 * 60_000;

interface Resolved {
  readonly key: string;
  readonly tenant: string;
  readonly scopes: readonly string[];
  readonly appOnly: boolean;
}

/**
 * Turns the stored refresh token (or the app's credentials) into access tokens for any resource
 * in any tenant, with a two-level cache, single-flight redemption and the rotation policies of
 * CONTRACTS §3. One instance per profile; safe to share across concurrent callers.
 */
export class TokenBroker {
  readonly cloud: CloudDefinition;
  readonly rotation: RotationPolicy;
  private readonly source: BrokerProfileSource;
  private readonly httpOption: TokenBrokerOptions["http"];
  private readonly disk: TokenCacheStore | undefined;
  private readonly memory: MemoryTokenCache;
  private readonly flights = new SingleFlight<CachedToken>();
  private readonly strictMutex = new Mutex();
  private readonly allowList: TenantAllowList;
  private readonly marginMs: number;
  private readonly persistIntervalMs: number;
  private readonly warn: (message: string) => void;
  private readonly identityOption: TokenBrokerOptions["identity"];
  private grants: BrokerGrants | undefined;
  /** The HTTP seam with token-POST resets retried (built once, see {@link retryResets}). */
  private replaySafeHttp: Promise<HttpClient> | undefined;
  private httpPromise: Promise<HttpClient> | undefined;
  private profilePromise: Promise<PartnerProfile> | undefined;
  /** Lenient policy: the newest refresh token this process holds and when it was minted (epoch ms). */
  private newest: { token: string; rotatedAtMs: number } | undefined;
  /** Rotation time of the token in the store as last seen, epoch ms (`undefined` = unknown/none). */
  private storedRotatedAtMs: number | undefined;
  private persisting: Promise<void> | undefined;
  private renewing: Promise<RenewResult> | undefined;
  private persistFailedAtMs: number | undefined;
  private lastRotationMs = 0;
  /** Second-level cache writes still running (see {@link remember}). */
  private readonly diskWrites = new Set<Promise<void>>();

  constructor(options: TokenBrokerOptions) {
    this.cloud = options.cloud;
    this.rotation = options.rotation ?? "lenient";
    if (this.rotation !== "lenient" && this.rotation !== "strict") {
      throw new SamkitError("SAMKIT_INVALID_INPUT", {
        params: { detail: `Unknown rotation policy '${String(this.rotation)}' (use lenient or strict).` },
      });
    }
    if (options.profileSource !== undefined) {
      this.source = options.profileSource;
    } else if (options.store !== undefined) {
      // A profile without samkit metadata records no cloud: it is taken to be this broker's.
      this.source = storeProfileSource(options.store, options.profile ?? "default", { defaultCloud: options.cloud.name });
    } else {
      throw new SamkitError("SAMKIT_INVALID_INPUT", {
        params: { detail: "TokenBroker needs a store or a profileSource." },
      });
    }
    this.httpOption = options.http;
    this.grants = options.grants;
    this.disk = options.cache;
    this.memory = new MemoryTokenCache(options.memoryCacheSize);
    this.allowList = new TenantAllowList(options.allowedTenants ?? ["*"]);
    this.marginMs = (options.refreshMarginSeconds ?? DEFAULT_MARGIN_SECONDS) * 1000;
    this.persistIntervalMs = (options.persistIntervalSeconds ?? DEFAULT_PERSIST_INTERVAL_SECONDS) * 1000;
    this.warn = options.onWarning ?? (() => undefined);
    this.identityOption = options.identity;
  }

  /** The profile name this broker serves. */
  get profileName(): string {
    return this.source.name;
  }

  /**
   * An access token for `request` (default: Partner Center, partner tenant, delegated).
   * Served from memory, then the second-level cache, else redeemed once however many callers ask
   * at the same time. A cached token is used until `refreshMarginSeconds` before it expires.
   * With `forceRefresh` the cached token is dropped first (memory and disk), so a token a resource
   * rejected is not served again even when the redemption then fails. `claims` (a claims
   * challenge) implies `forceRefresh`: a cached token cannot satisfy it. Concurrent requests share
   * a redemption only when their claims are the same.
   *
   * @throws SamkitError `SAMKIT_BROKER_BAD_REQUEST` / `SAMKIT_RESOURCE_UNKNOWN` for bad input,
   *   `SAMKIT_BROKER_TENANT_INVALID` (`common`, `organizations`, `consumers`, not a tenant),
   *   `SAMKIT_BROKER_TENANT_NOT_ALLOWED`, `SAMKIT_BROKER_NO_REFRESH_TOKEN` (exit 4),
   *   `SAMKIT_PROFILE_CLOUD_MISMATCH` (exit 2: the profile records another cloud; nothing is sent),
   *   `SAMKIT_BROKER_NO_APP_CREDENTIAL`, `SAMKIT_BROKER_ROTATION_NOT_SAVED` (strict), the store's
   *   `SAMKIT_STORE_*` errors, and the identity errors of the grant (e.g. AADSTS700082 → re-consent).
   */
  async getToken(request: TokenRequest = {}): Promise<BrokerToken> {
    const r = await this.resolve(request);
    const claims = request.claims !== undefined && request.claims !== "" ? request.claims : undefined;
    const force = request.forceRefresh === true || claims !== undefined;
    if (!force) {
      const hit = this.memory.get(r.key);
      if (hit !== undefined && this.isFresh(hit)) return toBrokerToken(hit);
    }
    const entry = await this.flights.run(
      force ? `${r.key}|force|${claims ?? ""}` : r.key,
      async () => {
        if (force) await this.forget(r.key);
        return this.fill(r, force, claims);
      },
      request.abortSignal,
    );
    return toBrokerToken(entry);
  }

  /**
   * Redeem the refresh token at the partner tenant now and persist the rotated token whatever its
   * age (keep-alive for the 90-day inactivity window; `samkit status --renew`). Never writes an
   * older token over a newer one. `resource`/`scopes` pick the access token redeemed along the
   * way (default: Partner Center).
   *
   * @throws as {@link getToken}; `SAMKIT_BROKER_ROTATION_NOT_SAVED` when the store refuses the write.
   */
  async renewRefreshToken(
    options: Pick<TokenRequest, "resource" | "scopes" | "abortSignal"> = {},
  ): Promise<RenewResult> {
    const r = await this.resolve({
      ...(options.resource !== undefined ? { resource: options.resource } : {}),
      ...(options.scopes !== undefined ? { scopes: options.scopes } : {}),
    });
    this.renewing ??= (async () => {
      try {
        let rotatedAt: string | undefined;
        const set = await this.redeemUser(r, (iso) => (rotatedAt = iso), true);
        const entry = await this.remember(r, set);
        return {
          persisted: rotatedAt !== undefined,
          ...(rotatedAt !== undefined ? { rotatedAt } : {}),
          accessToken: toBrokerToken(entry),
        };
      } finally {
        this.renewing = undefined;
      }
    })();
    return options.abortSignal === undefined ? this.renewing : raceAbort(this.renewing, options.abortSignal);
  }

  /**
   * An `@azure/core-auth` `TokenCredential` over this broker, for Azure SDK clients (Key Vault,
   * ARM) and the Microsoft Graph client. `getToken(scopes, { tenantId })` serves `tenantId` only
   * when it is the credential's tenant or listed in `additionallyAllowedTenants`.
   */
  asTokenCredential(options: BrokerCredentialOptions = {}): TokenCredential {
    return new BrokerCredential(this, options);
  }

  /** Forget cached access tokens: memory, and the second-level cache when it has `clear()` (DiskTokenCache does). */
  async clearCache(): Promise<void> {
    this.memory.clear();
    const d = this.disk as { clear?: () => Promise<void> } | undefined;
    if (d?.clear !== undefined) await d.clear();
  }

  /** The client ID and partner tenant, without reading secrets when the caller supplied them. */
  async identity(): Promise<{ clientId: string; tenantId: string }> {
    if (this.identityOption !== undefined) {
      return { clientId: this.identityOption.clientId, tenantId: this.identityOption.tenantId.toLowerCase() };
    }
    const p = await this.profile();
    return { clientId: p.clientId, tenantId: p.tenantId.toLowerCase() };
  }

  private async resolve(request: TokenRequest): Promise<Resolved> {
    const scopes = resolveScopes(this.cloud, request).scopes;
    const appOnly = request.appOnly === true;
    const id = await this.identity();
    const tenant = normalizeTenant(request.tenant ?? id.tenantId);
    this.allowList.check(tenant, id.tenantId, "token broker", "allowedTenants");
    const effective = appOnly && request.scopes === undefined ? appScopes(scopes) : scopes;
    const key = cacheKey({
      cloud: `${this.cloud.name}@${this.cloud.authorityHost}`,
      clientId: id.clientId,
      tenant,
      scopes: effective,
      kind: appOnly ? "app" : "user",
    });
    return { key, tenant, scopes: effective, appOnly };
  }

  private isFresh(entry: CachedToken): boolean {
    return entry.expiresOnMs - this.marginMs > nowMs();
  }

  /** Drop `key`'s cached token from memory and the second-level cache (a failed delete is ignored). */
  private async forget(key: string): Promise<void> {
    this.memory.delete(key);
    await this.disk?.delete(key).catch(() => undefined);
  }

  private async fill(r: Resolved, force: boolean, claims?: string): Promise<CachedToken> {
    if (!force) {
      const hit = await this.diskHit(r.key);
      if (hit !== undefined) return hit;
    }
    if (!r.appOnly && this.rotation === "strict") {
      // Another process may have cached this key while we waited for the store lock: look again
      // under the lock before spending a redemption (and a rotation).
      const grants = await this.loadGrants();
      return this.strictMutex.run(() =>
        this.source.withLock(async () => {
          const again = force ? undefined : await this.diskHit(r.key);
          return again ?? this.remember(r, await this.redeemStrictLocked(r, grants, undefined, claims), true);
        }),
      );
    }
    const set = r.appOnly ? await this.redeemApp(r) : await this.redeemUser(r, undefined, false, claims);
    return this.remember(r, set);
  }

  /** A fresh entry from the second-level cache (copied into memory), if any. */
  private async diskHit(key: string): Promise<CachedToken | undefined> {
    if (this.disk === undefined) return undefined;
    const hit = await this.disk.get(key).catch(() => undefined);
    if (hit === undefined || !this.isFresh(hit)) return undefined;
    this.memory.set(key, hit);
    return hit;
  }

  /**
   * Cache a redeemed token: memory now, and the second-level cache in the background (the caller
   * does not wait for the disk; a failed write is logged at debug and ignored, since the token is
   * re-obtainable). With `awaitDisk` (strict policy, under the store lock) the write completes
   * before returning, so another process that takes the lock next finds the token instead of
   * redeeming (and rotating) again. {@link flush} waits for background writes.
   */
  private async remember(r: Resolved, set: TokenSet, awaitDisk = false): Promise<CachedToken> {
    const entry: CachedToken = {
      token: set.accessToken,
      expiresOnMs: set.expiresAt * 1000,
      scopes: set.scopes.length > 0 ? [...set.scopes] : [...r.scopes],
      // A tenant named by GUID is the token's tid; a domain is resolved from the token itself.
      tenantId: GUID.test(r.tenant) ? r.tenant : ((await tenantIdOf(set.accessToken)) ?? r.tenant),
    };
    this.memory.set(r.key, entry);
    if (this.disk !== undefined) {
      const write = this.disk.set(r.key, entry).catch(logCacheWriteFailure);
      this.diskWrites.add(write);
      void write.then(() => this.diskWrites.delete(write));
      if (awaitDisk) await write;
    }
    return entry;
  }

  /**
   * Wait until every second-level cache write this broker started has settled (they run in the
   * background of `getToken`). Never rejects. A CLI process exits only after pending file writes
   * finish anyway (they keep the event loop alive); call this before `process.exit()` or when a
   * test or another process must see the entries.
   */
  async flush(): Promise<void> {
    while (this.diskWrites.size > 0) await Promise.all([...this.diskWrites]);
  }

  private profile(): Promise<PartnerProfile> {
    this.profilePromise ??= this.source.read().then(
      (p) => {
        this.storedRotatedAtMs = parseIso(p.metadata.refreshTokenRotatedAt);
        return p;
      },
      (e: unknown) => {
        this.profilePromise = undefined;
        throw e;
      },
    );
    return this.profilePromise;
  }

  private http(): Promise<HttpClient> {
    const h = this.httpOption;
    this.httpPromise ??= typeof h === "function" ? h() : Promise.resolve(h);
    return this.httpPromise;
  }

  private async loadGrants(): Promise<BrokerGrants> {
    this.grants ??= await loadDefaultGrants();
    return this.grants;
  }

  /**
   * The grant context for `tenant`. With `replaySafe` (client credentials; lenient refresh, where
   * Entra keeps the redeemed refresh token valid) a connection reset on the token POST is retried
   * (CONTRACTS §8); otherwise (strict: the token may have been redeemed and rotated before the
   * reset) it is not. Authorization-code redemption never goes through the broker.
   * @throws SamkitError `SAMKIT_PROFILE_CLOUD_MISMATCH` when the profile belongs to another cloud
   * @see https://learn.microsoft.com/entra/identity-platform/refresh-tokens
   */
  private async grantContext(tenant: string, profile: PartnerProfile, replaySafe: boolean): Promise<GrantContext> {
    // Every grant gets the profile's credentials here, so this one check covers them all.
    this.assertSameCloud(profile);
    const http = await this.http();
    return { cloud: this.cloud, tenant, client: clientOf(profile), http: replaySafe ? await (this.replaySafeHttp ??= retryResets(http)) : http };
  }

  /**
   * The profile's secrets go only to the cloud it was consented in: a refresh token or client
   * secret of one cloud is never sent to another cloud's (or an emulator's) token endpoint.
   * @throws SamkitError `SAMKIT_PROFILE_CLOUD_MISMATCH` (exit 2) before any request
   */
  private assertSameCloud(profile: PartnerProfile): void {
    if (cloudKey(profile.cloud) === cloudKey(this.cloud.name)) return;
    throw new SamkitError("SAMKIT_PROFILE_CLOUD_MISMATCH", {
      params: { profile: this.source.name, recorded: profile.cloud, cloud: this.cloud.name },
    });
  }

  /**
   * `SAMKIT_BROKER_ROTATION_NOT_SAVED` under this broker's policy, with the store's own error
   * (`cause`; its code and message in the text) or, without one, why nothing was written.
   */
  private notSaved(cause: unknown): SamkitError {
    const detail =
      cause === undefined
        ? "the store already held a newer refresh token."
        : cause instanceof SamkitError
          ? `${cause.code}: ${cause.message}`
          : cause instanceof Error
            ? cause.message
            : typeof cause === "string"
              ? cause
              : "unknown error";
    return new SamkitError("SAMKIT_BROKER_ROTATION_NOT_SAVED", {
      params: { policy: this.rotation, detail },
      ...(cause !== undefined ? { cause } : {}),
    });
  }

  /** A rotation time strictly after every one this process has seen (the clock may be pinned). */
  private nextRotationMs(): number {
    const floor = Math.max(this.lastRotationMs, this.storedRotatedAtMs ?? 0, this.newest?.rotatedAtMs ?? 0);
    this.lastRotationMs = Math.max(nowMs(), floor + 1);
    return this.lastRotationMs;
  }

  private async redeemApp(r: Resolved): Promise<TokenSet> {
    const profile = await this.profile();
    if (profile.clientSecret === undefined && profile.certificate === undefined) {
      throw new SamkitError("SAMKIT_BROKER_NO_APP_CREDENTIAL", { params: { profile: this.source.name } });
    }
    const grants = await this.loadGrants();
    return grants.clientCredentials(await this.grantContext(r.tenant, profile, true), r.scopes);
  }

  /**
   * Delegated redemption under the rotation policy. `persistNow` (renew) writes the rotated token
   * whatever the interval; `onPersisted` receives the rotation time written.
   */
  private async redeemUser(
    r: Resolved,
    onPersisted: ((iso: string) => void) | undefined,
    persistNow: boolean,
    claims?: string,
  ): Promise<TokenSet> {
    const grants = await this.loadGrants();
    if (this.rotation === "strict") return this.redeemStrict(r, grants, onPersisted, claims);

    const profile = await this.profile();
    const rt = this.newest?.token ?? profile.refreshToken;
    if (rt === undefined || rt === "")
      throw new SamkitError("SAMKIT_BROKER_NO_REFRESH_TOKEN", { params: { profile: this.source.name } });
    const ctx = await this.grantContext(r.tenant, profile, true);
    const set =
      claims === undefined
        ? await grants.redeemRefreshToken(ctx, rt, r.scopes)
        : await grants.redeemRefreshToken(ctx, rt, r.scopes, { claims });
    if (set.refreshToken !== undefined && set.refreshToken !== "" && set.refreshToken !== rt) {
      const at = this.nextRotationMs();
      if (this.newest === undefined || at >= this.newest.rotatedAtMs)
        this.newest = { token: set.refreshToken, rotatedAtMs: at };
      const stale =
        this.storedRotatedAtMs === undefined || at - this.storedRotatedAtMs >= this.persistIntervalMs;
      if (persistNow) {
        const iso = await this.persistNewest(profile, true);
        if (iso !== undefined) onPersisted?.(iso);
      } else if (
        stale &&
        (this.persistFailedAtMs === undefined || nowMs() - this.persistFailedAtMs >= PERSIST_RETRY_MS)
      ) {
        await this.persistNewest(profile, false);
      }
    }
    return set;
  }

  /**
   * Lenient persistence of the newest token (one write at a time in this process). Returns the
   * rotation time written, or `undefined` when the store already held a newer token or (lenient,
   * not `mustSucceed`) the write failed and was reported as a warning.
   */
  private async persistNewest(profile: PartnerProfile, mustSucceed: boolean): Promise<string | undefined> {
    while (this.persisting !== undefined) await this.persisting.catch(() => undefined);
    const newest = this.newest;
    if (newest === undefined) return undefined;
    const iso = new Date(newest.rotatedAtMs).toISOString();
    let written = false;
    const p = (async () => {
      written = await this.source.saveRefreshToken(profile, newest.token, iso);
    })();
    this.persisting = p;
    try {
      await p;
      this.persistFailedAtMs = undefined;
    } catch (e) {
      if (mustSucceed) throw this.notSaved(e);
      this.persistFailedAtMs = nowMs();
      this.warn(
        `could not save the rotated refresh token (will retry later): ${e instanceof Error ? e.message : String(e)}`,
      );
      return undefined;
    } finally {
      this.persisting = undefined;
    }
    if (written) {
      this.storedRotatedAtMs = Math.max(this.storedRotatedAtMs ?? 0, newest.rotatedAtMs);
      return iso;
    }
    // The store holds a token at least as new (another process rotated): adopt it.
    const fresh = await this.source.read();
    const at = parseIso(fresh.metadata.refreshTokenRotatedAt);
    this.storedRotatedAtMs = at;
    if (fresh.refreshToken !== undefined && at !== undefined && at >= newest.rotatedAtMs) {
      this.newest = { token: fresh.refreshToken, rotatedAtMs: at };
    }
    return undefined;
  }

  /**
   * Strict policy: one redemption at a time in this process and across processes (store lock);
   * the token is re-read under the lock, redeemed once, and its rotated successor persisted before
   * the lock is released. A token is therefore never redeemed twice.
   */
  private redeemStrict(
    r: Resolved,
    grants: BrokerGrants,
    onPersisted: ((iso: string) => void) | undefined,
    claims?: string,
  ): Promise<TokenSet> {
    return this.strictMutex.run(() =>
      this.source.withLock(() => this.redeemStrictLocked(r, grants, onPersisted, claims)),
    );
  }

  /** The body of {@link redeemStrict}; the caller holds the in-process mutex and the store lock. */
  private async redeemStrictLocked(
    r: Resolved,
    grants: BrokerGrants,
    onPersisted: ((iso: string) => void) | undefined,
    claims?: string,
  ): Promise<TokenSet> {
    // The app's credentials do not change between redemptions; the refresh token is re-read now,
    // under the lock, because another process may have rotated it.
    let profile: PartnerProfile;
    let rt: string | undefined;
    if (this.source.readRefreshToken !== undefined) {
      profile = await this.profile();
      const stored = await this.source.readRefreshToken();
      rt = stored.token;
      this.storedRotatedAtMs = stored.rotatedAtMs;
    } else {
      profile = await this.source.read();
      rt = profile.refreshToken;
      this.storedRotatedAtMs = parseIso(profile.metadata.refreshTokenRotatedAt);
    }
    if (rt === undefined || rt === "")
      throw new SamkitError("SAMKIT_BROKER_NO_REFRESH_TOKEN", { params: { profile: this.source.name } });
    const ctx = await this.grantContext(r.tenant, profile, false);
    const set =
      claims === undefined
        ? await grants.redeemRefreshToken(ctx, rt, r.scopes)
        : await grants.redeemRefreshToken(ctx, rt, r.scopes, { claims });
    if (set.refreshToken !== undefined && set.refreshToken !== "" && set.refreshToken !== rt) {
      const iso = new Date(this.nextRotationMs()).toISOString();
      let written: boolean;
      try {
        written = await this.source.saveRefreshToken(profile, set.refreshToken, iso);
      } catch (e) {
        throw this.notSaved(e);
      }
      if (!written) throw this.notSaved(undefined);
      this.storedRotatedAtMs = Date.parse(iso);
      onPersisted?.(iso);
    }
    return set;
  }
}

/** Create a {@link TokenBroker}. Same as `new TokenBroker(options)`. */
export function createTokenBroker(options: TokenBrokerOptions): TokenBroker {
  return new TokenBroker(options);
}

function toBrokerToken(e: CachedToken): BrokerToken {
  return { token: e.token, expiresOn: new Date(e.expiresOnMs), scopes: e.scopes, tenantId: e.tenantId };
}

function clientOf(p: PartnerProfile): ClientCredentials {
  return {
    clientId: p.clientId,
    ...(p.clientSecret !== undefined ? { clientSecret: p.clientSecret } : {}),
    ...(p.certificate !== undefined
      ? {
          certificate: {
            privateKeyPem: p.certificate.privateKeyPem,
            certificatePem: p.certificate.certificatePem,
          },
        }
      : {}),
  };
}

/** Client credentials need `<resource>/.default` (Microsoft rejects named scopes for app-only tokens). */
function appScopes(scopes: readonly string[]): string[] {
  return [...new Set(scopes.map((s) => (/\/\.default$/i.test(s) ? s : s.replace(/\/[^/]*$/, "/.default"))))];
}

/**
 * `http` with connection resets of non-idempotent requests retried (token POSTs that are safe to
 * replay). Requests that opt out of retries (`retry: false`) stay unretried. The fetch adapter is
 * loaded only when a token is redeemed, not on the warm cache path.
 */
async function retryResets(http: HttpClient): Promise<HttpClient> {
  const { createFetch } = await import("../http/fetch-adapter.js");
  const request: HttpClient["request"] = (req) =>
    http.request(req.retry === false ? req : { ...req, retry: { ...req.retry, retryResetsForNonIdempotent: true } });
  return { request, fetch: createFetch(request, "identity") };
}

/** A failed background cache write: debug log only (pino is loaded only when this happens). */
async function logCacheWriteFailure(e: unknown): Promise<void> {
  try {
    const { getLogger } = await import("../log/logger.js");
    getLogger().debug({ err: e instanceof Error ? e.message : String(e) }, "could not write the token cache");
  } catch {
    // logging must not fail the caller
  }
}

/** A cloud name in canonical form (`AzureUSGovernment` → `usgov`); unknown names compare as written, lower-cased. */
function cloudKey(name: string): string {
  try {
    return parseCloudName(name);
  } catch {
    return name.trim().toLowerCase();
  }
}

function parseIso(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}
