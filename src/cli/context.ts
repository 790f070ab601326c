/**
 * The CLI's dependency factory: from flags, `SAMKIT_*` variables and `$SAMKIT_HOME/config.json`
 * (precedence flag > variable > config > default, CONTRACTS §6) to the cloud, the HTTP client, the
 * secret store, the profile and the token broker. Everything is created lazily and once, and every
 * heavy module (undici, zod, openid-client, the store, Azure SDKs) is imported only when needed,
 * so `samkit token` answered from the warm disk cache loads none of them.
 *
 * Kept with each profile under `$SAMKIT_HOME/cache/<profile>/` (0700 folder, 0600 files):
 * - `profile.json`: non-secret identity (client ID, partner tenant, cloud name) plus, for the
 *   emulator, the cloud definition read once from `/_emulator/cloud` (CONTRACTS §1). It is trusted
 *   only while the store file is unchanged (its size and mtime are recorded with it).
 * - `tokens/`: the encrypted access-token cache ({@link DiskTokenCache}).
 */
import { promises as fs } from "node:fs";
import { join } from "node:path";
import type { BrokerToken, TokenRequest } from "../broker/types.js";
import type { TokenBroker } from "../broker/broker.js";
import type { CloudDefinition, CloudName } from "../cloud/types.js";
import type { ConfigFlags, SamkitConfig } from "../config/load.js";
import { SamkitError } from "../errors/index.js";
import type { HttpClient } from "../http/types.js";
import type { PartnerProfile, SecretStore } from "../store/types.js";

/** Flags every command that talks to Microsoft accepts (`addGlobalOptions` / `readGlobalOptions` in `options.ts`). */
export type ContextFlags = ConfigFlags;

/** The settings in effect: foundation's {@link SamkitConfig} (flag > `SAMKIT_*` > config.json > default). */
export type ContextSettings = SamkitConfig;

/** What commands get from {@link createContext}. Each getter creates its object once. */
export interface CliContext {
  /** The settings in effect (reads `config.json` once). */
  settings(): Promise<ContextSettings>;
  /** The selected cloud (for `emulator`: kept with the profile after the first read). */
  cloud(): Promise<CloudDefinition>;
  /** The HTTP seam (trusts the emulator's CA when it serves HTTPS). */
  http(): Promise<HttpClient>;
  /** The secret store (fail closed: its errors propagate). */
  store(): Promise<SecretStore>;
  /**
   * The profile read from the store.
   * @throws SamkitError `SAMKIT_STATUS_NOT_CONFIGURED` (exit 4) when the store has no such profile
   */
  profile(): Promise<PartnerProfile>;
  /** The token broker of this profile (disk cache under `$SAMKIT_HOME/cache/<profile>/tokens`). */
  broker(): Promise<TokenBroker>;
  /** Shorthand for `(await broker()).getToken(request)`. */
  getToken(request?: TokenRequest): Promise<BrokerToken>;
}

/** Non-secret facts kept beside a profile for a fast start. */
interface ProfileHint {
  readonly format: 1;
  readonly clientId?: string;
  readonly tenantId?: string;
  /** `size:mtimeMs` of the store file when the identity was read (file store only). */
  readonly storeStamp?: string;
  /** The cloud the profile records (its metadata), trusted with the identity while the store stamp holds. */
  readonly cloud?: string;
  readonly emulator?: { readonly url: string; readonly cloud: CloudDefinition };
}

type Env = Readonly<Record<string, string | undefined>>;

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(path, "utf8")) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Load the configuration (src/config `loadConfig`) and check the profile name before it is used
 * as a path (`$SAMKIT_HOME/cache/<profile>`). When the cloud is `emulator` and no URL is
 * configured, the emulator URL kept with the profile is used (CONTRACTS §1: read once, kept).
 * @throws SamkitError the config errors (`SAMKIT_CONFIG_INVALID`, `SAMKIT_HOME_NOT_A_FOLDER`,
 *   `SAMKIT_INVALID_INPUT`, `SAMKIT_CLOUD_*`), `SAMKIT_STORE_INVALID_PROFILE_NAME` (bad profile
 *   name, raised before any file is touched), `SAMKIT_CLOUD_EMULATOR_URL_MISSING` when nothing is
 *   kept either.
 */
