/**
 * MFA at consent (CONTRACTS §2): read from the **Partner Center access token** (v1 token,
 * `amr` array), because Microsoft's id_tokens carry no `amr`. Partner Center itself rejects
 * tokens whose `amr` lacks `mfa`.
 *
 * @see https://learn.microsoft.com/partner-center/security/partner-security-requirements-mandating-mfa
 * @see https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference (amr)
 */
import { decodeJwt } from "jose";

/** What the access token says about how the user signed in. */
export interface SignInMethods {
  /** `amr` values, empty when absent. */
  readonly amr: readonly string[];
  /** True when `amr` contains `mfa`. */
  readonly mfa: boolean;
  /** `upn` / `unique_name` / `preferred_username`, when present. */
  readonly user?: string;
  /** `tid`, when present. */
  readonly tenantId?: string;
}

/**
 * Decodes (without verifying: resource tokens are opaque to clients and this one came straight
 * from the token endpoint) the sign-in methods of an access token.
 * @returns `amr: []`, `mfa: false` for a token that is not a readable JWT.
 */
export function signInMethods(accessToken: string): SignInMethods {
  let claims: Record<string, unknown>;
  try {
    claims = decodeJwt(accessToken);
  } catch {
    return { amr: [], mfa: false };
  }
  const amr = Array.isArray(claims["amr"]) ? claims["amr"].filter((v): v is string => typeof v === "string") : [];
  const userClaim = [claims["upn"], claims["unique_name"], claims["preferred_username"]].find((v): v is string => typeof v === "string");
  const tid = typeof claims["tid"] === "string" ? claims["tid"] : undefined;
  return { amr, mfa: amr.includes("mfa"), ...(userClaim !== undefined ? { user: userClaim } : {}), ...(tid !== undefined ? { tenantId: tid } : {}) };
}
