import type { Command } from "commander";
import { addGlobalOptions, readGlobalOptions } from "../../options.js";
import type { ConfigFlags } from "../../../config/load.js";

const CREATE_EXAMPLES = `
Examples:
  # Create (or repair) the app; sign in as a partner admin in the browser
  samkit app create

  # Show the plan only (a dry run still signs the admin in, to read what exists)
  samkit app create --dry-run --device-code

  # Skip the tenant-wide admin consent (a Global Administrator grants it later with the printed URL)
  samkit app create --no-admin-consent

  # Headless: device-code sign-in, certificate instead of a secret, legacy DAP pre-consent
  samkit app create --device-code --certificate --preconsent

  # Extra permissions (RESOURCE:Scope|Role:PERMISSION)
  samkit app create --permission graph:Role:User.Read.All --permission arm:Scope:user_impersonation

Re-running changes nothing when the app, its service principal and the stored secret are in place.
See docs/app.md.`;

const ROTATE_EXAMPLES = `
Examples:
  samkit app rotate-secret
  samkit app rotate-secret --device-code --json
  samkit app rotate-secret --certificate      # switch to a certificate credential
See docs/app.md.`;

const USE_EXAMPLES = `
Examples:
  # Adopt the app made by Microsoft's PowerShell sample; the secret is read from stdin
  printf '%s' "$APP_SECRET" | samkit app use --client-id 6513270e-269e-4d37-b2a7-4de452e6b438 --tenant contoso.onmicrosoft.com --client-secret-stdin

  # Interactive: the secret is asked for with a hidden prompt
  samkit app use --client-id 6513270e-269e-4d37-b2a7-4de452e6b438 --tenant 0d9a3b6e-5f1c-4b8e-9c2d-7e6f5a4b3c2d
See docs/app.md.`;

/** Options shared by commands that sign the admin in. */
export interface AdminSignInFlags {
  /** commander's negated `--no-browser`. */
  readonly browser?: boolean;
  readonly deviceCode?: boolean;
  readonly timeout?: string;
}

/** Context flags (see `addGlobalOptions`). */
export type ContextCommandFlags = ConfigFlags;

export interface AppCreateFlags extends AdminSignInFlags, ContextCommandFlags {
  readonly name?: string;
  readonly tenant?: string;
  readonly dryRun?: boolean;
  readonly certificate?: boolean;
  readonly preconsent?: boolean;
  /** commander's negated `--no-admin-consent`: false when given. */
  readonly adminConsent?: boolean;
  readonly legacyAadGraph?: boolean;
  readonly legacyOob?: boolean;
  readonly permission?: string[];
  readonly showSecret?: boolean;
  readonly json?: boolean;
}

export interface AppRotateFlags extends AdminSignInFlags, ContextCommandFlags {
  readonly tenant?: string;
  readonly certificate?: boolean;
  readonly showSecret?: boolean;
  readonly json?: boolean;
}

export interface AppUseFlags extends ContextCommandFlags {
  readonly clientId?: string;
  readonly tenant?: string;
  readonly clientSecretStdin?: boolean;
  readonly json?: boolean;
}

function signInOptions(cmd: Command): Command {
  return cmd
    .option("--device-code", "sign the admin in with a device code instead of a browser (the default off a terminal)")
    .option("--no-browser", "do not open a browser; only print the sign-in URL")
    .option("--timeout <seconds>", "how long to wait for the admin sign-in (default 300)");
}

/** `samkit app create | rotate-secret | use` (docs/app.md). */
export function define(program: Command): void {
  const app = program.command("app").description("Create, rotate or adopt the Secure Application Model app registration");

  const create = signInOptions(
    app
      .command("create")
      .description("Create or repair the multi-tenant SAM app, its service principal and its secret (plan, then apply)")
      .option("--name <name>", "display name of the app (default: samkit Secure Application Model)")
      .option("--tenant <tenant>", "partner tenant ID or domain to sign in to (default: organizations)")
      .option("--dry-run", "print the plan and change nothing (still signs the admin in, to read what exists)")
      .option("--no-admin-consent", "do not grant tenant-wide admin consent (delegated grants and app role assignments) in the partner tenant (print the admin-consent URL instead)")
      .option("--certificate", "use a generated certificate (private key kept in the secret store) instead of a client secret")
      .option("--preconsent", "add the app's service principal to the AdminAgents group (legacy DAP pre-consent)")
      .option("--legacy-aad-graph", "also request the retired Azure AD Graph permissions of Microsoft's seed script")
      .option("--legacy-oob", "also register the deprecated out-of-band redirect URI urn:ietf:wg:oauth:2.0:oob")
      .option("--permission <spec...>", "extra permission RESOURCE:Scope|Role:PERMISSION (e.g. graph:Role:User.Read.All)")
      .option("--show-secret", "print a newly created client secret to stdout (it is always stored)")
      .option("--json", "print the plan and the result as JSON"),
  );
  addGlobalOptions(create)
    .addHelpText("after", CREATE_EXAMPLES)
    .action(async (opts: AppCreateFlags, command: Command) => {
      const { runAppCreate } = await import("./create.js");
      await runAppCreate({ ...opts, ...readGlobalOptions(command) }, { stdout: process.stdout, stderr: process.stderr });
    });

  const rotate = signInOptions(
    app
      .command("rotate-secret")
      .description("Add a new client secret (or certificate), store it, prove it, then remove the old one; rolls back on failure")
      .option("--tenant <tenant>", "partner tenant to sign in to (default: the profile's tenant)")
      .option("--certificate", "rotate to a generated certificate instead of a client secret")
      .option("--show-secret", "print the new client secret to stdout (it is always stored)")
      .option("--json", "print the result as JSON"),
  );
  addGlobalOptions(rotate)
    .addHelpText("after", ROTATE_EXAMPLES)
    .action(async (opts: AppRotateFlags, command: Command) => {
      const { runAppRotate } = await import("./rotate.js");
      await runAppRotate({ ...opts, ...readGlobalOptions(command) }, { stdout: process.stdout, stderr: process.stderr });
    });

  const use = app
    .command("use")
    .description("Adopt an existing app registration: prove its secret and store it in the profile")
    .option("--client-id <id>", "the app's client ID (required)")
    .option("--tenant <tenant>", "partner tenant ID or domain (required)")
    .option("--client-secret-stdin", "read the client secret from standard input (otherwise a hidden prompt on a terminal)")
    .option("--json", "print the result as JSON");
  addGlobalOptions(use)
    .addHelpText("after", USE_EXAMPLES)
    .action(async (opts: AppUseFlags, command: Command) => {
      const { runAppUse } = await import("./use.js");
      await runAppUse({ ...opts, ...readGlobalOptions(command) }, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
    });
}
