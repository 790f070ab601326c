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
import type { Command } from "commander";
import type { BrokerToken, TokenRequest } from "../broker/types.js";
import type { TokenBroker } from "../broker/broker.js";
import type { CloudDefinition } from "../cloud/types.js";
import { SamkitError } from "../errors/index.js";
import type { HttpClient } from "../http/types.js";
import type { PartnerProfile, SecretStore } from "../store/types.js";

/** Flags every command that talks to Microsoft accepts (see {@link addContextOptions}). */
export interface ContextFlags {
  readonly cloud?: string;
  readonly profile?: string;
  readonly emulatorUrl?: string;
  readonly store?: string;
  readonly vaultUrl?: string;
  readonly rotation?: string;
}

/** The settings in effect after precedence is applied. */
export interface ContextSettings {
  /** `$SAMKIT_HOME`. */
  readonly home: string;
  readonly profile: string;
  /** Cloud name as given (`global`, `usgov`, `china`, `emulator`, or an alias). */
  readonly cloud: string;
  readonly emulatorUrl: string | undefined;
  /** `file` (default) or `keyvault`. */
  readonly store: string;
  readonly vaultUrl: string | undefined;
  readonly rotation: "lenient" | "strict";
  /** Lenient rotation: persist interval in seconds (config `rotationPersistIntervalHours`, default 24 h). */
  readonly persistIntervalSeconds: number | undefined;
  /** Tenants the broker may serve besides the partner (config `allowedTenants`; default any). */
  readonly allowedTenants: readonly string[] | undefined;
  /** Secret-name prefix of the profile (config `profiles.<name>.secretPrefix`). */
  readonly secretPrefix: string | undefined;
}

/** What commands get from {@link createContext}. Each getter creates its object once. */
export interface CliContext {
  readonly settings: ContextSettings;
  /** The selected cloud (for `emulator`: kept with the profile after the first read). */
  cloud(): Promise<CloudDefinition>;
  /** The HTTP seam (trusts the emulator's CA when it serves HTTPS). */
  http(): Promise<HttpClient>;
  /** The secret store (fail closed: its errors propagate). */
  store(): Promise<SecretStore>;
  /** The profile read from the store. @throws SamkitError `SAMKIT_STORE_PROFILE_NOT_FOUND` */
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
  readonly emulator?: { readonly url: string; readonly cloud: CloudDefinition };
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Add the shared options to a command: `--cloud`, `--profile`, `--emulator-url`, `--store`,
 * `--vault-url`, `--rotation`. Read them back with `command.opts()` and pass to {@link createContext}.
 */
export function addContextOptions(command: Command): Command {
  return command
    .option("--cloud <name>", "cloud: global, usgov, china or emulator (env SAMKIT_CLOUD)")
    .option("--profile <name>", "profile (partner) to use (env SAMKIT_PROFILE, default: default)")
    .option("--emulator-url <url>", "emulator identity URL for --cloud emulator (env SAMKIT_EMULATOR_URL)")
    .option("--store <kind>", "secret store: file or keyvault (env SAMKIT_STORE)")
    .option("--vault-url <url>", "Key Vault URL for --store keyvault (env SAMKIT_VAULT_URL)")
    .option("--rotation <policy>", "refresh-token rotation policy: lenient or strict (env SAMKIT_ROTATION)");
}

function nonEmpty(...values: (string | undefined)[]): string | undefined {
  for (const v of values) if (v !== undefined && v.trim() !== "") return v.trim();
  return undefined;
}

async function defaultHome(): Promise<string> {
  const { default: envPaths } = await import("env-paths");
  return envPaths("samkit", { suffix: "" }).config;
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await fs.readFile(path, "utf8")) as unknown;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    if (e instanceof SyntaxError) {
      throw new SamkitError("SAMKIT_INVALID_INPUT", { params: { detail: `${path} is not valid JSON (${e.message}).` }, cause: e });
    }
    throw e;
  }
}

function str(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === "string" ? v : undefined;
}

/**
 * Resolve settings with precedence flag > `SAMKIT_*` variable > `$SAMKIT_HOME/config.json` >
 * default (CONTRACTS §6).
 * @throws SamkitError `SAMKIT_INVALID_INPUT` for an unreadable config file or a bad rotation policy.
 */