export async function resolveSettings(flags: ContextFlags = {}, env: Env = process.env): Promise<ContextSettings> {
  const [{ loadConfig }, { assertProfileName }] = await Promise.all([import("../config/load.js"), import("../store/names.js")]);
  try {
    const settings = await loadConfig(flags, { env });
    assertProfileName(settings.profile);
    return settings;
  } catch (e) {
    if (!(e instanceof SamkitError) || e.code !== "SAMKIT_CLOUD_EMULATOR_URL_MISSING") throw e;
    const { resolveHome, readConfigFile } = await import("../config/load.js");
    const home = await resolveHome(flags, env);
    const profile = flags.profile ?? env["SAMKIT_PROFILE"] ?? (await readConfigFile(home)).profile ?? "default";
    // Validate before the name becomes a path (`cache/<profile>`): `../x` must never be read or written.
    assertProfileName(profile);
    const kept = (await readHint(profileCacheDir(home, profile)))?.emulator?.url;
    if (kept === undefined) throw e;
    return loadConfig({ ...flags, emulatorUrl: kept }, { env });
  }
}

/** Where the non-secret profile hint and the token cache of `profile` live. */
export function profileCacheDir(home: string, profile: string): string {
  return join(home, "cache", profile);
}

async function storeStamp(settings: ContextSettings): Promise<string | undefined> {
  if (settings.store !== "file") return "keyvault";
  try {
    const s = await fs.stat(join(settings.home, "store.enc"));
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return undefined;
  }
}

async function readHint(dir: string): Promise<ProfileHint | undefined> {
  const v = await readJson(join(dir, "profile.json"));
  return v !== null && typeof v === "object" && (v as { format?: unknown }).format === 1 ? (v as ProfileHint) : undefined;
}

async function writeHint(dir: string, hint: ProfileHint): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const { default: writeFileAtomic } = await import("write-file-atomic");
  await writeFileAtomic(join(dir, "profile.json"), `${JSON.stringify(hint)}\n`, { mode: 0o600 });
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/**
 * A profile the store does not hold is a first run (or a profile not set up yet): the user needs
 * `samkit app create` / `app use` and `samkit consent`, exactly as `samkit status` says
 * (`SAMKIT_STATUS_NOT_CONFIGURED`, action `reconsent`, exit 4). Other errors pass through.
 */
function notConfigured(profile: string, store: SecretStore): (e: unknown) => never {
  return (e) => {
    if (e instanceof SamkitError && e.code === "SAMKIT_STORE_PROFILE_NOT_FOUND") {
      throw new SamkitError("SAMKIT_STATUS_NOT_CONFIGURED", { params: { profile, store: store.description }, cause: e });
    }
    throw e;
  };
}

/**
 * Create the lazy context for one CLI run (or one library caller that wants the CLI's defaults).
 * @param flags parsed command options ({@link addContextOptions})
 * @param env environment (default `process.env`)
 */
export function createContext(flags: ContextFlags = {}, env: Env = process.env): CliContext {
  return new LazyContext(flags, env);
}

class LazyContext implements CliContext {
  #settings: Promise<ContextSettings> | undefined;
  #hint: Promise<ProfileHint | undefined> | undefined;
  #cloud: Promise<CloudDefinition> | undefined;
  #http: Promise<HttpClient> | undefined;
  #store: Promise<SecretStore> | undefined;
  #profile: Promise<PartnerProfile> | undefined;
  #broker: Promise<TokenBroker> | undefined;
  #pendingEmulator: ProfileHint["emulator"];
  /** Cloud definitions by `name|emulatorUrl`, each loaded once. */
  readonly #clouds = new Map<string, Promise<CloudDefinition>>();
  /** Key Vault store, cloud not named: the cloud hinted for the profile, if any. */
  #storeCloud: { name: CloudName; emulatorUrl?: string } | undefined;

  constructor(
    private readonly flags: ContextFlags,
    private readonly env: Env,
  ) {}

  settings(): Promise<ContextSettings> {
    this.#settings ??= resolveSettings(this.flags, this.env);
    return this.#settings;
  }

  private async dir(): Promise<string> {
    const s = await this.settings();
    return profileCacheDir(s.home, s.profile);
  }

  private hint(): Promise<ProfileHint | undefined> {
    this.#hint ??= this.dir().then(readHint);
    return this.#hint;
  }

  private async updateHint(change: Partial<ProfileHint>): Promise<void> {
    const dir = await this.dir();
    const current = (await readHint(dir)) ?? { format: 1 as const };
    const next: ProfileHint = { ...current, ...change, format: 1 };
    this.#hint = Promise.resolve(next);
    await writeHint(dir, next).catch(() => undefined);
  }

