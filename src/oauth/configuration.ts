/**
 * Builds an openid-client `Configuration` for one tenant's authority from the cloud table (no
 * discovery request), wired to the HTTP seam (`customFetch` = `HttpClient.fetch`) and to
 * samkit's clock (`clockSkew`, so `SAMKIT_TEST_NOW` moves openid-client's JWT time checks too).
 *
 * @see https://github.com/panva/openid-client/blob/v6.x/docs/classes/Configuration.md
 */
import * as client from "openid-client";
import { nowSeconds } from "../clock.js";
import { createFetch } from "../http/fetch-adapter.js";
import type { HttpResponse } from "../http/types.js";
import { authorityEndpoints, type AuthorityEndpoints } from "./endpoints.js";
import { clientAuthFor } from "./client-auth.js";
import type { GrantContext } from "./types.js";

/** Collects the `id_token` a token response carried, after removing it from what openid-client sees. */
export interface IdTokenTap {
  idToken?: string;
}

/** Options for {@link createOAuthConfiguration}. */
export interface OAuthConfigurationOptions {
  /**
   * Remove `id_token` from token responses before openid-client validates them, storing it
   * here instead. samkit verifies id_tokens itself (signature, `iss` per `tid`, `aud`, `nonce`:
   * {@link verifyIdToken}) because Entra's issuer depends on the `tid` claim, which openid-client
   * cannot check for an authority named by domain. The refresh and client-credentials grants
   * strip and discard it: the broker never uses an id_token.
   */
  readonly idTokenTap?: IdTokenTap;
  /** Request timeout in seconds applied by openid-client (default 30). */
  readonly timeoutSeconds?: number;
  /**
   * `false`: send token requests once, without the seam's 429/5xx retries — for single-use
   * authorization codes (AADSTS54005 on reuse). Default `true` (the seam's policy, CONTRACTS §8).
   */
  readonly retry?: boolean;
}

/** A configuration plus the endpoints it was built from. */
export interface OAuthConfiguration {
  readonly config: client.Configuration;
  readonly endpoints: AuthorityEndpoints;
}

/**
 * Take `id_token` out of a successful JSON token response body, into `tap`. Any other body (an
 * error, not JSON, no `id_token`) is returned unchanged.
 */
function stripIdToken(text: string, response: HttpResponse, tap: IdTokenTap): string {
  const type = response.headers["content-type"] ?? "";
  if (response.status < 200 || response.status > 299 || !type.toLowerCase().includes("json") || !text.includes('"id_token"')) return text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text;
  }
  if (json === null || typeof json !== "object" || Array.isArray(json) || !("id_token" in json)) return text;
  const body = json as Record<string, unknown>;
  if (typeof body["id_token"] === "string") tap.idToken = body["id_token"];
  delete body["id_token"];
  return JSON.stringify(body);
}

/**
 * An openid-client configuration for `{cloud.authorityHost}/{ctx.tenant}` with the client
 * authentication of `ctx.client` (secret ⇒ `client_secret_post`, certificate ⇒
 * `private_key_jwt`, neither ⇒ public client).
 *
 * @throws SamkitError `SAMKIT_OAUTH_INSECURE_AUTHORITY`, `SAMKIT_OAUTH_BAD_CLIENT_CREDENTIALS`
 */
export async function createOAuthConfiguration(
  ctx: GrantContext,
  options: OAuthConfigurationOptions = {},
): Promise<OAuthConfiguration> {
  const endpoints = authorityEndpoints(ctx.cloud, ctx.tenant);
  const auth = await clientAuthFor(ctx.client, endpoints.tokenEndpoint);
  const server: client.ServerMetadata = {
    issuer: endpoints.issuer,
    authorization_endpoint: endpoints.authorizationEndpoint,
    token_endpoint: endpoints.tokenEndpoint,
    device_authorization_endpoint: endpoints.deviceAuthorizationEndpoint,
    jwks_uri: endpoints.jwksUri,
  };
  const metadata: Partial<client.ClientMetadata> = {
    [client.clockSkew]: nowSeconds() - Math.floor(Date.now() / 1000),
  };
  const config = new client.Configuration(server, ctx.client.clientId, metadata, auth);
  if (endpoints.insecureLoopback) client.allowInsecureRequests(config);
  if (options.timeoutSeconds !== undefined) config.timeout = options.timeoutSeconds;
  const tap = options.idTokenTap ?? {};
  const http = ctx.http;
  const send = createFetch((req) => http.request(options.retry === false ? { ...req, retry: false } : req), "identity", {
    mapText: (text, response) => stripIdToken(text, response, tap),
  });
  config[client.customFetch] = (url, init) => {
    const signals = [init.signal, ctx.abortSignal].filter((s): s is AbortSignal => s !== undefined);
    const body = init.body instanceof URLSearchParams ? init.body.toString() : init.body;
    return send(url, {
      method: init.method,
      headers: init.headers,
      body: body as RequestInit["body"],
      redirect: "manual",
      ...(signals.length > 0 ? { signal: signals.length === 1 ? signals[0] : AbortSignal.any(signals) } : {}),
    });
  };
  return { config, endpoints };
}
