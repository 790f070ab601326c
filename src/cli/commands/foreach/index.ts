import type { Command } from "commander";
import { addGlobalOptions, readGlobalOptions } from "../../options.js";

const EXAMPLES = `
Examples:
  # Five users from every customer tenant, as a table with a summary
  samkit foreach -- api /v1.0/users -f '$top=5'

  # JSON Lines, one record per tenant: {tenantId, customer, ok, status, data | error}
  samkit foreach --jsonl --concurrency 16 -- api /v1.0/organization > orgs.jsonl

  # Only some tenants: a comma list, or a file with one tenant ID or domain per line
  samkit foreach --customers contoso.onmicrosoft.com,fabrikam.onmicrosoft.com -- api /v1.0/domains
  samkit foreach --allow-tenants allowed.txt --exclude-tenants paused.txt -- api '/subscriptions?api-version=2022-12-01' --paginate

Ctrl-C stops starting new tenants and prints what finished (twice cancels the running ones).
Exit codes: 0 every tenant ok, 3 some failed, 1 none succeeded (or an error), 2 bad input,
4 re-consent needed (the stored refresh token is expired or revoked). See docs/foreach.md.`;

/** Parsed options of `samkit foreach`. */
export interface ForeachCommandOptions {
  readonly customers?: string;
  readonly concurrency?: string;
  readonly jsonl?: boolean;
  readonly allowTenants?: string;
  readonly excludeTenants?: string;
  readonly progress?: boolean;
}

/** `samkit foreach [options] -- api ARGS` (docs/foreach.md). */
export function define(program: Command): void {
  const cmd = program
    .command("foreach")
    .description(
      "Run one `samkit api` request in every customer tenant (bounded concurrency, one result per tenant)",
    )
    .argument("<command...>", "after --: api PATH [api options except --tenant]")
    .option(
      "--customers <all|FILE|IDS>",
      "all customers (default), a file of tenant IDs/domains, or IDs/domains separated by commas",
    )
    .option("--concurrency <n>", "tenants in flight at once, 1-256 (default 8)")
    .option("--jsonl", "print one JSON record per tenant as it finishes; the summary goes to stderr")
    .option(
      "--allow-tenants <file>",
      "only these tenants (IDs or domains, one per line), checked before any token is requested",
    )
    .option("--exclude-tenants <file>", "never these tenants (IDs or domains, one per line)")
    .option("--no-progress", "no progress display, even on a terminal")
    .showHelpAfterError(
      "hint: the api command goes after --, e.g. samkit foreach --jsonl -- api /v1.0/users -f '$top=5'",
    );
  addGlobalOptions(cmd, { json: false })
    .addHelpText("after", EXAMPLES)
    .action(async (command: string[], opts: ForeachCommandOptions, self: Command) => {
      const { runForeachCommand } = await import("./command.js");
      await runForeachCommand(command, opts, readGlobalOptions(self));
    });
}
