import { SamkitError } from "../errors/index.js";
import type { Customer } from "../partner-center/types.js";
import { isTenantIdentifier, readTenantList } from "./tenant-filter.js";
import type { FanoutCustomer, FanoutTarget } from "./types.js";

/** The fan-out target for a Partner Center customer: its tenant (`companyProfile.tenantId`, else `id`). */
export function customerTarget(customer: Customer): FanoutTarget {
  const profile = customer.companyProfile as Partial<Customer["companyProfile"]> | undefined;
  const fc: FanoutCustomer = {
    id: customer.id,
    companyName: typeof profile?.companyName === "string" ? profile.companyName : null,
    domain: typeof profile?.domain === "string" ? profile.domain : null,
  };
  const tenantId =
    typeof profile?.tenantId === "string" && profile.tenantId !== "" ? profile.tenantId : customer.id;
  return { tenantId: tenantId.toLowerCase(), customer: fc };
}

/** Maps a customer stream (e.g. `PartnerCenterClient.listCustomers()`) to targets, lazily. */
export async function* customerTargets(
  customers: AsyncIterable<Customer> | Iterable<Customer>,
): AsyncGenerator<FanoutTarget, void, undefined> {
  for await (const c of customers) yield customerTarget(c);
}

/** Targets for tenant IDs or domains given directly (no customer details known). */
export function tenantTargets(tenants: Iterable<string>): FanoutTarget[] {
  return [...tenants].map((t) => ({ tenantId: t.toLowerCase() }));
}

/** What `--customers` selected: every Partner Center customer, or an explicit tenant list. */
export type CustomerSelection =
  | { readonly kind: "all" }
  | { readonly kind: "list"; readonly tenants: readonly string[]; readonly source: string };

/**
 * Parses `--customers all|FILE|ID,…`: `all` (default when the option is absent); an existing file
 * with one tenant ID or domain per line; else a comma-separated list of tenant IDs or domains.
 * A value that is given but empty (`--customers "$UNSET"`, `--customers ,`) is refused rather than
 * read as `all`, so an unset shell variable never fans a request out to every customer.
 * @throws SamkitError `SAMKIT_INVALID_INPUT` (exit 2) for an empty value or one that is none of
 *   these, `SAMKIT_TENANT_LIST_INVALID` / `SAMKIT_TENANT_LIST_UNREADABLE` for a bad file.
 */
export async function parseCustomerSelection(value: string | undefined): Promise<CustomerSelection> {
  if (value === undefined) return { kind: "all" };
  const v = value.trim();
  if (v.replace(/[\s,]/g, "") === "") {
    throw new SamkitError("SAMKIT_INVALID_INPUT", {
      params: {
        detail:
          "--customers is empty (an unset shell variable?): name tenants (IDs or domains separated by commas), a file with one per line, or `all` for every customer.",
      },
    });
  }
  if (v.toLowerCase() === "all") return { kind: "all" };
  const { stat } = await import("node:fs/promises");
  const isFile = await stat(v).then(
    (s) => s.isFile(),
    () => false,
  );
  if (isFile) return { kind: "list", tenants: [...(await readTenantList(v))], source: v };
  const parts = v
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const bad = parts.find((p) => !isTenantIdentifier(p));
  if (bad !== undefined || parts.length === 0) {
    throw new SamkitError("SAMKIT_INVALID_INPUT", {
      params: {
        detail: `--customers takes all, a file, or tenant IDs/domains separated by commas; "${(bad ?? v).slice(0, 80)}" is none of these.`,
      },
    });
  }
  return { kind: "list", tenants: parts.map((p) => p.toLowerCase()), source: "--customers" };
}
