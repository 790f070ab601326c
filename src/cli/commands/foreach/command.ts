/**
 * Glue between the `foreach` flags and the library: flags → spec, selection and tenant lists;
 * context → HTTP (with the run's shared back-off), cloud, tokens, Partner Center; Ctrl-C → abort
 * signals; then {@link runForeach}.
 */
import { parseApiArgs } from "../../../api/args.js";
import { SamkitError } from "../../../errors/index.js";
import { backoffInterceptor } from "../../../fanout/backoff-dispatcher.js";
import { HostBackoff } from "../../../fanout/host-backoff.js";
import { parseCustomerSelection } from "../../../fanout/targets.js";
import { readTenantList } from "../../../fanout/tenant-filter.js";
import { createContext, type ContextFlags } from "../../context.js";
import type { ForeachCommandOptions } from "./index.js";
import { runForeach, type ForeachIo } from "./run.js";
import { onInterrupt } from "./signals.js";

function usage(detail: string): SamkitError {
  return new SamkitError("SAMKIT_USAGE", { params: { detail, command: "foreach" } });
}

/** Parses `--concurrency`: an integer 1…256. */
export function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return 8;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw usage(`--concurrency takes a whole number from 1 to 256, not "${value}".`);
  return n;
}

/**
 * `samkit foreach [options] -- api ARGS`. Sets `process.exitCode` per CONTRACTS §5.
 * @throws SamkitError — usage and input errors (exit 2) before any request is made; context errors.
 */
export async function runForeachCommand(
  command: readonly string[],
  opts: ForeachCommandOptions,
  flags: ContextFlags = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
  io: ForeachIo = { stdout: process.stdout, stderr: process.stderr, progressStream: process.stderr },
): Promise<void> {
  const [verb, ...args] = command;
  if (verb === undefined) throw new SamkitError("SAMKIT_FOREACH_NO_COMMAND");
  if (verb !== "api")
    throw usage(`samkit foreach runs \`api\` requests; "${verb}" is not supported (use \`-- api PATH …\`).`);
  const spec = await parseApiArgs(args);
  if (spec.tenant !== undefined)
    throw usage(
      "Do not pass --tenant to the api command inside foreach: foreach sets the tenant for each customer.",
    );
  const concurrency = parseConcurrency(opts.concurrency);
  const selection = await parseCustomerSelection(opts.customers);
  const allow = opts.allowTenants !== undefined ? await readTenantList(opts.allowTenants) : undefined;
  const exclude = opts.excludeTenants !== undefined ? await readTenantList(opts.excludeTenants) : undefined;

  const ctx = createContext(flags, env);
  const cloud = await ctx.cloud();
  const { createHttpClient, createDispatcher } = await import("../../../http/client.js");
  const { readFile } = await import("node:fs/promises");
  const ca = cloud.caCertPath ? await readFile(cloud.caCertPath, "utf8") : undefined;
  const backoff = new HostBackoff();
  // The run's API calls share one per-host 429 pause, on every attempt (the seam's retries included).
  const http = createHttpClient({ dispatcher: createDispatcher(ca).compose(backoffInterceptor(backoff)) });
  const { PartnerCenterClient } = await import("../../../partner-center/client.js");
  const getToken = (r: Parameters<typeof ctx.getToken>[0]) => ctx.getToken(r);
  const partnerCenter = new PartnerCenterClient({ http: await ctx.http(), cloud, getToken });

  const interrupt = onInterrupt(io.stderr, io.stdout === process.stdout ? process.stdout : undefined);
  try {
    const { exitCode } = await runForeach(
      { http, cloud, getToken, listCustomers: (o) => partnerCenter.listCustomers(o), backoff },
      {
        spec,
        selection,
        concurrency,
        jsonl: opts.jsonl === true,
        ...(allow ? { allow } : {}),
        ...(exclude ? { exclude } : {}),
        progress: opts.progress !== false,
        abortSignal: interrupt.stop,
        abortInFlightSignal: interrupt.abortInFlight,
        outputClosed: interrupt.outputClosed,
      },
      io,
    );
    process.exitCode = exitCode;
  } finally {
    interrupt.dispose();
  }
}
