/**
 * The one parser from an openid-client token response (already checked by openid-client:
 * `access_token`, `token_type`, numeric `expires_in`) to samkit's {@link TokenSet}.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow#successful-response-2
 */
import type { TokenEndpointResponse } from "openid-client";
import { nowSeconds } from "../clock.js";
import type { TokenSet } from "./types.js";

/** Lifetime assumed when a server omits `expires_in` (RFC 6749 §5.1 makes it RECOMMENDED), seconds. */
export const DEFAULT_EXPIRES_IN_SECONDS = 3600;

/** Decodes Entra's `client_info` (base64url JSON `{uid, utid}`); `undefined` when absent or malformed. */
export function decodeClientInfo(value: unknown): { uid: string; utid: string } | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
    if (parsed !== null && typeof parsed === "object") {
      const { uid, utid } = parsed as Record<string, unknown>;
      if (typeof uid === "string" && typeof utid === "string") return { uid, utid };
    }
  } catch {
    // malformed client_info is ignored, as MSAL does for accounts without it
  }
  return undefined;
}

/**
 * Builds a {@link TokenSet}. `scope` absent ⇒ the requested scopes are assumed (RFC 6749 §5.1).
 * @param requestedScopes What was asked for.
 * @param idToken An id_token to attach (only after the caller verified it).
 */
export function toTokenSet(response: TokenEndpointResponse, requestedScopes: readonly string[], idToken?: string): TokenSet {
  const expiresIn = typeof response.expires_in === "number" ? response.expires_in : DEFAULT_EXPIRES_IN_SECONDS;
  const scopes = typeof response.scope === "string" && response.scope.trim() !== "" ? response.scope.trim().split(/\s+/) : [...requestedScopes];
  const clientInfo = decodeClientInfo(response["client_info"]);
  return {
    accessToken: response.access_token,
    // openid-client lower-cases token_type; Entra sends "Bearer".
    tokenType: response.token_type === "bearer" ? "Bearer" : response.token_type,
    expiresAt: nowSeconds() + Math.floor(expiresIn),
    scopes,
    ...(response.refresh_token !== undefined ? { refreshToken: response.refresh_token } : {}),
    ...(idToken !== undefined ? { idToken } : {}),
    ...(clientInfo !== undefined ? { clientInfo } : {}),
  };
}
