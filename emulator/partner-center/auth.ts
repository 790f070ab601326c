/**
 * Bearer validation for Partner Center: signature/exp/nbf/iss through the emulator's
 * `verifyBearer`, audience Partner Center (App+User) or Azure AD Graph (app-only, as PC PowerShell
 * and the REST docs obtain it), `tid` = the partner tenant, and MFA: an App+User token without
 * `amr` ∋ `mfa` gets the body-less 401.
 * @see https://learn.microsoft.com/partner-center/developer/partner-center-authentication
 * @see https://learn.microsoft.com/partner-center/security/partner-security-requirements-mandating-mfa
 */
import type { Context } from "hono";
import type { EmulatorContext } from "../context.js";
import { verifyBearer, type AccessTokenClaims } from "../tokens.js";
import { RESOURCE_URIS } from "../well-known.js";
import { apiFault, mfaRequired, PC_CODES } from "./errors.js";

/** Who is calling, once authenticated. */
export interface PartnerCenterCaller {
  readonly claims: AccessTokenClaims;
  /** True for app-only tokens (no user; exempt from the MFA rule). */
  readonly appOnly: boolean;
}

/** Audience of App+User tokens. */
const USER_AUDIENCE = RESOURCE_URIS.partnerCenter;
/** Audience of app-only tokens (Azure AD Graph, per PC PowerShell and the REST docs). */
const APP_ONLY_AUDIENCES = [RESOURCE_URIS.partnerCenter, RESOURCE_URIS.aadGraph];

/**
 * Authenticates a Partner Center request. Returns the caller, or the error response to send:
 * 401 ApiFault (code 400) for a missing/invalid token or a token of another tenant, the MFA 401
 * for App+User tokens without `mfa`.
 */
export function authenticatePartnerCenter(ctx: EmulatorContext, c: Context): PartnerCenterCaller | Response {
  const check = verifyBearer(ctx, c.req.header("authorization"), { audience: APP_ONLY_AUDIENCES });
  if (!check.ok) {
    const text = check.reason === "missing" ? "Unauthorized: Invalid Authorization header" : `Unauthorized: ${check.message}`;
    return apiFault(401, PC_CODES.accessDenied, text);
  }
  const claims = check.claims;
  const appOnly = claims.idtyp === "app";
  if (!appOnly && ctx.world.resourceApp(claims.aud) !== ctx.world.resourceApp(USER_AUDIENCE)) {
    return apiFault(401, PC_CODES.accessDenied, `Unauthorized: the token audience '${claims.aud}' is not Partner Center.`);
  }
  if (claims.tid !== ctx.world.partnerTenantId) {
    return apiFault(401, PC_CODES.accessDenied, `Unauthorized: tenant ${claims.tid} is not a Partner Center partner tenant.`);
  }
  if (!appOnly && !(claims.amr ?? []).includes("mfa")) return mfaRequired();
  return { claims, appOnly };
}
