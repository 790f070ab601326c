/**
 * `samkit consent` as a library: the partner admin signs in with MFA (browser + loopback, or
 * device code), samkit verifies the id_token and the MFA claim of the Partner Center access token
 * (CONTRACTS §2), then stores the refresh token with its metadata in the profile.
 *
 * @see https://learn.microsoft.com/partner-center/developer/enable-secure-app-model
 */
import { nowMs } from "../clock.js";
import type { CloudDefinition } from "../cloud/types.js";
import { SamkitError, isSamkitError } from "../errors/index.js";
import { adminConsentUrl } from "./admin-consent.js";
import type { HttpClient } from "../http/types.js";
import {
  createAuthorizationRequest,
  probeAuthorizationUrl,
  redeemAuthorizationCode,
  redeemRefreshToken,
  signInMethods,
  startDeviceCode,
  startLoopbackReceiver,
  verifyIdToken,
  isTenantGuid,
  type DeviceCodeSession,
  type GrantContext,
  type TokenSet,
} from "../oauth/index.js";
import { readProfile, writeProfile } from "../store/profile.js";
import type { PartnerProfile, SecretStore } from "../store/types.js";

/** OIDC scopes added to every consent. */
export const CONSENT_OIDC_SCOPES = ["offline_access", "openid", "profile"] as const;

/** Options shared by {@link runConsent} and {@link importRefreshToken}. */
export interface ConsentCommonOptions {
  readonly cloud: CloudDefinition;
  readonly http: HttpClient;
  readonly store: SecretStore;
  /** Profile name (`default` unless chosen). Must already hold the app (`app create` / `app use`). */
  readonly profile: string;
  readonly secretPrefix?: string;
  /** Partner tenant (GUID or domain); default: the profile's tenant. */
  readonly tenant?: string;
  /** Store a refresh token whose sign-in lacks MFA (Partner Center will reject it). Default false. */
  readonly allowNoMfa?: boolean;
  readonly abortSignal?: AbortSignal;
}

/** Options of {@link runConsent}. */
export interface ConsentOptions extends ConsentCommonOptions {
  /** `browser` (auth code + PKCE on a loopback port, default) or `device-code`. */
  readonly method?: "browser" | "device-code";
  /** Extra scopes besides Partner Center `user_impersonation` and `offline_access openid profile`. */
  readonly extraScopes?: readonly string[];
  /** How long to wait for the browser or the device-code user, in milliseconds (default 300 000). */
  readonly timeoutMs?: number;
  /** Loopback port (default 0 = random). */
  readonly port?: number;
  /** Called with the authorize URL as soon as it exists (the CLI prints it). */
  readonly onAuthorizeUrl?: (url: string) => void | Promise<void>;
  /** Opens the URL in a browser; omitted ⇒ nothing is opened (`--no-browser`). */
  readonly openBrowser?: (url: string) => Promise<void>;
  /** Called with the device-code instructions. */
  readonly onDeviceCode?: (session: Pick<DeviceCodeSession, "userCode" | "verificationUri" | "message" | "expiresIn">) => void | Promise<void>;
}

/** What a consent stored (no secrets). Times are ISO 8601. */
export interface ConsentResult {
  readonly profile: string;
  readonly cloud: string;
  readonly tenantId: string;
  readonly clientId: string;
  /** UPN of the signed-in user, when the token names one. */
  readonly user: string | undefined;
  readonly mfa: boolean;
  readonly amr: readonly string[];
  readonly scopes: readonly string[];
  readonly consentedAt: string;
  readonly method: "browser" | "device-code" | "refresh-token-import";
  readonly store: string;
}

/** Default browser/device wait, milliseconds (5 min). */
export const DEFAULT_CONSENT_TIMEOUT_MS = 5 * 60 * 1000;

async function loadApp(o: ConsentCommonOptions): Promise<PartnerProfile> {
  const p = await readProfile(o.store, o.profile, {
    ...(o.secretPrefix !== undefined ? { secretPrefix: o.secretPrefix } : {}),
    defaultCloud: o.cloud.name,
    ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}),
  });
  if (p === undefined) throw new SamkitError("SAMKIT_CONSENT_NO_APP", { params: { profile: o.profile } });
  return p;
}

