/**
 * Set-up for the token broker's tests without an identity platform: a memory store holding one
 * partner profile, and fake grants that count their redemptions.
 */
import type { BrokerGrants } from "../../src/broker/types.js";
import { SamkitError } from "../../src/errors/index.js";
import type { GrantContext, TokenSet } from "../../src/oauth/types.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { writeProfile } from "../../src/store/profile.js";
import type { PartnerProfile } from "../../src/store/types.js";

/** What {@link storeWithProfile} needs: the partner, the app, and when the refresh token was rotated (ISO 8601). */
export interface TestProfile {
  readonly tenantId: string;
  readonly clientId: string;
  readonly refreshTokenRotatedAt: string;
  /** Default `s3cret-value`; `undefined` stores no secret. */
  readonly clientSecret?: string | undefined;
  /** Default `refresh-token-0000`; `undefined` stores no refresh token. */
  readonly refreshToken?: string | undefined;
}

/**
 * A {@link MemoryStore} whose `default` profile (cloud `global`) holds `p`: client secret
 * `s3cret-value` and refresh token `refresh-token-0000` unless `p` sets them (to `undefined`: left out).
 */
export async function storeWithProfile(p: TestProfile): Promise<MemoryStore> {
  const store = new MemoryStore();
  const profile: PartnerProfile = {
    profile: "default",
    cloud: "global",
    tenantId: p.tenantId,
    clientId: p.clientId,
    clientSecret: "clientSecret" in p ? p.clientSecret : "s3cret-value",
    refreshToken: "refreshToken" in p ? p.refreshToken : "refresh-token-0000",
    metadata: { refreshTokenRotatedAt: p.refreshTokenRotatedAt },
  };
  await writeProfile(store, profile);
  return store;
}

/** Fake grants of {@link countingGrants}: set `fail` to revoke; `claims` lists what each redemption was asked for. */
export type CountingGrants = BrokerGrants & { fail: boolean; claims: (string | undefined)[] };

/**
 * Fake grants: each refresh-token redemption answers `at-1`, `at-2`, … (expiring one hour after
 * `nowS`, epoch seconds) and gives the same refresh token back; it records the `claims` it was
 * asked for. With `fail` set it rejects with `SAMKIT_REFRESH_TOKEN_REVOKED` (AADSTS50173).
 * Client credentials reject (not used).
 */
export function countingGrants(nowS: number): CountingGrants {
  let n = 0;
  const grants: CountingGrants = {
    fail: false,
    claims: [],
    redeemRefreshToken(_ctx: GrantContext, rt: string, scopes: readonly string[], options?: { readonly claims?: string }): Promise<TokenSet> {
      grants.claims.push(options?.claims);
      if (grants.fail) return Promise.reject(new SamkitError("SAMKIT_REFRESH_TOKEN_REVOKED", { aadsts: 50173 }));
      return Promise.resolve({ accessToken: `at-${++n}`, tokenType: "Bearer", expiresAt: nowS + 3600, scopes, refreshToken: rt });
    },
    clientCredentials(): Promise<TokenSet> {
      return Promise.reject(new Error("not used"));
    },
  };
  return grants;
}
