/**
 * Token grants for confidential and public clients at `{authorityHost}/{tenant}/oauth2/v2.0/token`.
 * Each function builds the request with openid-client and returns the validated {@link TokenSet};
 * every failure is a SamkitError (identity errors mapped by {@link toGrantError}).
 */
import * as client from "openid-client";
import { createOAuthConfiguration } from "./configuration.js";
import { toGrantError } from "./errors.js";
import { toTokenSet } from "./token-set.js";
import type { GrantContext, TokenSet } from "./types.js";

const OIDC_SCOPES = new Set(["openid", "profile", "email"]);

/**
 * Scopes sent on a refresh: the caller's, without OIDC scopes (so no id_token is minted for a
 * redemption that does not need one), plus `offline_access` so the rotated refresh token comes back.
 */
export function refreshScopes(scopes: readonly string[]): string[] {
  const out = scopes.filter((s) => !OIDC_SCOPES.has(s));
  if (!out.includes("offline_access")) out.push("offline_access");
  return out;
}

/** Options of {@link redeemRefreshToken}. */
export interface RedeemRefreshTokenOptions {
  /**
   * A claims request (JSON text): the claims challenge of a resource's 401
   * (`WWW-Authenticate: Bearer … error="insufficient_claims", claims="<base64>"`), **decoded** from
   * base64. Sent as the token request's `claims` form parameter, so Entra issues a token that
   * satisfies the challenge (Continuous Access Evaluation, Conditional Access authentication
   * context). `undefined` or `""`: not sent.
   * @see https://learn.microsoft.com/entra/identity-platform/claims-challenge
   */
  readonly claims?: string;
}

/**
 * Redeems a refresh token for an access token (RFC 6749 §6) at `ctx.tenant`'s authority — the
 * partner tenant or any customer tenant (cross-tenant redemption, facts/identity-platform.md §9).
 * The response's rotated refresh token (`TokenSet.refreshToken`) is returned; the caller decides
 * whether to persist it (CONTRACTS §3). `openid`/`profile`/`email` are never sent, and an
 * id_token in the response is dropped unverified (never returned).
 *
 * @param scopes v2 scopes, e.g. `["https://api.partnercenter.microsoft.com/.default"]`; Entra issues
 *   the token for the first scope's resource.
 * @param options `claims`: a decoded claims challenge, sent as the `claims` parameter
 *   ({@link RedeemRefreshTokenOptions.claims}).
 * @throws SamkitError identity errors via the catalogue (e.g. AADSTS700082 expired ⇒ reconsent),
 *   `SAMKIT_OAUTH_INVALID_RESPONSE`, `SAMKIT_HTTP_*` transport errors.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#refresh-the-access-token
 * @see https://learn.microsoft.com/entra/identity-platform/claims-challenge (the `claims` parameter)
 */
export async function redeemRefreshToken(
  ctx: GrantContext,
  refreshToken: string,
  scopes: readonly string[],
  options: RedeemRefreshTokenOptions = {},
): Promise<TokenSet> {
  const { config, endpoints } = await createOAuthConfiguration(ctx, { idTokenTap: {} });
  const sent = refreshScopes(scopes);
  const parameters: Record<string, string> = { scope: sent.join(" ") };
  if (options.claims !== undefined && options.claims !== "") parameters["claims"] = options.claims;
  try {
    const response = await client.refreshTokenGrant(config, refreshToken, parameters);
    return toTokenSet(response, sent);
  } catch (err) {
    throw toGrantError(err, endpoints.tokenEndpoint, ctx.abortSignal);
  }
}

/**
 * App-only token by the client-credentials grant (RFC 6749 §4.4) with the app's secret or
 * certificate. Used to prove app credentials (`app use`, `app rotate-secret`) and for app-only
 * Graph calls.
 *
 * @param scopes Normally one `<resource>/.default` scope.
 * @throws SamkitError identity errors via the catalogue (e.g. AADSTS7000215 bad secret), 
 *   `SAMKIT_OAUTH_INVALID_RESPONSE`, `SAMKIT_OAUTH_BAD_CLIENT_CREDENTIALS`, `SAMKIT_HTTP_*`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 */
export async function clientCredentials(ctx: GrantContext, scopes: readonly string[]): Promise<TokenSet> {
  const { config, endpoints } = await createOAuthConfiguration(ctx, { idTokenTap: {} });
  try {
    const response = await client.clientCredentialsGrant(config, { scope: scopes.join(" ") });
    return toTokenSet(response, scopes);
  } catch (err) {
    throw toGrantError(err, endpoints.tokenEndpoint, ctx.abortSignal);
  }
}
