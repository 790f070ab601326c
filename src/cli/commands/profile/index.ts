import type { Command } from "commander";
import { addGlobalOptions } from "../../options.js";

const LIST_EXAMPLES = `
Examples:
  samkit profile list                     # profiles in the configured store
  samkit profile list --store keyvault --vault-url https://contoso-sam.vault.azure.net
  samkit profile list --json | jq '.[] | select(.hasRefreshToken | not) | .profile'

Never prints a secret. See docs/profile.md.`;

const DELETE_EXAMPLES = `
Examples:
  samkit profile delete fabrikam --yes            # offboard: delete every secret of the profile
  samkit profile delete fabrikam --yes --purge    # Key Vault: also purge the soft-deleted secrets

Deletes ApplicationID, ApplicationSecret, TenantID, RefreshToken, SamkitCertificate and
SamkitProfile (with the profile's prefix) and its cached access tokens; nothing else.
Exit codes: 0 ok, 1 error, 2 bad input (unknown profile, --yes missing off a TTY). See docs/profile.md.`;

/** Parsed options of `samkit profile delete`. */
export interface ProfileDeleteOptions {
  readonly yes?: boolean;
  readonly purge?: boolean;
  readonly json?: boolean;
}

/** `samkit profile list|delete` (docs/profile.md). */
export function define(program: Command): void {
  const profile = program
    .command("profile")
    .description("List the partner profiles in the secret store, or delete one (offboarding)");
  addGlobalOptions(
    profile
      .command("list")
      .description("List the profiles in the secret store (names, tenant, refresh-token age; never secrets)"),
  )
    .addHelpText("after", LIST_EXAMPLES)
    .action(async (_opts: unknown, cmd: Command) => {
      const { runProfileList } = await import("./list.js");
      await runProfileList(cmd);
    });
  addGlobalOptions(
    profile
      .command("delete")
      .description("Delete every secret of a profile from the secret store")
      .argument("<name>", "profile name")
      .option("-y, --yes", "do not ask for confirmation (required when not on a terminal)")
      .option("--purge", "Key Vault: purge the deleted secrets so the names can be reused at once"),
  )
    .addHelpText("after", DELETE_EXAMPLES)
    .action(async (name: string, _opts: ProfileDeleteOptions, cmd: Command) => {
      const { runProfileDelete } = await import("./delete.js");
      await runProfileDelete(name, cmd);
    });
}
