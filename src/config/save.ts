/**
 * Writing `$SAMKIT_HOME/config.json`: validated, atomic (write-file-atomic: temp file + rename),
 * file mode 0600 in a 0700 folder (CONTRACTS §6).
 */
import { promises as fs } from "node:fs";
import { join } from "node:path";
import { SamkitError } from "../errors/index.js";
import { readConfigFile } from "./load.js";
import type { ConfigFile, ProfileSettings } from "./schema.js";

/**
 * Replace `$SAMKIT_HOME/config.json` with `file` (validated first).
 * @throws SamkitError `SAMKIT_CONFIG_INVALID` when `file` does not match the schema;
 *   `SAMKIT_CONFIG_WRITE_FAILED` on I/O errors.
 */
export async function saveConfig(home: string, file: ConfigFile): Promise<void> {
  const path = join(home, "config.json");
  const { parseConfigFile } = await import("./schema.js");
  const parsed = parseConfigFile(file);
  if (!parsed.ok) throw new SamkitError("SAMKIT_CONFIG_INVALID", { params: { path, detail: parsed.detail } });
  try {
    await fs.mkdir(home, { recursive: true, mode: 0o700 });
    await fs.chmod(home, 0o700);
    const { default: writeFileAtomic } = await import("write-file-atomic");
    await writeFileAtomic(path, `${JSON.stringify(parsed.value, null, 2)}\n`, { mode: 0o600 });
  } catch (e) {
    throw new SamkitError("SAMKIT_CONFIG_WRITE_FAILED", { params: { path, home, detail: (e as Error).message }, cause: e });
  }
}

/**
 * Read-modify-write the config file under a cross-process lock (proper-lockfile on
 * `config.json.lock`), e.g. `store migrate` recording the new store for a profile.
 * @returns the file as written.
 * @throws SamkitError `SAMKIT_CONFIG_INVALID`, `SAMKIT_CONFIG_WRITE_FAILED`.
 */
export async function updateConfig(home: string, mutate: (file: ConfigFile) => ConfigFile): Promise<ConfigFile> {
  await fs.mkdir(home, { recursive: true, mode: 0o700 }).catch(() => undefined);
  const { default: lockfile } = await import("proper-lockfile");
  let release: (() => Promise<void>) | undefined;
  try {
    release = await lockfile.lock(home, { lockfilePath: join(home, "config.json.lock"), retries: { retries: 20, minTimeout: 25, maxTimeout: 250 }, stale: 10_000 });
  } catch (e) {
    throw new SamkitError("SAMKIT_CONFIG_WRITE_FAILED", { params: { path: join(home, "config.json"), home, detail: `could not lock (${(e as Error).message})` }, cause: e });
  }
  try {
    const next = mutate(await readConfigFile(home));
    await saveConfig(home, next);
    return next;
  } finally {
    await release();
  }
}

/**
 * Set keys of `profiles.<profile>` (an `undefined` value removes the key).
 * @throws SamkitError `SAMKIT_CONFIG_INVALID`, `SAMKIT_CONFIG_WRITE_FAILED`.
 */
export async function updateProfileConfig(home: string, profile: string, patch: Partial<Record<keyof ProfileSettings, unknown>>): Promise<ConfigFile> {
  return updateConfig(home, (file) => {
    const current: Record<string, unknown> = { ...(file.profiles?.[profile] ?? {}) };
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined) delete current[k];
      else current[k] = v;
    }
    return { ...file, profiles: { ...(file.profiles ?? {}), [profile]: current } };
  });
}