  cloud(): Promise<CloudDefinition> {
    this.#cloud ??= (async () => {
      const s = await this.settings();
      // Named by the user (flag, SAMKIT_CLOUD, config.json): that cloud, even when the profile
      // records another one (the broker then refuses to redeem, SAMKIT_PROFILE_CLOUD_MISMATCH).
      if (s.sources.cloud !== "default") return this.namedCloud(s.cloud, s.emulatorUrl);
      // Not named: the cloud the profile was consented in (and, for the emulator, the URL kept
      // with it), so the profile's secrets never go to the default cloud's authority.
      const recorded = await this.recordedCloud();
      if (recorded === undefined) return this.namedCloud(s.cloud, s.emulatorUrl);
      const cloud = await this.namedCloud(recorded.name, recorded.name === "emulator" ? (recorded.emulatorUrl ?? s.emulatorUrl) : undefined);
      // Read from the store just now: keep the cloud with the identity so the next run need not.
      if (recorded.profile !== undefined) await this.rememberIdentity(recorded.profile);
      return cloud;
    })();
    return this.#cloud;
  }

  /**
   * The cloud the profile records (CONTRACTS §6: used when no flag, variable or config names one):
   * from the profile hint while the store is unchanged, else from the store's profile metadata.
   * `undefined` when the store has no such profile (or it records no known cloud).
   */
  private async recordedCloud(): Promise<{ name: CloudName; emulatorUrl?: string; profile?: PartnerProfile } | undefined> {
    const s = await this.settings();
    const h = await this.hint();
    const { parseCloudName } = await import("../cloud/resolve.js");
    const known = (name: string | undefined): CloudName | undefined => {
      if (name === undefined) return undefined;
      try {
        return parseCloudName(name);
      } catch {
        return undefined;
      }
    };
    const withUrl = (name: CloudName): { name: CloudName; emulatorUrl?: string } =>
      name === "emulator" && h?.emulator !== undefined ? { name, emulatorUrl: h.emulator.url } : { name };
    const hinted = known(h?.cloud);
    if (hinted !== undefined && h?.storeStamp !== undefined && h.storeStamp === (await storeStamp(s))) return withUrl(hinted);
    if (s.store !== "file") {
      // The vault's own credential needs a cloud before the profile can be read: the hinted one
      // (Key Vault hints carry no stamp) else the default; the profile's record then decides.
      this.#storeCloud = hinted !== undefined ? withUrl(hinted) : undefined;
    }
    const store = await this.store();
    const { readProfile } = await import("../store/profile.js");
    const p = await readProfile(store, s.profile, {
      ...(s.secretPrefix !== undefined ? { secretPrefix: s.secretPrefix } : {}),
      defaultCloud: s.cloud,
    });
    const name = known(p?.cloud);
    return name === undefined || p === undefined ? undefined : { ...withUrl(name), profile: p };
  }

  /** The definition of cloud `name` (for `emulator`: kept with the profile after the first read from `emulatorUrl`). */
  private namedCloud(name: CloudName, emulatorUrl: string | undefined): Promise<CloudDefinition> {
    const key = `${name}|${emulatorUrl ?? ""}`;
    let c = this.#clouds.get(key);
    if (c === undefined) {
      c = this.loadCloud(name, emulatorUrl);
      this.#clouds.set(key, c);
    }
    return c;
  }

  private async loadCloud(name: CloudName, emulatorUrl: string | undefined): Promise<CloudDefinition> {
    const { getCloud } = await import("../cloud/resolve.js");
    if (name !== "emulator") return getCloud(name);
    const kept = (await this.hint())?.emulator;
    if (kept !== undefined && (emulatorUrl === undefined || sameOrigin(emulatorUrl, kept.url))) return kept.cloud;
    if (emulatorUrl === undefined) throw new SamkitError("SAMKIT_CLOUD_EMULATOR_URL_MISSING");
    const [{ loadEmulatorCloud }, { createHttpClient }] = await Promise.all([import("../cloud/emulator.js"), import("../http/client.js")]);
    const cloud = await loadEmulatorCloud(emulatorUrl, createHttpClient());
    // Kept only once the profile is known to exist (rememberIdentity): nothing is written for a
    // profile that is not in the store.
    this.#pendingEmulator = { url: emulatorUrl, cloud };
    return cloud;
  }

  /** The cloud whose credential opens a Key Vault store (see {@link recordedCloud}). */
  private async storeCloudOf(s: ContextSettings): Promise<CloudDefinition> {
    if (s.sources.cloud !== "default") return this.cloud();
    const c = this.#storeCloud;
    if (c !== undefined) return this.namedCloud(c.name, c.name === "emulator" ? (c.emulatorUrl ?? s.emulatorUrl) : undefined);
    return this.namedCloud(s.cloud, s.emulatorUrl);
  }

  http(): Promise<HttpClient> {
    this.#http ??= (async () => {
      const cloud = await this.cloud();
      const { createHttpClient } = await import("../http/client.js");
      const caPath = cloud.caCertPath;
      if (caPath !== undefined && caPath !== null && caPath !== "") {
        return createHttpClient({ ca: await fs.readFile(caPath, "utf8") });
      }
      return createHttpClient();
    })();
    return this.#http;
  }

  store(): Promise<SecretStore> {
    this.#store ??= (async () => {
      const s = await this.settings();
      const cloud = s.store === "file" ? undefined : await this.storeCloudOf(s);
      const { openStore } = await import("../store/open-store.js");
      return openStore({
        kind: s.store,
        home: s.home,
        storeKey: s.storeKey,
        vaultUrl: s.vaultUrl,
        ...(cloud !== undefined ? { cloud: cloud.name, authorityHost: cloud.authorityHost, caCertPath: cloud.caCertPath } : {}),
      });
    })();
    return this.#store;
  }

  profile(): Promise<PartnerProfile> {
    this.#profile ??= this.readProfile();
    return this.#profile;
  }

  /** Reads the profile from the store (SAMKIT_STATUS_NOT_CONFIGURED when absent) and remembers its identity. */
  private async readProfile(): Promise<PartnerProfile> {
    const s = await this.settings();
    const store = await this.store();
    const { storeProfileSource } = await import("../broker/profile-source.js");
    const cloud = await this.cloud();
    const p = await storeProfileSource(store, s.profile, {
      ...(s.secretPrefix !== undefined ? { secretPrefix: s.secretPrefix } : {}),
      defaultCloud: cloud.name,
    })
      .read()
      .catch(notConfigured(s.profile, store));
    await this.rememberIdentity(p);
    return p;
  }

  private async rememberIdentity(p: PartnerProfile): Promise<void> {
    const s = await this.settings();
    const stamp = await storeStamp(s);
    const h = await this.hint();
    const emulator = this.#pendingEmulator;
    this.#pendingEmulator = undefined;
    if (
      emulator === undefined &&
      h?.clientId === p.clientId &&
      h.tenantId === p.tenantId.toLowerCase() &&
      h.cloud === p.cloud &&
      h.storeStamp === stamp
    )
      return;
    await this.updateHint({
      clientId: p.clientId,
      cloud: p.cloud,
      tenantId: p.tenantId.toLowerCase(),
      ...(stamp !== undefined ? { storeStamp: stamp } : {}),
      ...(emulator !== undefined ? { emulator } : {}),
    });
  }

  broker(): Promise<TokenBroker> {
    this.#broker ??= (async () => {
      const [s, cloud, hint] = await Promise.all([this.settings(), this.cloud(), this.hint()]);
      const stamp = hint?.clientId !== undefined ? await storeStamp(s) : undefined;
      const identity =
        hint?.clientId !== undefined && hint.tenantId !== undefined && stamp !== undefined && hint.storeStamp === stamp
          ? { clientId: hint.clientId, tenantId: hint.tenantId }
          : undefined;
      const [{ TokenBroker }, { DiskTokenCache }] = await Promise.all([import("../broker/broker.js"), import("../broker/disk-cache.js")]);
      const dir = profileCacheDir(s.home, s.profile);
      return new TokenBroker({
        cloud,
        profileSource: {
          name: s.profile,
          // Every read goes to the store (the broker re-reads under the lock for strict rotation).
          read: () => this.readProfile(),
          saveRefreshToken: async (profile, token, rotatedAtIso) => {
            const { storeProfileSource } = await import("../broker/profile-source.js");
            const src = storeProfileSource(await this.store(), s.profile, s.secretPrefix !== undefined ? { secretPrefix: s.secretPrefix } : {});
            return src.saveRefreshToken(profile, token, rotatedAtIso);
          },
          withLock: async (fn) => (await this.store()).withLock(fn),
          readRefreshToken: async () => {
            const { storeProfileSource } = await import("../broker/profile-source.js");
            const src = storeProfileSource(await this.store(), s.profile, s.secretPrefix !== undefined ? { secretPrefix: s.secretPrefix } : {});
            return src.readRefreshToken!();
          },
        },
        ...(identity !== undefined ? { identity } : {}),
        http: () => this.http(),
        rotation: s.rotation,
        persistIntervalSeconds: s.refreshTokenPersistIntervalSeconds,
        ...(s.allowedTenants !== undefined ? { allowedTenants: s.allowedTenants } : {}),
        cache: new DiskTokenCache({ dir: join(dir, "tokens") }),
        onWarning: (m) => process.stderr.write(`warning: ${m}\n`),
      });
    })();
    return this.#broker;
  }

  async getToken(request: TokenRequest = {}): Promise<BrokerToken> {
    return (await this.broker()).getToken(request);
  }
}
