/**
 * Authorization request (authorization code + PKCE S256, `state`, `nonce`) and its redemption.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 * @see https://www.rfc-editor.org/rfc/rfc7636 (PKCE)
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow
 */
import * as client from "openid-client";
import { createOAuthConfiguration } from "./configuration.js";
import { identityError, toGrantError } from "./errors.js";
import type { HttpClient, HttpResponse } from "../http/types.js";
import { toTokenSet } from "./token-set.js";
import type { GrantContext, TokenSet } from "./types.js";

/** Everything needed later to check the callback and redeem the code. Keep it in memory only. */
export interface AuthorizationRequest {
  /** The URL to open in a browser. */
  readonly url: URL;
  readonly redirectUri: string;
  readonly state: string;
  readonly nonce: string;
  /** PKCE `code_verifier` (secret until redeemed). */
  readonly codeVerifier: string;
  readonly scopes: readonly string[];
}

/** Options for {@link createAuthorizationRequest}. */
export interface AuthorizationRequestOptions {
  /** Exactly as it will be sent at redemption, e.g. `http://localhost:53121`. */
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  /** `login` · `consent` · `select_account` · `none` (Entra `prompt`). Default: none sent. */
  readonly prompt?: string;
  readonly loginHint?: string;
}

/**
 * Builds the authorize URL at `{authorityHost}/{tenant}/oauth2/v2.0/authorize` with
 * `response_type=code`, `response_mode=query`, PKCE S256, and fresh random `state` and `nonce`.
 * @throws SamkitError `SAMKIT_OAUTH_INSECURE_AUTHORITY`
 */
export async function createAuthorizationRequest(ctx: GrantContext, options: AuthorizationRequestOptions): Promise<AuthorizationRequest> {
  // Client auth is irrelevant for the URL; build a public configuration so no key is loaded here.
  const { config } = await createOAuthConfiguration({ ...ctx, client: { clientId: ctx.client.clientId } });
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const params: Record<string, string> = {
    response_type: "code",
    response_mode: "query",
    redirect_uri: options.redirectUri,
    scope: options.scopes.join(" "),
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    state,
    nonce,
  };
  if (options.prompt !== undefined) params["prompt"] = options.prompt;
  if (options.loginHint !== undefined) params["login_hint"] = options.loginHint;
  const url = client.buildAuthorizationUrl(config, params);
  return { url, redirectUri: options.redirectUri, state, nonce, codeVerifier, scopes: [...options.scopes] };
}

/** A code-grant result: the tokens plus the raw id_token, which the caller must verify ({@link verifyIdToken}). */
export interface CodeRedemption {
  readonly tokens: TokenSet;
  /** Unverified until passed through `verifyIdToken`. */
  readonly idToken: string | undefined;
}

/**
 * Redeems an authorization code (RFC 6749 §4.1.3) with the PKCE verifier and the same
 * `redirect_uri` string as the authorize request, authenticating with `ctx.client` (secret,
 * certificate, or none for public clients). Not retried: codes are single-use (AADSTS54005).
 * @throws SamkitError identity errors via the catalogue (50011 redirect, 501481 PKCE, …),
 *   `SAMKIT_OAUTH_INVALID_RESPONSE`
 */
export async function redeemAuthorizationCode(ctx: GrantContext, request: AuthorizationRequest, code: string): Promise<CodeRedemption> {
  const tap: { idToken?: string } = {};
  const { config, endpoints } = await createOAuthConfiguration(ctx, { idTokenTap: tap, retry: false });
  try {
    // genericGrantRequest (not authorizationCodeGrant) so redirect_uri is byte-for-byte the one
    // sent at authorize; the callback's state was checked by the loopback receiver.
    const response = await client.genericGrantRequest(config, "authorization_code", {
      code,
      redirect_uri: request.redirectUri,
      code_verifier: request.codeVerifier,
      scope: request.scopes.join(" "),
    });
    return { tokens: toTokenSet(response, request.scopes), idToken: tap.idToken };
  } catch (err) {
    throw toGrantError(err, endpoints.tokenEndpoint, ctx.abortSignal);
  }
}

/**
 * Asks the authorize endpoint for the URL once, without a browser, so a request it refuses
 * outright is reported at once instead of after the loopback timeout. Entra (and the emulator)
 * answer an unregistered redirect URI (AADSTS50011) or an unknown client (700016) with an error
 * page and never redirect. Only a 4xx answer naming an `AADSTSnnnn` code counts; anything else,
 * including a network failure, is ignored (the browser will show it).
 * @throws SamkitError the classified identity error (e.g. `SAMKIT_REDIRECT_URI_NOT_REGISTERED`)
 */
export async function probeAuthorizationUrl(http: HttpClient, url: URL, abortSignal?: AbortSignal): Promise<void> {
  let res: HttpResponse;
  try {
    res = await http.request({ method: "GET", url, headers: { accept: "text/html" }, service: "identity", retry: false, timeoutMs: 15_000, ...(abortSignal ? { abortSignal } : {}) });
  } catch {
    return;
  }
  if (res.status < 400 || res.status > 499) return;
  const m = /AADSTS(\d{4,8})\s*:\s*([^<\r\n]*)/.exec(res.text);
  if (m?.[1] === undefined) return;
  throw identityError({ error: "invalid_request", error_description: `AADSTS${m[1]}: ${m[2] ?? ""}`.trim(), error_codes: [Number(m[1])] }, res.status);
}
