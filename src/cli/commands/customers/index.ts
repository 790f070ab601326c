import type { Command } from "commander";
import { addGlobalOptions, readGlobalOptions } from "../../options.js";

const LIST_EXAMPLES = `
Examples:
  samkit customers list
  samkit customers list --json | jq -r '.[].companyProfile.tenantId'
See docs/customers.md.`;

const SHOW_EXAMPLES = `
Examples:
  samkit customers show contoso.onmicrosoft.com
  samkit customers show 0b6b4a9e-1f1c-4b8e-9c2d-7e6f5a4b3c2d --json
See docs/customers.md.`;

const CONSENT_EXAMPLES = `
Examples:
  # Consent the SAM app in one customer with the app's own Microsoft Graph permissions
  samkit customers consent contoso.onmicrosoft.com

  # Explicit grants, replacing an existing consent
  samkit customers consent 0b6b4a9e-1f1c-4b8e-9c2d-7e6f5a4b3c2d --grants grants.json --replace

  # Every customer (exit 3 when some failed), or offboard one
  samkit customers consent --all --json
  samkit customers consent contoso.onmicrosoft.com --remove

grants.json: [{"enterpriseApplicationId":"00000003-0000-0000-c000-000000000000","scope":"Directory.Read.All,User.Read"}]
Exit codes: 0 ok, 1 error, 2 bad input, 3 some customers failed (--all), 4 re-consent needed.
See docs/customers.md.`;

/** Parsed options of `samkit customers …`. */
export interface CustomersCommandOptions {
  readonly json?: boolean;
  readonly all?: boolean;
  readonly grants?: string;
  readonly replace?: boolean;
  readonly remove?: boolean;
}

/** `samkit customers list|show|consent` (docs/customers.md). */
export function define(program: Command): void {
  const customers = program.command("customers").description("The partner's customers in Partner Center: list, show, application consent");

  addGlobalOptions(
    customers
      .command("list")
      .description("List every customer (name, domain, tenant ID, relationship)")
      .option("--json", "print the customers as Partner Center returns them (a JSON array)"),
  )
    .addHelpText("after", LIST_EXAMPLES)
    .action(async (opts: CustomersCommandOptions, command: Command) => {
      const { runCustomersCommand } = await import("./command.js");
      await runCustomersCommand("list", undefined, opts, readGlobalOptions(command));
    });

  addGlobalOptions(
    customers
      .command("show")
      .description("Show one customer by customer ID or domain")
      .argument("<customer>", "customer ID (GUID) or domain")
      .option("--json", "print the customer as JSON"),
  )
    .addHelpText("after", SHOW_EXAMPLES)
    .action(async (customer: string, opts: CustomersCommandOptions, command: Command) => {
      const { runCustomersCommand } = await import("./command.js");
      await runCustomersCommand("show", customer, opts, readGlobalOptions(command));
    });

  addGlobalOptions(
    customers
      .command("consent")
      .description("Create (or replace, or remove) the SAM app's application consent in a customer tenant")
      .argument("[customer]", "customer ID (GUID) or domain")
      .option("--all", "every customer")
      .option("--grants <file>", "JSON file of grants [{enterpriseApplicationId, scope}] (default: the app's Microsoft Graph permissions)")
      .option("--replace", "delete an existing consent and create it again with these grants")
      .option("--remove", "delete the consent (offboarding)")
      .option("--json", "print one JSON record per customer"),
  )
    .addHelpText("after", CONSENT_EXAMPLES)
    .action(async (customer: string | undefined, opts: CustomersCommandOptions, command: Command) => {
      const { runCustomersCommand } = await import("./command.js");
      const code = await runCustomersCommand("consent", customer, opts, readGlobalOptions(command));
      if (code !== 0) process.exitCode = code;
    });
}
