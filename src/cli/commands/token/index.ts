import type { Command } from "commander";
import { addGlobalOptions, readGlobalOptions } from "../../options.js";

const EXAMPLES = `
Examples:
  # Bearer token for Microsoft Graph in the partner tenant
  curl -H "Authorization: Bearer $(samkit token --resource graph)" https://graph.microsoft.com/v1.0/organization

  # Partner Center (the default resource), as JSON with expiry and non-secret claims
  samkit token --json

  # A customer tenant, explicit scopes
  samkit token --tenant contoso.onmicrosoft.com --resource graph --scope User.Read.All

  # App-only token (client credentials) for Azure Resource Manager in a customer tenant
  samkit token --app-only --resource arm --tenant 0d9a3b6e-5f1c-4b8e-9c2d-7e6f5a4b3c2d

Exit codes: 0 ok, 1 error, 2 bad input, 4 re-consent needed (run \`samkit consent\`).
See docs/token.md.`;

/** `samkit token`: print an access token from the broker (docs/token.md). */
export function define(program: Command): void {
  const cmd = program
    .command("token")
    .description("Print an access token for a resource and tenant (from the stored refresh token, cached)")
    .option("--resource <alias|uri>", "partner-center (default), graph, arm, keyvault, exchange, aad-graph, or a resource URI")
    .option("--scope <scope...>", "explicit scopes (with --resource, short names like User.Read get its prefix)")
    .option("--tenant <tenant>", "tenant ID or domain (default: the partner tenant)")
    .option("--app-only", "app-only token (client credentials) instead of the partner user's delegated token")
    .option("--force-refresh", "drop the cached token (memory and disk) and redeem now")
    .option("--json", "print JSON: accessToken, expiresOn (ISO 8601), tenantId, scopes and non-secret claims");
  addGlobalOptions(cmd)
    .addHelpText("after", EXAMPLES)
    .action(async (opts: TokenCommandOptions, command: Command) => {
      const { runToken } = await import("./run.js");
      await runToken(opts, readGlobalOptions(command), { stdout: process.stdout, stderr: process.stderr });
    });
}

/** Parsed options of `samkit token`. */
export interface TokenCommandOptions {
  readonly resource?: string;
  readonly scope?: string[];
  readonly tenant?: string;
  readonly appOnly?: boolean;
  readonly forceRefresh?: boolean;
  readonly json?: boolean;
}
