import type { Command } from "commander";
import { addGlobalOptions, readGlobalOptions } from "../../options.js";

const EXAMPLES = `
Examples:
  samkit status                      # what is stored where, token and secret expiry
  samkit status --renew              # re-mint and store the refresh token (run weekly, e.g. from cron)
  samkit status --tenants            # plus: can samkit reach Graph in every customer tenant?
  samkit status --json | jq .refreshToken.daysLeft

Never prints a secret or token.
Exit codes: 0 ok, 1 error, 3 some customer tenants unhealthy (--tenants), 4 re-consent needed
(no refresh token, or past its 90-day inactivity window). See docs/status.md.`;

/** Parsed options of `samkit status`. */
export interface StatusCommandOptions {
  readonly json?: boolean;
  readonly renew?: boolean;
  readonly tenants?: boolean;
  readonly concurrency?: string;
  readonly graph?: boolean;
}

/** `samkit status` (docs/status.md). */
export function define(program: Command): void {
  const cmd = program
    .command("status")
    .description(
      "Show what is stored where, refresh-token age and days left, MFA at consent, app secret expiry; --renew keeps the token alive",
    )
    .option("--renew", "re-mint the refresh token now and store it (the keep-alive)")
    .option("--tenants", "check every customer tenant: Graph token obtainable? Graph reachable?")
    .option("--concurrency <n>", "tenant checks in flight with --tenants, 1-256 (default 8)")
    .option("--no-graph", "do not ask Microsoft Graph for the app secret's expiry (use the stored value)")
    .option("--json", "print the report as JSON (times ISO 8601)");
  addGlobalOptions(cmd)
    .addHelpText("after", EXAMPLES)
    .action(async (opts: StatusCommandOptions, self: Command) => {
      const { runStatusCommand } = await import("./command.js");
      await runStatusCommand(opts, readGlobalOptions(self));
    });
}
