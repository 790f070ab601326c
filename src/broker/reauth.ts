/**
 * One retry with a new access token after the resource rejected the cached one (HTTP 401): the
 * shared step of the Partner Center client, the API passthrough (`samkit api`, `foreach -- api`)
 * and the Graph helpers, so a token made stale by a revocation (password reset,
 * `revokeSignInSessions`) or a continuous-access-evaluation challenge is replaced once instead of
 * being replayed until it expires.
 *
 * The retry asks the token provider for `{ ...request, forceRefresh: true, claims }`; the broker
 * then drops that cached token (memory and disk) and redeems the refresh token again. When the
 * redemption itself fails (e.g. AADSTS50173 after a revocation → `SAMKIT_REFRESH_TOKEN_REVOKED`,
 * exit 4), that error is what the caller sees. Never more than one retry per request.
 *
 * @see https://learn.microsoft.com/entra/identity-platform/claims-challenge
 * @see https://learn.microsoft.com/entra/identity/conditional-access/concept-continuous-access-evaluation
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3 (WWW-Authenticate on 401)
 */
import type { HttpResponse } from "../http/types.js";
import type { AccessTokenRequest, GetAccessToken } from "../partner-center/types.js";

/**
 * Get a token for `request`, `send` with it, and on a 401 get a forced-fresh token (with the
 * challenge's `claims`, when the 401 carries one) and `send` once more.
 *
 * @param send Sends the request with the given bearer token; must build fresh headers each call.
 * @returns The last response (a second 401 is returned as is, for the caller's error mapping).
 * @throws whatever `getToken` throws (the forced redemption's error after a 401).
 */
export async function sendWithReauth(
  getToken: GetAccessToken,
  request: AccessTokenRequest,
  send: (token: string) => Promise<HttpResponse>,
): Promise<HttpResponse> {
  const first = await send((await getToken(request)).token);
  if (first.status !== 401) return first;
  const claims = challengeClaims(first.headers["www-authenticate"]);
  const { token } = await getToken({
    ...request,
    forceRefresh: true,
    ...(claims !== undefined ? { claims } : {}),
  });
  return send(token);
}

/**
 * The `claims` of an `error="insufficient_claims"` Bearer challenge, decoded from base64 to the
 * JSON text the token endpoint's `claims` parameter takes; `undefined` when there is none.
 */
export function challengeClaims(header: string | undefined): string | undefined {
  if (header === undefined || !/error\s*=\s*"?insufficient_claims/i.test(header)) return undefined;
  const m = /claims\s*=\s*"([^"]*)"/i.exec(header);
  if (m?.[1] === undefined || m[1] === "") return undefined;
  const text = Buffer.from(m[1], "base64").toString("utf8");
  try {
    JSON.parse(text);
    return text;
  } catch {
    return undefined;
  }
}
