/**
 * Schema of `$SAMKIT_HOME/config.json` (docs/configuration.md). Top-level keys are defaults for
 * every profile; `profiles.<name>` overrides them for one profile. Unknown keys are kept (other
 * areas may add theirs) but known keys must have the right type.
 */
import { z } from "zod/v3";
import { LOG_LEVELS } from "../log/logger.js";

const url = z.string().url();

/** Keys allowed at the top level and in `profiles.<name>`. */
export const profileSettingsSchema = z
  .object({
  cloud: z.string().min(1).optional(),
  emulatorUrl: url.optional(),
  store: z.enum(["file", "keyvault"]).optional(),
  vaultUrl: url.optional(),
  rotation: z.enum(["lenient", "strict"]).optional(),
  /** Lenient rotation: persist a rotated refresh token when the stored one is older than this (hours, default 24). */
  rotationPersistIntervalHours: z.number().nonnegative().optional(),
  allowedTenants: z.array(z.string().min(1)).optional(),
  secretPrefix: z.string().optional(),
  logLevel: z.enum(LOG_LEVELS).optional(),
  })
  .passthrough();

/** The whole config file. */
export const configFileSchema = profileSettingsSchema.extend({
  /** Profile used when neither --profile nor SAMKIT_PROFILE is given. */
  profile: z.string().min(1).optional(),
  profiles: z.record(z.string(), profileSettingsSchema).optional(),
});

/** Settings of one profile in the file. */
export type ProfileSettings = z.infer<typeof profileSettingsSchema>;
/** The parsed config file. */
export type ConfigFile = z.infer<typeof configFileSchema>;

/** Validate `data` read from `path`; issues are joined into one line. */
export function parseConfigFile(data: unknown): { ok: true; value: ConfigFile } | { ok: false; detail: string } {
  const r = configFileSchema.safeParse(data);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, detail: r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ") };
}
