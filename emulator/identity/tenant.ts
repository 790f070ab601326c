/**
 * Authority tenant segment resolution: a tenant GUID or domain, or the multi-tenant aliases.
 * @see shared/facts/identity-platform.md §1 (`{tenant}` forms)
 */
import type { EmulatorContext } from "../context.js";
import type { Tenant } from "../world-types.js";
import { AadError } from "./aad-errors.js";

/** A resolved authority segment. */
export type Authority =
  | { readonly kind: "tenant"; readonly segment: string; readonly tenant: Tenant }
  | { readonly kind: "multi"; readonly segment: "common" | "organizations" | "consumers" };

const MULTI = new Set(["common", "organizations", "consumers"]);

/**
 * Resolve `{tenant}` from a path. @throws AadError 90002 for an unknown tenant (the caller picks
 * `invalid_tenant` for discovery).
 */
export function resolveAuthority(ctx: EmulatorContext, segment: string): Authority {
  const s = segment.toLowerCase();
  if (MULTI.has(s)) return { kind: "multi", segment: s as "common" | "organizations" | "consumers" };
  const tenant = ctx.world.resolveTenant(s);
  if (!tenant) throw new AadError(90002, { tenant: segment });
  return { kind: "tenant", segment: s, tenant };
}

/**
 * The tenant a grant lands in: the authority's tenant, or for `common`/`organizations` the
 * user's home tenant (or the app's home tenant for app-only flows).
 */
export function effectiveTenant(ctx: EmulatorContext, a: Authority, fallbackTenantId: string): Tenant {
  if (a.kind === "tenant") return a.tenant;
  return ctx.world.tenants.get(fallbackTenantId)!;
}

/** AADSTS90038 when a tenant is homed in another national cloud than the emulator's (global). */
export function assertSameCloud(t: Tenant): void {
  if (t.cloud !== "global") throw new AadError(90038, { tenant: t.tenantId, cloud: t.cloud });
}
