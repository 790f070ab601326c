import type { Customer } from "../partner-center/types.js";
import type { FanoutCustomer, FanoutTarget } from "./types.js";

/** The fan-out target for a Partner Center customer: its tenant (`companyProfile.tenantId`, else `id`). */
export function customerTarget(customer: Customer): FanoutTarget {
  const profile = customer.companyProfile as Partial<Customer["companyProfile"]> | undefined;
  const fc: FanoutCustomer = {
    id: customer.id,
    companyName: typeof profile?.companyName === "string" ? profile.companyName : null,
    domain: typeof profile?.domain === "string" ? profile.domain : null,
  };
  const tenantId = typeof profile?.tenantId === "string" && profile.tenantId !== "" ? profile.tenantId : customer.id;
  return { tenantId: tenantId.toLowerCase(), customer: fc };
}

/** Maps a customer stream (e.g. `PartnerCenterClient.listCustomers()`) to targets, lazily. */
export async function* customerTargets(customers: AsyncIterable<Customer> | Iterable<Customer>): AsyncGenerator<FanoutTarget, void, undefined> {
  for await (const c of customers) yield customerTarget(c);
}

/** Targets for tenant IDs or domains given directly (no customer details known). */
export function tenantTargets(tenants: Iterable<string>): FanoutTarget[] {
  return [...tenants].map((t) => ({ tenantId: t.toLowerCase() }));
}
