/**
 * A `TokenCredential` for tests: client credentials of the emulator's ready-made SAM app, over
 * real HTTP against the emulator's token endpoint (`{authorityHost}/{tenant}/oauth2/v2.0/token`).
 * Lets store and SDK tests (Key Vault, Graph) run before samkit's broker exists. Tests only —
 * it trusts whatever CA it is given and caches tokens in memory.
 *
 * ```ts
 * const emu = new EmulatorServer({ tls: true });
 * const cloud = await emu.start();
 * const credential = await EmulatorTestCredential.forEmulator(cloud);
 * const client = new SecretClient(cloud.keyVaultUrl, credential,
 *   { disableChallengeResourceVerification: true, tlsOptions: { ca: await readFile(cloud.caCertPath!) } });
 * ```
 * @see https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 * @see https://learn.microsoft.com/javascript/api/@azure/core-auth/tokencredential
 */
import { readFile } from "node:fs/promises";
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/core-auth";
import { Agent, fetch, type Dispatcher } from "undici";

/** Options of {@link EmulatorTestCredential}. */
export interface EmulatorTestCredentialOptions {
  /** Identity origin of the emulator (`authorityHost` of its cloud JSON). */
  readonly authorityHost: string;
  /** Tenant used when `getToken` is not given one. */
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** PEM of the CA to trust when the emulator serves HTTPS. */
  readonly ca?: string | Buffer | undefined;
}

/** The parts of the emulator's cloud JSON (CONTRACTS §1) this credential needs. */
export interface EmulatorCloudRef {
  readonly authorityHost: string;
  readonly partnerTenantId: string;
  readonly caCertPath: string | null;
}

interface TokenResponse {
  access_token?: string;
  expires_in?: number | string;
  error?: string;
  error_description?: string;
}

/** Refresh a cached token this long before it expires, milliseconds. */
const EARLY_REFRESH_MS = 5 * 60_000;

/** Client-credentials `TokenCredential` against the emulator (tests only). */
export class EmulatorTestCredential implements TokenCredential {
  private readonly cache = new Map<string, AccessToken>();
  private readonly dispatcher: Dispatcher | undefined;

  constructor(private readonly options: EmulatorTestCredentialOptions) {
    this.dispatcher = options.ca === undefined ? undefined : new Agent({ connect: { ca: options.ca } });
  }

  /**
   * A credential for the ready-made SAM app of a running emulator: reads
   * `GET {authorityHost}/_emulator/world` (`samApp.clientId`, `samApp.clientSecret`) and the CA file.
   * @param tenantId default tenant; the partner tenant when absent.
   */
  static async forEmulator(cloud: EmulatorCloudRef, tenantId?: string): Promise<EmulatorTestCredential> {
    const ca = cloud.caCertPath === null ? undefined : await readFile(cloud.caCertPath, "utf8");
    const dispatcher = ca === undefined ? undefined : new Agent({ connect: { ca } });
    try {
      const res = await fetch(`${cloud.authorityHost}/_emulator/world`, dispatcher ? { dispatcher } : {});
      if (!res.ok) throw new Error(`GET /_emulator/world answered ${res.status}`);
      const world = (await res.json()) as { samApp: { clientId: string; clientSecret: string } };
      return new EmulatorTestCredential({
        authorityHost: cloud.authorityHost,
        tenantId: tenantId ?? cloud.partnerTenantId,
        clientId: world.samApp.clientId,
        clientSecret: world.samApp.clientSecret,
        ca,
      });
    } finally {
      await dispatcher?.close();
    }
  }

  /**
   * Client-credentials token for `scopes` (e.g. `https://vault.azure.net/.default`) in
   * `options.tenantId` or the default tenant. `expiresOnTimestamp` is epoch **milliseconds**.
   * @throws Error carrying the identity error (`error: error_description`) when the emulator refuses.
   */
  async getToken(scopes: string | string[], options: GetTokenOptions = {}): Promise<AccessToken> {
    const scope = (Array.isArray(scopes) ? scopes : [scopes]).join(" ");
    const tenant = options.tenantId ?? this.options.tenantId;
    const key = `${tenant.toLowerCase()}|${scope}`;
    const hit = this.cache.get(key);
    if (hit && hit.expiresOnTimestamp - EARLY_REFRESH_MS > Date.now()) return hit;
    const body = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: this.options.clientId,
      client_secret: this.options.clientSecret,
      scope,
    });
    const res = await fetch(`${this.options.authorityHost}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: body.toString(),
      ...(options.abortSignal ? { signal: options.abortSignal as AbortSignal } : {}),
      ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
    });
    const json = (await res.json()) as TokenResponse;
    if (!res.ok || json.access_token === undefined) {
      throw new Error(`EmulatorTestCredential: ${json.error ?? res.status}: ${json.error_description ?? "no access token"}`);
    }
    const token: AccessToken = {
      token: json.access_token,
      expiresOnTimestamp: Date.now() + Number(json.expires_in ?? 3600) * 1000,
      tokenType: "Bearer",
    };
    this.cache.set(key, token);
    return token;
  }

  /** Closes the HTTPS connection pool (when a CA was given). */
  async close(): Promise<void> {
    await this.dispatcher?.close();
  }
}
