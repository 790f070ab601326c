/**
 * `samkit token` behaviour: resolve the request, ask the broker, print the token (stdout) or JSON.
 * Diagnostics (the AAD Graph retirement warning) go to stderr.
 */
import { createContext, type ContextFlags } from "../../context.js";
import type { TokenCommandOptions } from "./index.js";

/** Where `runToken` writes. */
export interface TokenOutput {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
}

/**
 * Refuses a `--tenant` that is not one tenant (`common`, `organizations`, `consumers`, junk) before
 * anything is requested, with a next step that says a GUID or domain is needed (the broker's own
 * check, run early).
 * @throws SamkitError `SAMKIT_BROKER_TENANT_INVALID`
 */
async function checkTenant(tenant: string): Promise<void> {
  const { normalizeTenant } = await import("../../../broker/tenants.js");
  normalizeTenant(tenant);
}

/**
 * @throws SamkitError from the context (cloud, store, profile) and the broker (input errors exit 2,
 *   re-consent errors exit 4).
 */
export async function runToken(
  opts: TokenCommandOptions,
  flags: ContextFlags,
  out: TokenOutput,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<void> {
  if (opts.tenant !== undefined) await checkTenant(opts.tenant);
  const ctx = createContext(flags, env);
  const cloud = await ctx.cloud();
  const { resolveScopes } = await import("../../../broker/scopes.js");
  const resolved = resolveScopes(cloud, { ...(opts.resource !== undefined ? { resource: opts.resource } : {}), ...(opts.scope !== undefined ? { scopes: opts.scope } : {}) });
  if (resolved.retired) {
    out.stderr.write(
      `warning: ${resolved.resourceId ?? "this resource"} (Azure AD Graph) is retired by Microsoft; use Microsoft Graph (--resource graph) where you can.\n`,
    );
  }
  const token = await ctx.getToken({
    ...(opts.resource !== undefined ? { resource: opts.resource } : {}),
    ...(opts.scope !== undefined ? { scopes: opts.scope } : {}),
    ...(opts.tenant !== undefined ? { tenant: opts.tenant } : {}),
    ...(opts.appOnly === true ? { appOnly: true } : {}),
    ...(opts.forceRefresh === true ? { forceRefresh: true } : {}),
  });
  if (opts.json !== true) {
    out.stdout.write(`${token.token}\n`);
    return;
  }
  const { printableClaims } = await import("../../../broker/claims.js");
  const body = {
    accessToken: token.token,
    tokenType: "Bearer",
    expiresOn: token.expiresOn.toISOString(),
    tenantId: token.tenantId,
    scopes: token.scopes,
    ...(resolved.resourceId !== undefined ? { resource: resolved.resourceId } : {}),
    appOnly: opts.appOnly === true,
    claims: await printableClaims(token.token),
  };
  out.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
}