function grantContext(o: ConsentCommonOptions, app: PartnerProfile, tenant: string): GrantContext {
  return {
    cloud: o.cloud,
    tenant,
    client: {
      clientId: app.clientId,
      ...(app.clientSecret !== undefined ? { clientSecret: app.clientSecret } : {}),
      ...(app.certificate !== undefined ? { certificate: { privateKeyPem: app.certificate.privateKeyPem, certificatePem: app.certificate.certificatePem } } : {}),
    },
    http: o.http,
    ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}),
  };
}

/** The consent scope list: Partner Center delegated scope, OIDC scopes, extras (deduplicated). */
export function consentScopes(cloud: CloudDefinition, extra: readonly string[] = []): string[] {
  const pc = cloud.resources["partner-center"].defaultScopes;
  return [...new Set([...pc, ...CONSENT_OIDC_SCOPES, ...extra])];
}

async function storeConsent(
  o: ConsentCommonOptions,
  app: PartnerProfile,
  tenantId: string,
  tokens: TokenSet,
  method: ConsentResult["method"],
  userFromIdToken: string | undefined,
): Promise<ConsentResult> {
  if (tokens.refreshToken === undefined) throw new SamkitError("SAMKIT_CONSENT_NO_REFRESH_TOKEN");
  const signIn = signInMethods(tokens.accessToken);
  if (!signIn.mfa && o.allowNoMfa !== true) {
    throw new SamkitError("SAMKIT_CONSENT_NO_MFA", { params: { amr: signIn.amr.length > 0 ? signIn.amr.join(", ") : "none" } });
  }
  const consentedAt = new Date(nowMs()).toISOString();
  const user = signIn.user ?? userFromIdToken;
  await writeProfile(
    o.store,
    {
      ...app,
      cloud: o.cloud.name,
      tenantId,
      refreshToken: tokens.refreshToken,
      metadata: {
        ...app.metadata,
        consentedAt,
        ...(user !== undefined ? { consentedBy: user } : {}),
        mfaAtConsent: signIn.mfa,
        refreshTokenRotatedAt: consentedAt,
      },
    },
    {
      ...(o.secretPrefix !== undefined ? { secretPrefix: o.secretPrefix } : {}),
      ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}),
    },
  );
  return {
    profile: o.profile,
    cloud: o.cloud.name,
    tenantId,
    clientId: app.clientId,
    user,
    mfa: signIn.mfa,
    amr: signIn.amr,
    scopes: tokens.scopes,
    consentedAt,
    method,
    store: o.store.description,
  };
}

/**
 * Runs the consent: sign-in, verification, storage.
 * @throws SamkitError `SAMKIT_CONSENT_NO_APP`, `SAMKIT_CONSENT_STATE_MISMATCH`,
 *   `SAMKIT_CONSENT_ACCESS_DENIED`, `SAMKIT_CONSENT_TIMEOUT`, `SAMKIT_CONSENT_PORT_IN_USE`,
 *   `SAMKIT_CONSENT_ID_TOKEN_INVALID`, `SAMKIT_CONSENT_WRONG_TENANT`, `SAMKIT_CONSENT_NO_MFA`,
 *   `SAMKIT_CONSENT_NO_REFRESH_TOKEN`, `SAMKIT_CONSENT_DEVICE_CODE_*`,
 *   `SAMKIT_CONSENT_ADMIN_CONSENT_MISSING` (AADSTS65001: no admin consent in the partner tenant), identity errors (50011,
 *   90038 …) and store errors.
 */
export async function runConsent(o: ConsentOptions): Promise<ConsentResult> {
  const app = await loadApp(o);
  const tenant = o.tenant ?? app.tenantId;
  try {
    return await consentFlow(o, app, tenant);
  } catch (err) {
    // AADSTS65001 here means the app has no (admin) consent in the partner tenant itself.
    if (isSamkitError(err, "SAMKIT_CONSENT_MISSING")) {
      throw new SamkitError("SAMKIT_CONSENT_ADMIN_CONSENT_MISSING", { params: { tenant, url: adminConsentUrl(o.cloud, tenant, app.clientId) }, cause: err });
    }
    throw err;
  }
}

