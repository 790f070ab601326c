/**
 * id_token verification with jose: RS256 signature against the authority's JWKS (fetched through
 * the HTTP seam), `iss` = the cloud's v2 issuer for the token's `tid`, `aud` = client ID,
 * `tid` = the expected (partner) tenant, `nonce` = the one sent, `exp`/`nbf` on samkit's clock.
 *
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDTokenValidation
 * @see https://learn.microsoft.com/entra/identity-platform/id-tokens#validate-tokens
 */
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import { nowMs } from "../clock.js";
import { v2Issuer } from "../cloud/resolve.js";
import type { CloudDefinition } from "../cloud/types.js";
import { SamkitError } from "../errors/index.js";
import type { HttpClient } from "../http/types.js";
import { authorityEndpoints, isTenantGuid } from "./endpoints.js";

/** The claims samkit reads from a verified id_token. */
export interface IdTokenClaims extends JWTPayload {
  readonly tid: string;
  readonly oid?: string;
  readonly preferred_username?: string;
  readonly name?: string;
  readonly nonce?: string;
}

/** Options for {@link verifyIdToken}. */
export interface VerifyIdTokenOptions {
  readonly cloud: CloudDefinition;
  readonly http: HttpClient;
  readonly clientId: string;
  /** Authority tenant whose JWKS is fetched (`{authorityHost}/{tenant}/discovery/v2.0/keys`). */
  readonly tenant: string;
  /** Tenant GUID the `tid` claim must equal (the partner tenant). Omit only when unknown. */
  readonly expectedTenantId?: string;
  /** The `nonce` sent in the authorize request; omit for flows without one (device code). */
  readonly nonce?: string;
  /** Allowed clock skew in seconds (default 300, as Microsoft's middleware). */
  readonly clockToleranceSeconds?: number;
  readonly abortSignal?: AbortSignal;
}

function invalid(detail: string, cause?: unknown): SamkitError {
  return new SamkitError("SAMKIT_CONSENT_ID_TOKEN_INVALID", { params: { detail }, cause });
}

async function fetchJwks(options: VerifyIdTokenOptions): Promise<JSONWebKeySet> {
  const { jwksUri } = authorityEndpoints(options.cloud, options.tenant);
  const res = await options.http.request({
    method: "GET",
    url: jwksUri,
    headers: { accept: "application/json" },
    service: "identity",
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
  });
  if (res.status !== 200) throw invalid(`the signing keys at ${jwksUri} answered HTTP ${res.status}`);
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch (cause) {
    throw invalid(`the signing keys at ${jwksUri} are not JSON`, cause);
  }
  if (body === null || typeof body !== "object" || !Array.isArray((body as { keys?: unknown }).keys)) {
    throw invalid(`the signing keys at ${jwksUri} are not a JWK set`);
  }
  return body as JSONWebKeySet;
}

/**
 * Verifies an id_token and returns its claims.
 * @throws SamkitError `SAMKIT_CONSENT_ID_TOKEN_INVALID` (signature, issuer, audience, nonce, time),
 *   `SAMKIT_CONSENT_WRONG_TENANT` (`tid` ≠ `expectedTenantId`), `SAMKIT_HTTP_*` (JWKS unreachable)
 */
export async function verifyIdToken(idToken: string, options: VerifyIdTokenOptions): Promise<IdTokenClaims> {
  let unverified: JWTPayload;
  try {
    unverified = decodeJwt(idToken);
  } catch (cause) {
    throw invalid("it is not a JWT", cause);
  }
  const tid = unverified["tid"];
  if (typeof tid !== "string" || !isTenantGuid(tid)) throw invalid("it has no tenant ID (tid) claim");

  const jwks = createLocalJWKSet(await fetchJwks(options));
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, jwks, {
      algorithms: ["RS256"],
      audience: options.clientId,
      issuer: v2Issuer(options.cloud, tid),
      currentDate: new Date(nowMs()),
      clockTolerance: options.clockToleranceSeconds ?? 300,
      requiredClaims: ["iss", "aud", "exp", "iat"],
    }));
  } catch (cause) {
    const code = (cause as { code?: string }).code ?? "";
    const claim = (cause as { claim?: string }).claim;
    const detail =
      code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED" || code === "ERR_JWKS_NO_MATCHING_KEY"
        ? "its signature does not match the identity platform's signing keys"
        : code === "ERR_JWT_EXPIRED"
          ? "it has expired (check this machine's clock)"
          : claim !== undefined
            ? `its ${claim} claim is wrong (${cause instanceof Error ? cause.message : String(cause)})`
            : cause instanceof Error
              ? cause.message
              : String(cause);
    throw invalid(detail, cause);
  }
  if (options.expectedTenantId !== undefined && tid.toLowerCase() !== options.expectedTenantId.toLowerCase()) {
    throw new SamkitError("SAMKIT_CONSENT_WRONG_TENANT", { params: { actual: tid, expected: options.expectedTenantId } });
  }
  if (options.nonce !== undefined && payload["nonce"] !== options.nonce) {
    throw invalid("its nonce does not match the one samkit sent (the response may be replayed)");
  }
  return payload as IdTokenClaims;
}
