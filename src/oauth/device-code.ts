/**
 * Device authorization grant (RFC 8628) for headless consent. Sent as a public client (no
 * secret): Entra only allows it for apps with "Allow public client flows"
 * (`isFallbackPublicClient`), otherwise it answers AADSTS7000218.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8628
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code
 */
import * as client from "openid-client";
import { SamkitError, isSamkitError } from "../errors/index.js";
import { createOAuthConfiguration } from "./configuration.js";
import { toGrantError } from "./errors.js";
import { toTokenSet } from "./token-set.js";
import type { GrantContext, TokenSet } from "./types.js";

/** What to show the user, and how to wait for them. */
export interface DeviceCodeSession {
  readonly userCode: string;
  readonly verificationUri: string;
  /** The identity platform's own instruction text. */
  readonly message: string;
  /** Seconds the code stays valid. */
  readonly expiresIn: number;
  /** Poll interval in seconds. */
  readonly interval: number;
  /**
   * Polls until the user finishes (honouring `interval` and `slow_down`).
   * @throws SamkitError `SAMKIT_CONSENT_DEVICE_CODE_NOT_ALLOWED` (7000218),
   *   `SAMKIT_DEVICE_CODE_EXPIRED` (70019) / `SAMKIT_CONSENT_DEVICE_CODE_EXPIRED` (uncoded `expired_token`),
   *   `SAMKIT_CONSENT_DEVICE_CODE_DECLINED`, other classified identity errors
   */
  poll(): Promise<{ readonly tokens: TokenSet; readonly idToken: string | undefined }>;
}

const NOT_ALLOWED = 7000218;

function mapDeviceError(err: unknown, clientId: string): unknown {
  if (!isSamkitError(err)) return err;
  const codes = err.identity?.error_codes ?? [];
  const error = err.identity?.error;
  const keep = { cause: err, ...(err.identity ? { identity: err.identity } : {}), ...(err.status !== undefined ? { status: err.status } : {}) };
  if (err.aadsts === NOT_ALLOWED || codes.includes(NOT_ALLOWED)) {
    return new SamkitError("SAMKIT_CONSENT_DEVICE_CODE_NOT_ALLOWED", { params: { clientId }, aadsts: NOT_ALLOWED, ...keep });
  }
  // RFC 8628 §3.5 `expired_token` without an AADSTS code (the classifier maps 70019 itself).
  if (err.aadsts === undefined && error === "expired_token") return new SamkitError("SAMKIT_CONSENT_DEVICE_CODE_EXPIRED", keep);
  // A decline is identified by the OAuth `error` value (RFC 8628 §3.5 `authorization_declined`),
  // whatever AADSTS code comes with it (Entra sends 70017 alongside).
  if (error === "authorization_declined" || (err.aadsts === undefined && error === "access_denied")) {
    return new SamkitError("SAMKIT_CONSENT_DEVICE_CODE_DECLINED", { params: { error }, ...keep });
  }
  return err;
}

/**
 * Starts a device-code sign-in at `{authorityHost}/{tenant}/oauth2/v2.0/devicecode`. `ctx.client`
 * secrets/certificates are ignored (public client flow).
 * @throws SamkitError as {@link DeviceCodeSession.poll}
 */
export async function startDeviceCode(ctx: GrantContext, scopes: readonly string[]): Promise<DeviceCodeSession> {
  const publicCtx: GrantContext = { ...ctx, client: { clientId: ctx.client.clientId } };
  const tap: { idToken?: string } = {};
  const { config, endpoints } = await createOAuthConfiguration(publicCtx, { idTokenTap: tap });
  let started: client.DeviceAuthorizationResponse;
  try {
    started = await client.initiateDeviceAuthorization(config, { scope: scopes.join(" ") });
  } catch (err) {
    throw mapDeviceError(toGrantError(err, endpoints.deviceAuthorizationEndpoint, ctx.abortSignal), ctx.client.clientId);
  }
  const message = typeof started["message"] === "string" ? started["message"] : `To sign in, open ${started.verification_uri} and enter the code ${started.user_code}.`;
  return {
    userCode: started.user_code,
    verificationUri: started.verification_uri,
    message,
    expiresIn: started.expires_in,
    interval: started.interval ?? 5,
    async poll() {
      try {
        const response = await client.pollDeviceAuthorizationGrant(config, started, undefined, ctx.abortSignal ? { signal: ctx.abortSignal } : undefined);
        return { tokens: toTokenSet(response, scopes), idToken: tap.idToken };
      } catch (err) {
        throw mapDeviceError(toGrantError(err, endpoints.tokenEndpoint, ctx.abortSignal), ctx.client.clientId);
      }
    },
  };
}
