/**
 * Glue between the `api` flags and the library: flags → spec, context → http/cloud/tokens, run.
 */
import { buildApiRequestSpec } from "../../../api/args.js";
import { normalizeTenant } from "../../../broker/tenants.js";
import { createContext, type ContextFlags } from "../../context.js";
import type { ApiCommandOptions } from "./index.js";
import { runApi, type ApiOutput } from "./run.js";

/**
 * `samkit api PATH [flags]`.
 * @throws SamkitError — usage (exit 2); `SAMKIT_BROKER_TENANT_INVALID` (exit 2) for a `--tenant` that
 *   is not a tenant GUID or domain; service/token/transport errors (exit 1, or 4 for re-consent).
 */
export async function runApiCommand(
  path: string,
  opts: ApiCommandOptions,
  flags: ContextFlags,
  out: ApiOutput,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<void> {
  // Same check and code as `samkit token --tenant` (SAMKIT_BROKER_TENANT_INVALID), before any request.
  if (opts.tenant !== undefined) normalizeTenant(opts.tenant);
  const spec = await buildApiRequestSpec(path, opts);
  const ctx = createContext(flags, env);
  const [http, cloud] = await Promise.all([ctx.http(), ctx.cloud()]);
  await runApi(spec, { http, cloud, getToken: (r) => ctx.getToken(r) }, out);
}
