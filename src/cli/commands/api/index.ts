import { Option, type Command } from "commander";
import { API_OPTIONS, type RawApiArgs } from "../../../api/args.js";
import { addGlobalOptions, readGlobalOptions } from "../../options.js";

const EXAMPLES = `
Examples:
  # Partner Center (paths starting /v1/): the partner profile, every customer
  samkit api /v1/profiles/organization
  samkit api /v1/customers --paginate

  # Microsoft Graph (paths starting /v1.0/ or /beta/) in a customer tenant
  samkit api /v1.0/users --tenant contoso.onmicrosoft.com -f '$top=5' -f '$select=id,userPrincipalName'
  samkit api https://graph.microsoft.com/v1.0/users --tenant 0b6b4a9e-1f1c-4b8e-9c2d-7e6f5a4b3c2d --paginate --jsonl

  # Azure Resource Manager (paths starting /subscriptions, /providers, /tenants)
  samkit api '/subscriptions?api-version=2022-12-01' --tenant contoso.onmicrosoft.com --paginate

  # Write calls: a body from fields or a file
  samkit api /v1.0/groups -X POST --tenant contoso.onmicrosoft.com -f displayName=Ops -f mailNickname=ops -F mailEnabled=false -F securityEnabled=true
  samkit api /v1/customers/0b6b4a9e-1f1c-4b8e-9c2d-7e6f5a4b3c2d/applicationconsents --input consent.json

Non-2xx answers print the service's error and samkit's next step on stderr.
Exit codes: 0 ok, 1 error, 2 bad input, 4 re-consent needed. See docs/api.md.`;

/** Parsed options of `samkit api` (the API_OPTIONS table; the shared options are read with `readGlobalOptions`). */
export type ApiCommandOptions = RawApiArgs;

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** `samkit api PATH`: an authenticated request to Partner Center, Graph or ARM (docs/api.md). */
export function define(program: Command): void {
  const cmd = program
    .command("api")
    .description("Call Partner Center, Microsoft Graph or Azure Resource Manager with the stored consent (like gh api / az rest)")
    .argument("<path>", "path (/v1/… Partner Center, /v1.0/… or /beta/… Graph, /subscriptions… ARM) or a full URL");
  for (const o of API_OPTIONS) {
    const flags = `${o.short !== undefined ? `-${o.short}, ` : ""}--${o.long}${o.value !== undefined ? ` <${o.value}>` : ""}`;
    const opt = new Option(flags, o.description);
    if (o.multiple) opt.argParser(collect);
    cmd.addOption(opt);
  }
  // `--json` (docs/cli.md): the output is JSON already; the flag makes errors print as JSON on stderr.
  addGlobalOptions(cmd)
    .addHelpText("after", EXAMPLES)
    .action(async (path: string, opts: ApiCommandOptions, command: Command) => {
      const { runApiCommand } = await import("./command.js");
      await runApiCommand(path, opts, readGlobalOptions(command), { stdout: process.stdout, stderr: process.stderr });
    });
}
