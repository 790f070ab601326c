/** Configuration: `loadConfig` (flag > SAMKIT_* > config.json > default) and atomic `saveConfig`. */
export {
  loadConfig,
  readConfigFile,
  resolveHome,
  defaultHome,
  DEFAULT_PERSIST_INTERVAL_SECONDS,
  type ConfigFlags,
  type ConfigSource,
  type SamkitConfig,
  type LoadConfigOptions,
} from "./load.js";
export { saveConfig, updateConfig, updateProfileConfig } from "./save.js";
export type { ConfigFile, ProfileSettings } from "./schema.js";
