/** `samkit app use` behaviour: the secret comes from stdin or a hidden prompt, never argv. */
import { SamkitError } from "../../../errors/index.js";
import type { AppUseFlags } from "./index.js";
import { contextFrom, type AppIo, type Env } from "./shared.js";

async function readAll(stdin: AsyncIterable<string | Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stdin) {
    const b = typeof c === "string" ? Buffer.from(c) : c;
    size += b.length;
    if (size > 16 * 1024) throw new SamkitError("SAMKIT_INVALID_INPUT", { params: { detail: "Standard input is larger than 16 KiB; expected one client secret." } });
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString("utf8").trim();
}

async function promptSecret(): Promise<string> {
  const { password, isCancel } = await import("@clack/prompts");
  const v = await password({ message: "Client secret of the app" });
  if (isCancel(v)) throw new SamkitError("SAMKIT_USAGE", { params: { detail: "Cancelled.", command: "app use" } });
  return v;
}

/** @throws SamkitError `SAMKIT_USAGE` (missing flags / no secret source), proof and store errors. */
export async function runAppUse(
  opts: AppUseFlags,
  io: AppIo & { readonly stdin: AsyncIterable<string | Buffer> & { readonly isTTY?: boolean } },
  env: Env = process.env,
): Promise<void> {
  const usage = (detail: string) => new SamkitError("SAMKIT_USAGE", { params: { detail, command: "app use" } });
  if (opts.clientId === undefined || opts.clientId.trim() === "") throw usage("--client-id is required.");
  if (opts.tenant === undefined || opts.tenant.trim() === "") throw usage("--tenant is required.");
  // Checked here, before any secret is read or any request is sent.
  const { isGuid } = await import("../../../provision/app-spec.js");
  const { isTenantIdentifier } = await import("../../../fanout/tenant-filter.js");
  if (!isGuid(opts.clientId.trim())) throw usage(`--client-id must be the app's client ID, a GUID like 6513270e-269e-4d37-b2a7-4de452e6b438 (got '${opts.clientId.trim()}').`);
  if (!isTenantIdentifier(opts.tenant.trim())) throw usage(`--tenant must be a tenant ID (GUID) or a domain like contoso.onmicrosoft.com (got '${opts.tenant.trim()}').`);
  let secret: string;
  if (opts.clientSecretStdin === true) secret = await readAll(io.stdin);
  else if (io.stdin.isTTY === true && process.stdout.isTTY) secret = await promptSecret();
  else throw usage("Pass --client-secret-stdin and pipe the secret in (samkit never takes secrets as arguments).");

  const ctx = contextFrom(opts, env);
  const [settings, cloud, http, store] = await Promise.all([ctx.settings(), ctx.cloud(), ctx.http(), ctx.store()]);
  const { useExistingApp } = await import("../../../provision/app-use.js");
  const r = await useExistingApp({
    cloud,
    http,
    store,
    profile: settings.profile,
    ...(settings.secretPrefix !== undefined ? { secretPrefix: settings.secretPrefix } : {}),
    clientId: opts.clientId.trim(),
    tenant: opts.tenant.trim(),
    clientSecret: secret,
  });
  if (opts.json === true) {
    io.stdout.write(`${JSON.stringify({ profile: settings.profile, store: store.description, ...r }, null, 2)}\n`);
    return;
  }
  io.stdout.write(`App ${r.clientId} in tenant ${r.tenantId}: secret proven and stored in profile ${settings.profile} (${store.description}).\n`);
  if (r.checked && r.missing.length === 0) io.stdout.write("The app registration has everything samkit needs.\n");
  for (const m of r.missing) io.stdout.write(`missing: ${m}\n`);
  // Notes are hints (e.g. run `samkit consent` next): stderr, with the diagnostics (docs/cli.md).
  for (const n of r.notes) io.stderr.write(`note: ${n}\n`);
}
