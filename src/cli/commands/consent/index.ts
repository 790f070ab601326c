import type { Command } from "commander";
import { addGlobalOptions, readGlobalOptions } from "../../options.js";
import type { ConfigFlags } from "../../../config/load.js";

const EXAMPLES = `
Examples:
  # Sign in as a partner admin with MFA in the system browser; stores the refresh token
  samkit consent

  # Headless machine: print the URL only (open it anywhere that can reach this machine's localhost)
  samkit consent --no-browser

  # Device code (no browser on this machine at all)
  samkit consent --device-code

  # Also consent Microsoft Graph delegated scopes
  samkit consent --scope https://graph.microsoft.com/Directory.Read.All

  # Import a refresh token minted elsewhere (e.g. from an existing Key Vault); it is proven first
  az keyvault secret show --vault-name my-vault -n RefreshToken --query value -o tsv | samkit consent --refresh-token-stdin

  # US Government cloud
  samkit consent --cloud usgov --tenant contoso.onmicrosoft.us

Exit codes: 0 ok, 1 error, 2 bad input, 4 sign-in must be repeated.
See docs/consent.md.`;

/** Parsed options of `samkit consent`. */
export interface ConsentCommandOptions extends ConfigFlags {
  /** commander's negated `--no-browser`: false when given. */
  readonly browser?: boolean;
  readonly deviceCode?: boolean;
  readonly scope?: string[];
  readonly allowNoMfa?: boolean;
  readonly refreshTokenStdin?: boolean;
  readonly tenant?: string;
  readonly timeout?: string;
  readonly port?: string;
  readonly json?: boolean;
}

/** `samkit consent`: MFA sign-in of the partner admin; stores the refresh token (docs/consent.md). */
export function define(program: Command): void {
  const cmd = program
    .command("consent")
    .description("Sign in as the partner admin (with MFA), verify the sign-in and store the refresh token")
    .option("--no-browser", "do not open a browser; only print the sign-in URL")
    .option("--device-code", "sign in with a device code instead of a browser on this machine")
    .option("--scope <scope...>", "extra scopes to consent (full URIs), besides Partner Center user_impersonation")
    .option("--allow-no-mfa", "store the refresh token even if the sign-in did not use MFA (Partner Center will reject it)")
    .option("--refresh-token-stdin", "import a refresh token read from standard input instead of signing in")
    .option("--tenant <tenant>", "partner tenant ID or domain (default: the profile's tenant)")
    .option("--timeout <seconds>", "how long to wait for the sign-in (default 300)")
    .option("--port <port>", "loopback port for the browser redirect (default: a random free port)")
    .option("--json", "print the result as JSON (no secrets)");
  addGlobalOptions(cmd)
    .addHelpText("after", EXAMPLES)
    .action(async (opts: ConsentCommandOptions, command: Command) => {
      const { runConsentCommand } = await import("./run.js");
      await runConsentCommand({ ...opts, ...readGlobalOptions(command) }, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
    });
}
