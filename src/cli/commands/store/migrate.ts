import type { Command } from "commander";
import { SamkitError } from "../../../errors/index.js";
import { createContext } from "../../context.js";
import { readGlobalOptions } from "../../options.js";
import { diag, printJson } from "../../output.js";
import type { StoreMigrateOptions } from "./index.js";

/**
 * `samkit store migrate --to keyvault|file`: copy the current profile to the other store
 * (`copyProfile`: write, read back, compare), record the new store for the profile in
 * config.json, and only then report success. Output follows docs/cli.md: the result (what was
 * copied, verified and recorded; or the `--json` object) on stdout; progress, the hint to delete
 * the kept source copy and the `--store`/`SAMKIT_STORE` override note on stderr.
 * @throws SamkitError `SAMKIT_USAGE` (bad --to), `SAMKIT_STORE_MIGRATE_SAME_STORE`, the stores' and config's errors
 */
export async function runStoreMigrate(cmd: Command): Promise<void> {
  const opts = cmd.opts<StoreMigrateOptions>();
  const flags = readGlobalOptions(cmd);
  const to = opts.to.toLowerCase();
  if (to !== "file" && to !== "keyvault") {
    throw new SamkitError("SAMKIT_USAGE", {
      params: {
        detail: `--to must be keyvault or file, not ${JSON.stringify(opts.to)}.`,
        command: "store migrate",
      },
    });
  }
  const ctx = createContext(flags);
  const settings = await ctx.settings();
  if (settings.store === to) {
    const where = to === "keyvault" && settings.vaultUrl ? ` (${settings.vaultUrl})` : ` (${settings.home})`;
    throw new SamkitError("SAMKIT_STORE_MIGRATE_SAME_STORE", { params: { kind: to, where } });
  }
  const source = await ctx.store();
  const { openStore } = await import("../../../store/open-store.js");
  let target;
  let vaultUrl = settings.vaultUrl;
  if (to === "keyvault") {
    const cloud = await ctx.cloud();
    if (vaultUrl === undefined && cloud.name === "emulator") vaultUrl = cloud.resources.keyvault?.endpoint;
    target = await openStore({
      kind: "keyvault",
      vaultUrl,
      cloud: cloud.name,
      authorityHost: cloud.authorityHost,
      caCertPath: cloud.caCertPath ?? null,
    });
  } else {
    target = await openStore({ kind: "file", home: settings.home, storeKey: settings.storeKey });
  }
  if (opts.json !== true) {
    const where = to === "keyvault" && vaultUrl !== undefined ? ` (${vaultUrl})` : "";
    diag(`Copying profile ${settings.profile} from the ${settings.store} store to ${to}${where}…`);
  }
  const { copyProfile } = await import("../../../store/migrate.js");
  const result = await copyProfile(source, target, settings.profile, {
    secretPrefix: settings.secretPrefix,
    defaultCloud: settings.cloud,
    overwrite: opts.force === true,
  });
  const { updateProfileConfig } = await import("../../../config/save.js");
  await updateProfileConfig(
    settings.home,
    settings.profile,
    to === "keyvault" ? { store: to, vaultUrl } : { store: to },
  );
  const overridden = settings.sources.store === "flag" || settings.sources.store === "env";
  if (opts.json === true) {
    printJson({
      ...result,
      store: to,
      // The Key Vault involved: the target for --to keyvault, the source for --to file (null: none).
      vaultUrl: vaultUrl ?? null,
      configPath: settings.configPath,
      verified: true,
    });
  } else {
    process.stdout.write(
      `Copied profile ${result.profile} (${result.secrets.length} secrets) from ${result.from} to ${result.to} and verified it.\n` +
        `Recorded store "${to}" for profile ${result.profile} in ${settings.configPath}.\n`,
    );
    diag(
      `The source copy was kept; once you are sure, remove it with: samkit profile delete ${result.profile} --store ${settings.store} --yes`,
    );
  }
  if (overridden) {
    diag(
      `Note: ${settings.sources.store === "env" ? "SAMKIT_STORE" : "--store"} still selects "${settings.store}" and wins over config.json; unset it to use the new store.`,
    );
  }
}
