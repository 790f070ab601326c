/**
 * Glue between the `customers` flags and the library: context → Partner Center client → run.
 */
import { normalizeTenant } from "../../../broker/tenants.js";
import { PartnerCenterClient } from "../../../partner-center/client.js";
import { appGraphGrants } from "../../../partner-center/default-grants.js";
import { createContext, type ContextFlags } from "../../context.js";
import { colorEnabled } from "../../output.js";
import type { CustomersCommandOptions } from "./index.js";
import { runCustomersConsent, runCustomersList, runCustomersShow, type CustomersOutput } from "./run.js";

/**
 * Run one `customers` verb; returns the exit code (3/1 when `--all` had failures, CONTRACTS §5).
 * @throws SamkitError — usage (exit 2); `SAMKIT_BROKER_TENANT_INVALID` (exit 2) when `show` is not given
 *   a tenant GUID or domain, before any request; Partner Center / token errors (exit 1, or 4 for re-consent).
 */
export async function runCustomersCommand(
  verb: "list" | "show" | "consent",
  customer: string | undefined,
  opts: CustomersCommandOptions,
  flags: ContextFlags,
  out: CustomersOutput = { stdout: process.stdout, stderr: process.stderr, isTty: process.stdout.isTTY === true, color: colorEnabled(process.stdout) },
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  // A customer is named by its tenant GUID or a domain: refuse anything else before any request.
  const shown = verb === "show" ? normalizeTenant(customer ?? "") : undefined;
  const ctx = createContext(flags, env);
  const [http, cloud] = await Promise.all([ctx.http(), ctx.cloud()]);
  const getToken = (r: Parameters<typeof ctx.getToken>[0]) => ctx.getToken(r);
  const client = new PartnerCenterClient({ http, cloud, getToken });
  const json = opts.json === true;
  if (verb === "list") {
    await runCustomersList(client, { json }, out);
    return 0;
  }
  if (verb === "show") {
    await runCustomersShow(client, shown ?? "", { json }, out);
    return 0;
  }
  const profile = await ctx.profile();
  const code = await runCustomersConsent(
    {
      client,
      applicationId: profile.clientId,
      ...(customer !== undefined ? { customer } : {}),
      ...(opts.all ? { all: true } : {}),
      ...(opts.grants !== undefined ? { grantsFile: opts.grants } : {}),
      ...(opts.replace ? { replace: true } : {}),
      ...(opts.remove ? { remove: true } : {}),
      json,
      defaultGrants: () => appGraphGrants({ http, cloud, getToken, applicationId: profile.clientId }),
    },
    out,
  );
  return code;
}
