/**
 * `EmulatorContext`: everything a service app needs, passed to every `create*App(ctx)`.
 * `ctx.world` is replaced by `reset()`: read it per request, never cache it.
 */
import type { EmulatorClock } from "./clock.js";
import type { IdentityState } from "./identity/state.js";
import type { EmulatorKeys } from "./keys.js";
import type { RequestLog } from "./request-log.js";
import type { ScenarioStore } from "./scenarios.js";
import type { World } from "./world.js";

/**
 * The cloud definition the emulator prints when ready and serves at `GET /_emulator/cloud`
 * (CONTRACTS §1). URLs are origins without a trailing slash.
 */
export interface EmulatorCloudInfo {
  /** Identity origin (also the control API); equals `authorityHost`. */
  readonly url: string;
  readonly authorityHost: string;
  readonly partnerCenterUrl: string;
  readonly graphUrl: string;
  readonly armUrl: string;
  readonly keyVaultUrl: string;
  readonly partnerTenantId: string;
  /** PEM file of the self-signed certificate when serving HTTPS, else null. */
  readonly caCertPath: string | null;
}

/** Which listener a request arrived on. */
export type ServiceName = "identity" | "partner-center" | "graph" | "arm" | "keyvault";

/** Resolved emulator options (defaults applied). */
export interface EmulatorResolvedOptions {
  /** First port (identity); services use port+1..port+4. 0 = free ports. */
  readonly port: number;
  readonly seedCustomers: number;
  /** Added latency on every request, in milliseconds. */
  readonly latencyMs: number;
  readonly tls: boolean;
  /** Reuse of a rotated refresh token revokes the whole token family (oidc-provider style). */
  readonly strictRotation: boolean;
  readonly seed: string;
  /**
   * Folder where services keep state across restarts and resets (Key Vault: `keyvault.json`);
   * `undefined` = in memory only. From `EmulatorServerOptions.dataDir` / `--data-dir`.
   */
  readonly dataDir?: string | undefined;
}

/** The shared state of one running emulator. */
export interface EmulatorContext {
  /** The seeded world (replaced on reset: read per request). */
  world: World;
  readonly clock: EmulatorClock;
  readonly keys: EmulatorKeys;
  readonly scenarios: ScenarioStore;
  readonly requestLog: RequestLog;
  /** The ready JSON (CONTRACTS §1); set once the listeners are bound. */
  urls: EmulatorCloudInfo;
  readonly options: EmulatorResolvedOptions;
  /** Identity-side state: refresh tokens, codes, device codes, sessions (cleared on reset). */
  identity: IdentityState;
}
