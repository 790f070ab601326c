/**
 * Glue between the `status` flags and the status library: context → store, profile, broker,
 * Partner Center; then print the report and set the exit code (CONTRACTS §5).
 */
import { collectStatus } from "../../../status/report.js";
import type { StatusDependencies, StatusReport } from "../../../status/types.js";
import type { PartnerProfile } from "../../../store/types.js";
import { createContext, type ContextFlags } from "../../context.js";
import { parseConcurrency } from "../foreach/command.js";
import {
  formatProblems,
  formatProfile,
  formatStatus,
  formatTenantRowsPlain,
  formatTenantsSummary,
} from "./format.js";
import type { StatusCommandOptions } from "./index.js";

/**
 * `samkit status [--renew] [--tenants] [--json]`. Store errors fail closed (thrown, exit 1).
 */
export async function runStatusCommand(
  opts: StatusCommandOptions,
  flags: ContextFlags = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
  stdout: { write(chunk: string): unknown; readonly isTTY?: boolean } = process.stdout,
  stderr: { write(chunk: string): unknown } = process.stderr,
): Promise<StatusReport> {
  const concurrency = parseConcurrency(opts.concurrency);
  const ctx = createContext(flags, env);
  const [settings, cloud, store] = await Promise.all([ctx.settings(), ctx.cloud(), ctx.store()]);
  const { readProfile } = await import("../../../store/profile.js");
  const read = (): Promise<PartnerProfile | undefined> =>
    readProfile(store, settings.profile, {
      ...(settings.secretPrefix !== undefined ? { secretPrefix: settings.secretPrefix } : {}),
      defaultCloud: cloud.name,
    });
  const profile = await read();
  const http = await ctx.http();
  const getToken: StatusDependencies["getToken"] = (r) => ctx.getToken(r);
  const { PartnerCenterClient } = await import("../../../partner-center/client.js");
  const partnerCenter = new PartnerCenterClient({ http, cloud, getToken });
  const report = await collectStatus(
    {
      profileName: settings.profile,
      storeDescription: store.description,
      profile,
      cloud,
      http,
      getToken,
      renewRefreshToken: async (o) => (await ctx.broker()).renewRefreshToken(o),
      rereadProfile: read,
      listCustomers: (o) => partnerCenter.listCustomers(o),
    },
    { renew: opts.renew === true, tenants: opts.tenants === true, concurrency, graph: opts.graph !== false },
  );
  if (opts.json) stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (stdout.isTTY === true) stdout.write(formatStatus(report));
  else if (report.tenants) {
    // Piped (docs/cli.md): stdout carries the tenant rows only; everything else goes to stderr.
    stderr.write(formatProfile(report) + formatTenantsSummary(report));
    stdout.write(formatTenantRowsPlain(report));
    stderr.write(formatProblems(report));
  } else {
    // Piped without --tenants: the profile block is the data; problems go to stderr.
    stdout.write(formatProfile(report));
    stderr.write(formatProblems(report));
  }
  process.exitCode = report.exitCode;
  return report;
}
