/**
 * Configuration (CONTRACTS §6): flag > `SAMKIT_*` variable > `$SAMKIT_HOME/config.json`
 * (`profiles.<profile>` first, then top-level keys) > default.
 */
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { parseCloudName } from "../cloud/resolve.js";
import type { CloudName } from "../cloud/types.js";
import { SamkitError } from "../errors/index.js";
import { isLogLevel, type LogLevel } from "../log/logger.js";
import type { ConfigFile, ProfileSettings } from "./schema.js";

/** Settings that flags can set. `undefined` means "not given". */
export interface ConfigFlags {
  readonly profile?: string;
  readonly cloud?: string;
  readonly emulatorUrl?: string;
  readonly store?: string;
  readonly vaultUrl?: string;
  readonly logLevel?: string;
  readonly rotation?: string;
  /** Overrides `SAMKIT_HOME` (tests, `--home`). */
  readonly home?: string;
}

/** Where a setting came from. */
export type ConfigSource = "flag" | "env" | "profile" | "file" | "default";

/** The effective configuration. */
export interface SamkitConfig {
  /** `$SAMKIT_HOME`: the config folder (env-paths default, e.g. `~/.config/samkit` on Linux). */
  readonly home: string;
  /** `$SAMKIT_HOME/config.json` (may not exist). */
  readonly configPath: string;
  /** Profile name (one partner per profile), default `default`. */
  readonly profile: string;
  /** Normalised cloud name (`global` default). */
  readonly cloud: CloudName;
  /** Emulator identity origin (`SAMKIT_EMULATOR_URL`), required when `cloud` is `emulator`. */
  readonly emulatorUrl: string | undefined;
  /** Secret store kind, default `file`. */
  readonly store: "file" | "keyvault";
  /** Key Vault URL for `store: keyvault`. */
  readonly vaultUrl: string | undefined;
  /** Base64 store key from `SAMKIT_STORE_KEY` only (never read from the config file). A secret: do not log. */
  readonly storeKey: string | undefined;
  /** Log level, default `warn`. */
  readonly logLevel: LogLevel;
  /** Refresh-token rotation policy (CONTRACTS §3), default `lenient`. */
  readonly rotation: "lenient" | "strict";
  /** Lenient rotation: persist interval in **seconds** (default 86 400 = 24 h). */
  readonly refreshTokenPersistIntervalSeconds: number;
  /** Tenants the broker may serve besides the partner; `undefined` = any. */
  readonly allowedTenants: readonly string[] | undefined;
  /** Secret-name prefix of the profile in the store. */
  readonly secretPrefix: string | undefined;
  /** The parsed file (empty object when there is none). */
  readonly file: ConfigFile;
  /** Where each setting came from. */
  readonly sources: Readonly<Record<"profile" | "cloud" | "emulatorUrl" | "store" | "vaultUrl" | "logLevel" | "rotation", ConfigSource>>;
}

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Environment (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Default persist interval: 24 h in seconds (DESIGN.md "Refresh token handling"). */
export const DEFAULT_PERSIST_INTERVAL_SECONDS = 24 * 3600;

function given(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === "" ? undefined : t;
}

/** The default `$SAMKIT_HOME`: env-paths' config folder for `samkit` (no `-nodejs` suffix). */
export async function defaultHome(): Promise<string> {
  const { default: envPaths } = await import("env-paths");
  return envPaths("samkit", { suffix: "" }).config;
}

/** `$SAMKIT_HOME` from flags / env / the env-paths default. */
export async function resolveHome(flags: Pick<ConfigFlags, "home"> = {}, env: Readonly<Record<string, string | undefined>> = process.env): Promise<string> {
  return given(flags.home) ?? given(env["SAMKIT_HOME"]) ?? (await defaultHome());
}

/**
 * Read and validate `$SAMKIT_HOME/config.json`; an absent file is `{}`.
 * @throws SamkitError `SAMKIT_HOME_NOT_A_FOLDER` when `home` (or a folder above it) is a file;
 *   `SAMKIT_CONFIG_INVALID` (with the path) for unreadable JSON or wrong types.
 */
export async function readConfigFile(home: string): Promise<ConfigFile> {
  const path = join(home, "config.json");
  let text: string;
  try {
    text = await fs.readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return {};
    // SAMKIT_HOME (or a folder above it) is a file: say that, not "config.json is not valid".
    if (code === "ENOTDIR") throw new SamkitError("SAMKIT_HOME_NOT_A_FOLDER", { params: { home }, cause: e });
    throw new SamkitError("SAMKIT_CONFIG_INVALID", { params: { path, detail: (e as Error).message }, cause: e });
  }
  let data: unknown;
  try {
    data = JSON.parse(text) as unknown;
  } catch (e) {
    throw new SamkitError("SAMKIT_CONFIG_INVALID", { params: { path, detail: `not valid JSON (${(e as Error).message})` }, cause: e });
  }
  const { parseConfigFile } = await import("./schema.js");
  const parsed = parseConfigFile(data);
  if (!parsed.ok) throw new SamkitError("SAMKIT_CONFIG_INVALID", { params: { path, detail: parsed.detail } });
  return parsed.value;
}

type Pick3<T> = { value: T; source: ConfigSource };

function pick<T extends string>(flag: string | undefined, envValue: string | undefined, prof: T | undefined, top: T | undefined, dflt: T): Pick3<string> {
  const f = given(flag);
  if (f !== undefined) return { value: f, source: "flag" };
  const e = given(envValue);
  if (e !== undefined) return { value: e, source: "env" };
  if (prof !== undefined) return { value: prof, source: "profile" };
  if (top !== undefined) return { value: top, source: "file" };
  return { value: dflt, source: "default" };
}

function pickOptional(flag: string | undefined, envValue: string | undefined, prof: string | undefined, top: string | undefined): { value: string | undefined; source: ConfigSource } {
  const r = pick(flag, envValue, prof, top, "");
  return r.value === "" ? { value: undefined, source: "default" } : r;
}

function invalid(path: string, detail: string, source: ConfigSource): SamkitError {
  if (source === "file" || source === "profile") return new SamkitError("SAMKIT_CONFIG_INVALID", { params: { path, detail } });
  return new SamkitError("SAMKIT_INVALID_INPUT", { params: { detail } });
}

/**
 * Load the effective configuration (CONTRACTS §6). Variables: `SAMKIT_HOME`, `SAMKIT_PROFILE`,
 * `SAMKIT_CLOUD`, `SAMKIT_EMULATOR_URL`, `SAMKIT_STORE` (`file`|`keyvault`), `SAMKIT_VAULT_URL`,
 * `SAMKIT_STORE_KEY` (env only), `SAMKIT_LOG_LEVEL`, `SAMKIT_ROTATION` (`lenient`|`strict`).
 *
 * @throws SamkitError `SAMKIT_HOME_NOT_A_FOLDER`, `SAMKIT_CONFIG_INVALID` (bad file, path named), `SAMKIT_INVALID_INPUT`
 *   (bad flag/variable value), `SAMKIT_CLOUD_UNKNOWN` / `SAMKIT_CLOUD_RETIRED` (cloud name),
 *   `SAMKIT_CLOUD_EMULATOR_URL_MISSING` (cloud `emulator` without a URL).
 */
export async function loadConfig(flags: ConfigFlags = {}, options: LoadConfigOptions = {}): Promise<SamkitConfig> {
  const env = options.env ?? process.env;
  const home = await resolveHome(flags, env);
  const configPath = join(home, "config.json");
  const file = await readConfigFile(home);
  const profile = pick(flags.profile, env["SAMKIT_PROFILE"], undefined, file.profile, "default");
  const prof: ProfileSettings = file.profiles?.[profile.value] ?? {};

  const cloudPick = pick(flags.cloud, env["SAMKIT_CLOUD"], prof.cloud, file.cloud, "global");
  let cloud: CloudName;
  try {
    cloud = parseCloudName(cloudPick.value);
  } catch (e) {
    if (cloudPick.source === "file" || cloudPick.source === "profile") {
      throw new SamkitError("SAMKIT_CONFIG_INVALID", { params: { path: configPath, detail: (e as Error).message }, cause: e });
    }
    throw e;
  }
  const emulatorUrl = pickOptional(flags.emulatorUrl, env["SAMKIT_EMULATOR_URL"], prof.emulatorUrl, file.emulatorUrl);
  if (emulatorUrl.value !== undefined && !URL.canParse(emulatorUrl.value)) {
    throw invalid(configPath, `emulator URL '${emulatorUrl.value}' is not a URL`, emulatorUrl.source);
  }
  if (cloud === "emulator" && emulatorUrl.value === undefined) throw new SamkitError("SAMKIT_CLOUD_EMULATOR_URL_MISSING");

  const store = pick(flags.store, env["SAMKIT_STORE"], prof.store, file.store, "file");
  const storeKind = store.value.toLowerCase();
  if (storeKind !== "file" && storeKind !== "keyvault") throw invalid(configPath, `unknown store '${store.value}' (use file or keyvault)`, store.source);
  const vaultUrl = pickOptional(flags.vaultUrl, env["SAMKIT_VAULT_URL"], prof.vaultUrl, file.vaultUrl);
  if (vaultUrl.value !== undefined && !URL.canParse(vaultUrl.value)) throw invalid(configPath, `vault URL '${vaultUrl.value}' is not a URL`, vaultUrl.source);

  const logLevel = pick(flags.logLevel, env["SAMKIT_LOG_LEVEL"], prof.logLevel, file.logLevel, "warn");
  const level = logLevel.value.toLowerCase();
  if (!isLogLevel(level)) throw invalid(configPath, `unknown log level '${logLevel.value}' (use fatal, error, warn, info, debug, trace or silent)`, logLevel.source);

  const rotation = pick(flags.rotation, env["SAMKIT_ROTATION"], prof.rotation, file.rotation, "lenient");
  const rot = rotation.value.toLowerCase();
  if (rot !== "lenient" && rot !== "strict") throw invalid(configPath, `unknown rotation policy '${rotation.value}' (use lenient or strict)`, rotation.source);

  const hours = prof.rotationPersistIntervalHours ?? file.rotationPersistIntervalHours;
  return {
    home,
    configPath,
    profile: profile.value,
    cloud,
    emulatorUrl: emulatorUrl.value,
    store: storeKind,
    vaultUrl: vaultUrl.value,
    storeKey: given(env["SAMKIT_STORE_KEY"]),
    logLevel: level,
    rotation: rot,
    refreshTokenPersistIntervalSeconds: hours === undefined ? DEFAULT_PERSIST_INTERVAL_SECONDS : Math.round(hours * 3600),
    allowedTenants: prof.allowedTenants ?? file.allowedTenants,
    secretPrefix: prof.secretPrefix ?? file.secretPrefix,
    file,
    sources: {
      profile: profile.source,
      cloud: cloudPick.source,
      emulatorUrl: emulatorUrl.source,
      store: store.source,
      vaultUrl: vaultUrl.source,
      logLevel: logLevel.source,
      rotation: rotation.source,
    },
  };
}
