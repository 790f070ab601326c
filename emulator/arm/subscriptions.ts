/**
 * Azure subscriptions and resource groups of the emulated world, derived deterministically from
 * the seed: the partner tenant has two subscriptions; each customer 0–2 (CSP, managed by the
 * partner); each subscription 3–10 resource groups. Built once per world.
 */
import { seededGuid, seededInt } from "../ids.js";
import type { World } from "../world.js";

export interface ArmSubscription {
  readonly subscriptionId: string;
  readonly tenantId: string;
  readonly displayName: string;
  readonly resourceGroups: readonly { name: string; location: string }[];
}

export interface ArmIndex {
  readonly byTenant: Map<string, ArmSubscription[]>;
  readonly byId: Map<string, ArmSubscription>;
}

const LOCATIONS = ["westeurope", "northeurope", "eastus", "westus2", "uksouth"];
const RG_KINDS = ["rg-network", "rg-identity", "rg-backup", "rg-monitoring", "rg-app", "rg-data", "rg-shared", "rg-security", "rg-dev", "rg-prod"];

const indexes = new WeakMap<World, ArmIndex>();

function subscriptionsFor(world: World, tenantId: string, count: number, label: string): ArmSubscription[] {
  const out: ArmSubscription[] = [];
  for (let i = 0; i < count; i++) {
    const subscriptionId = seededGuid(world.seed, `arm:sub:${tenantId}:${i}`);
    const rgCount = 3 + seededInt(world.seed, `arm:rgs:${subscriptionId}`, 8);
    const resourceGroups = Array.from({ length: rgCount }, (_, j) => ({
      name: `${RG_KINDS[j % RG_KINDS.length]!}-${String(j + 1).padStart(2, "0")}`,
      location: LOCATIONS[seededInt(world.seed, `arm:loc:${subscriptionId}:${j}`, LOCATIONS.length)]!,
    }));
    out.push({ subscriptionId, tenantId, displayName: `${label} ${i === 0 ? "Production" : "Development"}`, resourceGroups });
  }
  return out;
}

/** The subscription index of `world` (built on first use). */
export function armIndex(world: World): ArmIndex {
  let idx = indexes.get(world);
  if (idx) return idx;
  idx = { byTenant: new Map(), byId: new Map() };
  const add = (tenantId: string, subs: ArmSubscription[]): void => {
    idx.byTenant.set(tenantId, subs);
    for (const s of subs) idx.byId.set(s.subscriptionId, s);
  };
  add(world.partnerTenantId, subscriptionsFor(world, world.partnerTenantId, 2, world.partner.displayName));
  for (const c of world.customerList) {
    add(c.tenantId, subscriptionsFor(world, c.tenantId, seededInt(world.seed, `arm:count:${c.tenantId}`, 3), c.companyName));
  }
  indexes.set(world, idx);
  return idx;
}