export async function resolveSettings(flags: ContextFlags = {}, env: Env = process.env): Promise<ContextSettings> {
  const home = nonEmpty(env["SAMKIT_HOME"]) ?? (await defaultHome());
  const raw = await readJson(join(home, "config.json"));
  const config: Record<string, unknown> = raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const profile = nonEmpty(flags.profile, env["SAMKIT_PROFILE"], str(config, "profile")) ?? "default";
  const profiles = config["profiles"];
  const profileConfig =
    profiles !== null && typeof profiles === "object" && !Array.isArray(profiles)
      ? ((profiles as Record<string, unknown>)[profile] as Record<string, unknown> | undefined)
      : undefined;
  const rotation = (nonEmpty(flags.rotation, env["SAMKIT_ROTATION"], str(config, "rotation")) ?? "lenient").toLowerCase();
  if (rotation !== "lenient" && rotation !== "strict") {
    throw new SamkitError("SAMKIT_INVALID_INPUT", { params: { detail: `Unknown rotation policy '${rotation}' (use lenient or strict).` } });
  }
  const hours = config["rotationPersistIntervalHours"];
  const allowed = config["allowedTenants"];
  return {
    home,
    profile,
    cloud: nonEmpty(flags.cloud, env["SAMKIT_CLOUD"], profileConfig ? str(profileConfig, "cloud") : undefined, str(config, "cloud")) ?? "global",
    emulatorUrl: nonEmpty(flags.emulatorUrl, env["SAMKIT_EMULATOR_URL"], str(config, "emulatorUrl")),
    store: (nonEmpty(flags.store, env["SAMKIT_STORE"], str(config, "store")) ?? "file").toLowerCase(),
    vaultUrl: nonEmpty(flags.vaultUrl, env["SAMKIT_VAULT_URL"], str(config, "vaultUrl")),
    rotation,
    persistIntervalSeconds: typeof hours === "number" && hours >= 0 ? hours * 3600 : undefined,
    allowedTenants: Array.isArray(allowed) ? allowed.filter((t): t is string => typeof t === "string") : undefined,
    secretPrefix: profileConfig ? str(profileConfig, "secretPrefix") : undefined,
  };
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
  const v = await readJson(join(dir, "profile.json")).catch(() => undefined);
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
 * Create the lazy context for one CLI run (or one library caller that wants the CLI's defaults).
 * @param flags parsed command options ({@link addContextOptions})
 * @param env environment (default `process.env`)
 */
export function createContext(flags: ContextFlags = {}, env: Env = process.env): CliContextWithSettings {
  return new LazyContext(flags, env);
}

/** {@link CliContext} whose settings are resolved on first use. */
export interface CliContextWithSettings extends Omit<CliContext, "settings"> {
  /** The settings in effect (reads `config.json` once). */
  settings(): Promise<ContextSettings>;
}

class LazyContext implements CliContextWithSettings {
  #settings: Promise<ContextSettings> | undefined;
  #hint: Promise<ProfileHint | undefined> | undefined;
  #cloud: Promise<CloudDefinition> | undefined;
  #http: Promise<HttpClient> | undefined;
  #store: Promise<SecretStore> | undefined;
  #profile: Promise<PartnerProfile> | undefined;
  #broker: Promise<TokenBroker> | undefined;

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
      const { parseCloudName, getCloud } = await import("../cloud/resolve.js");
      if (parseCloudName(s.cloud) !== "emulator") return getCloud(s.cloud);
      const kept = (await this.hint())?.emulator;
      if (kept !== undefined && (s.emulatorUrl === undefined || sameOrigin(s.emulatorUrl, kept.url))) return kept.cloud;
      if (s.emulatorUrl === undefined) throw new SamkitError("SAMKIT_CLOUD_EMULATOR_URL_MISSING");
      const [{ loadEmulatorCloud }, { createHttpClient }] = await Promise.all([import("../cloud/emulator.js"), import("../http/client.js")]);
      const cloud = await loadEmulatorCloud(s.emulatorUrl, createHttpClient());
      await this.updateHint({ emulator: { url: s.emulatorUrl, cloud } });
      return cloud;
    })();
    return this.#cloud;
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
      const cloud = s.store === "file" ? undefined : await this.cloud();
      const { openStore } = await import("../store/open-store.js");
      return openStore({
        kind: s.store,
        home: s.home,
        storeKey: nonEmpty(this.env["SAMKIT_STORE_KEY"]),
        vaultUrl: s.vaultUrl,
        ...(cloud !== undefined ? { cloud: cloud.name, authorityHost: cloud.authorityHost, caCertPath: cloud.caCertPath } : {}),
      });
    })();
    return this.#store;
  }

  profile(): Promise<PartnerProfile> {
    this.#profile ??= (async () => {
      const s = await this.settings();
      const store = await this.store();
      const { storeProfileSource } = await import("../broker/profile-source.js");
      const cloud = await this.cloud();
      const p = await storeProfileSource(store, s.profile, {
        ...(s.secretPrefix !== undefined ? { secretPrefix: s.secretPrefix } : {}),
        defaultCloud: cloud.name,
      }).read();
      await this.rememberIdentity(p);
      return p;
    })();
    return this.#profile;
  }

  private async rememberIdentity(p: PartnerProfile): Promise<void> {
    const s = await this.settings();
    const stamp = await storeStamp(s);
    const h = await this.hint();
    if (h?.clientId === p.clientId && h.tenantId === p.tenantId.toLowerCase() && h.storeStamp === stamp) return;
    await this.updateHint({ clientId: p.clientId, tenantId: p.tenantId.toLowerCase(), ...(stamp !== undefined ? { storeStamp: stamp } : {}) });
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
          read: async () => {
            const { storeProfileSource } = await import("../broker/profile-source.js");
            const p = await storeProfileSource(await this.store(), s.profile, {
              ...(s.secretPrefix !== undefined ? { secretPrefix: s.secretPrefix } : {}),
              defaultCloud: cloud.name,
            }).read();
            await this.rememberIdentity(p);
            return p;
          },
          saveRefreshToken: async (profile, token, rotatedAtIso) => {
            const { storeProfileSource } = await import("../broker/profile-source.js");
            const src = storeProfileSource(await this.store(), s.profile, s.secretPrefix !== undefined ? { secretPrefix: s.secretPrefix } : {});
            return src.saveRefreshToken(profile, token, rotatedAtIso);
          },
          withLock: async (fn) => (await this.store()).withLock(fn),
        },
        ...(identity !== undefined ? { identity } : {}),
        http: () => this.http(),
        rotation: s.rotation,
        ...(s.persistIntervalSeconds !== undefined ? { persistIntervalSeconds: s.persistIntervalSeconds } : {}),
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
