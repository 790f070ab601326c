/**
 * Signs the partner admin in for `samkit app …` with Microsoft's Azure CLI public client
 * (first-party, preauthorized for Microsoft Graph), by device code or browser + loopback, and
 * returns a delegated Graph access token. Nothing is stored.
 *
 * @see https://learn.microsoft.com/cli/azure/authenticate-azure-cli-interactively
 */
import type { CloudDefinition } from "../cloud/types.js";
import type { HttpClient } from "../http/types.js";
import { createAuthorizationRequest, redeemAuthorizationCode, signInMethods, startDeviceCode, startLoopbackReceiver, type GrantContext } from "../oauth/index.js";
import { SamkitError, isSamkitError } from "../errors/index.js";
import { APP_IDS } from "./app-spec.js";
import { DEFAULT_CONSENT_TIMEOUT_MS } from "./consent.js";

/** Options of {@link adminGraphToken}. */
export interface AdminSignInOptions {
  readonly cloud: CloudDefinition;
  readonly http: HttpClient;
  /** Partner tenant; default the emulator's partner tenant, else `organizations`. */
  readonly tenant?: string;
  readonly method: "browser" | "device-code";
  /** The samkit command being run (e.g. `app create`), named in the timeout's next step. Default `app create`. */
  readonly command?: string;
  /** Public client to sign in with (default: Azure CLI). */
  readonly clientId?: string;
  readonly timeoutMs?: number;
  readonly onAuthorizeUrl?: (url: string) => void | Promise<void>;
  readonly openBrowser?: (url: string) => Promise<void>;
  readonly onDeviceCode?: (info: { userCode: string; verificationUri: string; message: string; expiresIn: number }) => void | Promise<void>;
  readonly abortSignal?: AbortSignal;
}

/** A delegated Graph token of the admin. */
export interface AdminGraphToken {
  readonly accessToken: string;
  /** `tid` of the token (the admin's tenant), when readable. */
  readonly tenantId: string | undefined;
  readonly user: string | undefined;
}

/**
 * @throws SamkitError `SAMKIT_CONSENT_*` sign-in errors, identity errors, `SAMKIT_ADMIN_SIGNIN_TIMEOUT`
 */
export async function adminGraphToken(o: AdminSignInOptions): Promise<AdminGraphToken> {
  try {
    return await signIn(o);
  } catch (err) {
    if (isSamkitError(err, "SAMKIT_CONSENT_TIMEOUT")) {
      const seconds = Math.round((o.timeoutMs ?? DEFAULT_CONSENT_TIMEOUT_MS) / 1000);
      throw new SamkitError("SAMKIT_ADMIN_SIGNIN_TIMEOUT", { params: { seconds, command: o.command ?? "app create" }, cause: err });
    }
    throw err;
  }
}

async function signIn(o: AdminSignInOptions): Promise<AdminGraphToken> {
  const tenant = o.tenant ?? o.cloud.partnerTenantId ?? "organizations";
  const timeoutMs = o.timeoutMs ?? DEFAULT_CONSENT_TIMEOUT_MS;
  const scopes = [`${o.cloud.resources.graph.resourceId}/.default`];
  const base: GrantContext = { cloud: o.cloud, tenant, client: { clientId: o.clientId ?? APP_IDS.azureCli }, http: o.http, ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}) };
  let accessToken: string;
  if (o.method === "device-code") {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = o.abortSignal ? AbortSignal.any([o.abortSignal, timeout]) : timeout;
    try {
      const session = await startDeviceCode({ ...base, abortSignal: signal }, scopes);
      await o.onDeviceCode?.({ userCode: session.userCode, verificationUri: session.verificationUri, message: session.message, expiresIn: session.expiresIn });
      accessToken = (await session.poll()).tokens.accessToken;
    } catch (err) {
      if (timeout.aborted && !(o.abortSignal?.aborted ?? false)) {
        throw new SamkitError("SAMKIT_CONSENT_TIMEOUT", { params: { seconds: Math.round(timeoutMs / 1000) }, cause: err });
      }
      throw err;
    }
  } else {
    const receiver = await startLoopbackReceiver(o.abortSignal ? { abortSignal: o.abortSignal } : {});
    try {
      const request = await createAuthorizationRequest(base, { redirectUri: receiver.redirectUri, scopes, prompt: "select_account" });
      const waiting = receiver.waitForCode({ expectedState: request.state, timeoutMs });
      await o.onAuthorizeUrl?.(request.url.href);
      if (o.openBrowser) await o.openBrowser(request.url.href).catch(() => undefined);
      const { code } = await waiting;
      accessToken = (await redeemAuthorizationCode(base, request, code)).tokens.accessToken;
    } finally {
      await receiver.close();
    }
  }
  const signIn = signInMethods(accessToken);
  return { accessToken, tenantId: signIn.tenantId, user: signIn.user };
}
