/**
 * Glue between the `api` flags and the library: flags → spec, context → http/cloud/tokens, run.
 */
import { buildApiRequestSpec } from "../../../api/args.js";
import { createContext, type ContextFlags } from "../../context.js";
import type { ApiCommandOptions } from "./index.js";
import { runApi, type ApiOutput } from "./run.js";

/** Pick the shared context flags out of a command's options. */
export function contextFlags(opts: ContextFlags): ContextFlags {
  return {
    ...(opts.cloud !== undefined ? { cloud: opts.cloud } : {}),
    ...(opts.profile !== undefined ? { profile: opts.profile } : {}),
    ...(opts.emulatorUrl !== undefined ? { emulatorUrl: opts.emulatorUrl } : {}),
    ...(opts.store !== undefined ? { store: opts.store } : {}),
    ...(opts.vaultUrl !== undefined ? { vaultUrl: opts.vaultUrl } : {}),
    ...(opts.rotation !== undefined ? { rotation: opts.rotation } : {}),
  };
}

/**
 * `samkit api PATH [flags]`.
 * @throws SamkitError — usage (exit 2), service/token/transport errors (exit 1, or 4 for re-consent).
 */
export async function runApiCommand(path: string, opts: ApiCommandOptions, out: ApiOutput, env: Readonly<Record<string, string | undefined>> = process.env): Promise<void> {
  const spec = await buildApiRequestSpec(path, opts);
  const ctx = createContext(contextFlags(opts), env);
  const [http, cloud] = await Promise.all([ctx.http(), ctx.cloud()]);
  await runApi(spec, { http, cloud, getToken: (r) => ctx.getToken(r) }, out);
}