async function consentFlow(o: ConsentOptions, app: PartnerProfile, tenant: string): Promise<ConsentResult> {
  const expectedTenantId = isTenantGuid(tenant) ? tenant.toLowerCase() : app.tenantId.toLowerCase();
  const ctx = grantContext(o, app, tenant);
  const scopes = consentScopes(o.cloud, o.extraScopes);
  const timeoutMs = o.timeoutMs ?? DEFAULT_CONSENT_TIMEOUT_MS;

  if (o.method === "device-code") {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = o.abortSignal ? AbortSignal.any([o.abortSignal, timeout]) : timeout;
    let polled: Awaited<ReturnType<DeviceCodeSession["poll"]>>;
    try {
      const session = await startDeviceCode({ ...ctx, abortSignal: signal }, scopes);
      await o.onDeviceCode?.({ userCode: session.userCode, verificationUri: session.verificationUri, message: session.message, expiresIn: session.expiresIn });
      polled = await session.poll();
    } catch (err) {
      if (timeout.aborted && !(o.abortSignal?.aborted ?? false)) {
        throw new SamkitError("SAMKIT_CONSENT_TIMEOUT", { params: { seconds: Math.round(timeoutMs / 1000) }, cause: err });
      }
      throw err;
    }
    if (polled.idToken === undefined) throw new SamkitError("SAMKIT_CONSENT_ID_TOKEN_INVALID", { params: { detail: "the token response carried no id_token" } });
    const claims = await verifyIdToken(polled.idToken, { cloud: o.cloud, http: o.http, clientId: app.clientId, tenant, expectedTenantId, ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}) });
    return storeConsent(o, app, claims.tid.toLowerCase(), polled.tokens, "device-code", claims.preferred_username);
  }

  const receiver = await startLoopbackReceiver({ ...(o.port !== undefined ? { port: o.port } : {}), ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}) });
  try {
    const request = await createAuthorizationRequest(ctx, { redirectUri: receiver.redirectUri, scopes, prompt: "select_account" });
    await probeAuthorizationUrl(o.http, request.url, o.abortSignal);
    const waiting = receiver.waitForCode({ expectedState: request.state, timeoutMs });
    await o.onAuthorizeUrl?.(request.url.href);
    if (o.openBrowser) {
      // A browser that cannot be opened is not fatal: the URL was printed.
      await o.openBrowser(request.url.href).catch(() => undefined);
    }
    const { code } = await waiting;
    const { tokens, idToken } = await redeemAuthorizationCode(ctx, request, code);
    if (idToken === undefined) throw new SamkitError("SAMKIT_CONSENT_ID_TOKEN_INVALID", { params: { detail: "the token response carried no id_token" } });
    const claims = await verifyIdToken(idToken, { cloud: o.cloud, http: o.http, clientId: app.clientId, tenant, expectedTenantId, nonce: request.nonce, ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}) });
    return await storeConsent(o, app, claims.tid.toLowerCase(), tokens, "browser", claims.preferred_username);
  } finally {
    await receiver.close();
  }
}

/** Options of {@link importRefreshToken}. */
export interface ImportRefreshTokenOptions extends ConsentCommonOptions {
  /** The refresh token minted elsewhere (read from stdin by the CLI; never from argv). */
  readonly refreshToken: string;
}

/**
 * `samkit consent --refresh-token-stdin`: proves a refresh token minted elsewhere by one
 * redemption for Partner Center at the partner tenant, checks the MFA claim of that access token,
 * and stores the rotated successor (or the token itself when the server did not rotate it).
 * @throws SamkitError identity errors of the redemption (e.g. 700082 ⇒ reconsent), `SAMKIT_CONSENT_NO_MFA`, store errors
 */
export async function importRefreshToken(o: ImportRefreshTokenOptions): Promise<ConsentResult> {
  const app = await loadApp(o);
  const tenant = o.tenant ?? app.tenantId;
  const ctx = grantContext(o, app, tenant);
  const supplied = o.refreshToken.trim();
  if (supplied === "") throw new SamkitError("SAMKIT_INVALID_INPUT", { params: { detail: "No refresh token was given on standard input." } });
  const tokens = await redeemRefreshToken(ctx, supplied, o.cloud.resources["partner-center"].defaultScopes);
  const signIn = signInMethods(tokens.accessToken);
  const tenantId = (signIn.tenantId ?? (isTenantGuid(tenant) ? tenant : app.tenantId)).toLowerCase();
  const expected = (isTenantGuid(tenant) ? tenant : app.tenantId).toLowerCase();
  if (tenantId !== expected) throw new SamkitError("SAMKIT_CONSENT_WRONG_TENANT", { params: { actual: tenantId, expected } });
  return storeConsent(o, app, tenantId, { ...tokens, refreshToken: tokens.refreshToken ?? supplied }, "refresh-token-import", undefined);
}
