/** `samkit app create` behaviour: sign in, plan, print, apply unless `--dry-run`. */
import { SamkitError } from "../../../errors/index.js";
import type { AppCreateFlags } from "./index.js";
import { contextFrom, signInAdmin, type AppIo, type Env } from "./shared.js";
import type { AppApplyResult, AppPlan } from "../../../provision/app-create.js";

function planText(plan: AppPlan): string {
  const lines = [`Plan for '${plan.displayName}' in tenant ${plan.tenantId}:`];
  for (const e of plan.exists) lines.push(`  = ${e}`);
  for (const c of plan.changes) lines.push(`  ${c.action === "create" ? "+" : c.action === "add" ? "+" : "~"} ${c.target}: ${c.detail}`);
  if (plan.changes.length === 0) lines.push("  No changes: everything is in place.");
  for (const n of plan.notes) lines.push(`note: ${n}`);
  return `${lines.join("\n")}\n`;
}

function nextSteps(consented: boolean, url: string): string {
  if (consented) return "Next: run `samkit consent` to sign in with MFA and store the refresh token.\n";
  return (
    "Next: admin consent was skipped (--no-admin-consent). A Global Administrator of the partner tenant grants it by opening\n" +
    `  ${url}\n` +
    "then run `samkit consent` to sign in with MFA and store the refresh token.\n"
  );
}

/** @throws SamkitError sign-in, Graph and store errors; `SAMKIT_USAGE` for bad flags. */
export async function runAppCreate(opts: AppCreateFlags, io: AppIo, env: Env = process.env): Promise<void> {
  const { parsePermission } = await import("../../../provision/app-spec.js");
  const permissions = (opts.permission ?? []).map(parsePermission);
  if (opts.name !== undefined && opts.name.trim() === "") throw new SamkitError("SAMKIT_USAGE", { params: { detail: "--name must not be empty.", command: "app create" } });
  const ctx = contextFrom(opts, env);
  const [settings, cloud, http, store] = await Promise.all([ctx.settings(), ctx.cloud(), ctx.http(), ctx.store()]);
  const admin = await signInAdmin(opts, "app create", { cloud, http, tenant: opts.tenant }, io, env);
  const { createGraphClient, getOrganizationId } = await import("../../../graph/index.js");
  const graph = createGraphClient({ http, graphUrl: cloud.resources.graph.endpoint, accessToken: () => Promise.resolve(admin.accessToken) });
  const tenantId = admin.tenantId ?? (await getOrganizationId(graph));
  if (tenantId === undefined) throw new SamkitError("SAMKIT_APP_GRAPH_FAILED", { params: { operation: "reading the organization", detail: "no tenant ID" } });
  const { planApp, applyAppPlan } = await import("../../../provision/app-create.js");
  const { adminConsentUrl } = await import("../../../provision/admin-consent.js");
  const options = {
    graph,
    store,
    cloud,
    profile: settings.profile,
    ...(settings.secretPrefix !== undefined ? { secretPrefix: settings.secretPrefix } : {}),
    tenantId: tenantId.toLowerCase(),
    ...(opts.name !== undefined ? { name: opts.name.trim() } : {}),
    credential: opts.certificate === true ? ("certificate" as const) : ("secret" as const),
    preconsent: opts.preconsent === true,
    adminConsent: opts.adminConsent !== false,
    legacyAadGraph: opts.legacyAadGraph === true,
    legacyOob: opts.legacyOob === true,
    permissions,
  };
  const plan = await planApp(options);
  if (opts.json !== true) io.stdout.write(planText(plan));
  let result: AppApplyResult | undefined;
  if (opts.dryRun !== true && plan.changes.length > 0) {
    result = await applyAppPlan(options, plan);
    if (opts.json !== true) {
      io.stdout.write(`Applied ${result.changes.length} change(s). App client ID ${result.clientId}; stored in profile ${settings.profile} (${store.description}).\n`);
      if (result.secret !== undefined && opts.showSecret === true) io.stdout.write(`client secret: ${result.secret}\n`);
      if (result.credentialExpiresAt !== undefined) io.stdout.write(`credential expires ${result.credentialExpiresAt}.\n`);
      // What to do next is a hint: stderr, with the diagnostics; stdout keeps the result (docs/cli.md).
      io.stderr.write(nextSteps(opts.adminConsent !== false, adminConsentUrl(cloud, options.tenantId, result.clientId)));
    }
  } else if (opts.dryRun === true && opts.json !== true) {
    io.stdout.write("Dry run: nothing was changed.\n");
  } else if (opts.json !== true && opts.adminConsent === false && plan.app !== undefined) {
    io.stderr.write(nextSteps(false, adminConsentUrl(cloud, options.tenantId, plan.app.appId)));
  }
  if (opts.json === true) {
    const { internal: _internal, ...publicPlan } = plan;
    const body = {
      plan: publicPlan,
      applied: result !== undefined,
      dryRun: opts.dryRun === true,
      // --no-admin-consent: where a Global Administrator grants it.
      ...(opts.adminConsent === false && (result?.clientId ?? plan.app?.appId) !== undefined
        ? { adminConsentUrl: adminConsentUrl(cloud, options.tenantId, (result?.clientId ?? plan.app?.appId)!) }
        : {}),
      ...(result !== undefined
        ? {
            result: {
              tenantId: result.tenantId,
              clientId: result.clientId,
              objectId: result.objectId,
              displayName: result.displayName,
              credentialExpiresAt: result.credentialExpiresAt ?? null,
              credentialKeyId: result.credentialKeyId ?? null,
              ...(opts.showSecret === true && result.secret !== undefined ? { clientSecret: result.secret } : {}),
            },
          }
        : {}),
    };
    io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  }
}
