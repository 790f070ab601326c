/** `samkit app rotate-secret` behaviour. */
import type { AppRotateFlags } from "./index.js";
import { contextFrom, signInAdmin, type AppIo, type Env } from "./shared.js";

/** @throws SamkitError sign-in, Graph, proof (rolled back) and store errors. */
export async function runAppRotate(opts: AppRotateFlags, io: AppIo, env: Env = process.env): Promise<void> {
  const ctx = contextFrom(opts, env);
  const [settings, cloud, http, store] = await Promise.all([ctx.settings(), ctx.cloud(), ctx.http(), ctx.store()]);
  const { readProfile } = await import("../../../store/profile.js");
  const stored = await readProfile(store, settings.profile, { ...(settings.secretPrefix !== undefined ? { secretPrefix: settings.secretPrefix } : {}), defaultCloud: cloud.name });
  const admin = await signInAdmin(opts, "app rotate-secret", { cloud, http, tenant: opts.tenant ?? stored?.tenantId }, io, env);
  const { createGraphClient } = await import("../../../graph/index.js");
  const graph = createGraphClient({ http, graphUrl: cloud.resources.graph.endpoint, accessToken: () => Promise.resolve(admin.accessToken) });
  const { rotateAppCredential } = await import("../../../provision/app-rotate.js");
  const r = await rotateAppCredential({
    graph,
    store,
    cloud,
    http,
    profile: settings.profile,
    ...(settings.secretPrefix !== undefined ? { secretPrefix: settings.secretPrefix } : {}),
    ...(opts.certificate === true ? { credential: "certificate" as const } : {}),
  });
  for (const w of r.warnings) io.stderr.write(`warning: ${w}\n`);
  if (opts.json === true) {
    const { secret, ...rest } = r;
    io.stdout.write(`${JSON.stringify({ ...rest, ...(opts.showSecret === true && secret !== undefined ? { clientSecret: secret } : {}) }, null, 2)}\n`);
    return;
  }
  io.stdout.write(
    `Rotated the ${r.kind} of app ${r.clientId}: new key ${r.newKeyId} (expires ${r.expiresAt}) stored and proven` +
      `${r.removedKeyId !== undefined ? `; old key ${r.removedKeyId} removed` : ""}.\n`,
  );
  if (opts.showSecret === true && r.secret !== undefined) io.stdout.write(`client secret: ${r.secret}\n`);
}
