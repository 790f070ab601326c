/**
 * Graph-only directory state that the shared world model does not hold: the partner's
 * `AdminAgents` group (seeded with the partner's admin users and the SAM app's service principal,
 * as Microsoft's Secure App Model script did) and per-application extras. One instance per world
 * (a reset builds a new world, hence a new state).
 */
import { seededGuid } from "../ids.js";
import type { World } from "../world.js";

/** A security group. */
export interface GraphGroup {
  readonly id: string;
  readonly tenantId: string;
  readonly displayName: string;
  readonly description: string;
  /** Member object ids (users or service principals), in insertion order. */
  readonly members: Set<string>;
  readonly createdDateTime: string;
}

/** Properties of an application that `world-types` does not model. */
export interface ApplicationExtras {
  servicePrincipalLockConfiguration?: Record<string, unknown> | null;
  tags?: string[];
}

/** Graph-side state of one world. */
export interface GraphState {
  readonly groups: Map<string, GraphGroup>;
  readonly appExtras: Map<string, ApplicationExtras>;
  /**
   * When each app role assignment made through Graph was created (ISO 8601), keyed
   * `${tenantId}/${clientAppId}/${resourceAppId}/${roleId}`; seeded ones have no entry.
   */
  readonly roleAssignedAt: Map<string, string>;
}

const states = new WeakMap<World, GraphState>();

/** The Graph state of `world`, seeded on first use. */
export function graphState(world: World): GraphState {
  let s = states.get(world);
  if (s) return s;
  s = { groups: new Map(), appExtras: new Map(), roleAssignedAt: new Map() };
  const members = new Set<string>();
  for (const upn of [world.serviceAccountUpn, world.adminUpn]) {
    const u = world.userByUpn(upn);
    if (u) members.add(u.objectId);
  }
  const samSp = world.servicePrincipal(world.partnerTenantId, world.samAppId);
  if (samSp) members.add(samSp.objectId);
  const adminAgents: GraphGroup = {
    id: seededGuid(world.seed, "group:adminagents"),
    tenantId: world.partnerTenantId,
    displayName: "AdminAgents",
    description: "Partner Center admin agents",
    members,
    createdDateTime: world.iso(-86_400 * 800),
  };
  s.groups.set(adminAgents.id, adminAgents);
  const helpdesk: GraphGroup = {
    id: seededGuid(world.seed, "group:helpdeskagents"),
    tenantId: world.partnerTenantId,
    displayName: "HelpdeskAgents",
    description: "Partner Center helpdesk agents",
    members: new Set(),
    createdDateTime: world.iso(-86_400 * 800),
  };
  s.groups.set(helpdesk.id, helpdesk);
  states.set(world, s);
  return s;
}
