import type { Command } from "commander";
import { addGlobalOptions } from "../../options.js";

const EXAMPLES = `
Examples:
  # Move the current profile from the encrypted file to Azure Key Vault
  samkit store migrate --to keyvault --vault-url https://contoso-sam.vault.azure.net

  # ...and back to the local encrypted file
  samkit store migrate --to file --vault-url https://contoso-sam.vault.azure.net

  # Another profile, replacing a copy that is already in the vault
  samkit store migrate --to keyvault --profile fabrikam --force

The profile is copied, read back and compared, and only then recorded in config.json; the source
copy is kept (remove it with \`samkit profile delete NAME --store <old>\`). Never prints a secret.
Exit codes: 0 ok, 1 error, 2 bad input. See docs/store.md and docs/storage.md.`;

/** Parsed options of `samkit store migrate`. */
export interface StoreMigrateOptions {
  readonly to: string;
  readonly force?: boolean;
  readonly json?: boolean;
}

/** `samkit store …` (docs/store.md). */
export function define(program: Command): void {
  const store = program
    .command("store")
    .description("Manage where samkit keeps secrets (encrypted file or Azure Key Vault)");
  const migrate = store
    .command("migrate")
    .description("Copy the profile to the other secret store, verify it, and switch the configuration to it")
    .requiredOption("--to <kind>", "target store: keyvault or file")
    .option("--force", "overwrite the profile if the target store already holds it");
  addGlobalOptions(migrate)
    .addHelpText("after", EXAMPLES)
    .action(async (_opts: StoreMigrateOptions, cmd: Command) => {
      const { runStoreMigrate } = await import("./migrate.js");
      await runStoreMigrate(cmd);
    });
}
