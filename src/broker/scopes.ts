/**
 * Resource/scope resolution for token requests, from the cloud table only.
 * Resource identifiers and scopes stay Microsoft's real ones in every cloud (CONTRACTS §1).
 *
 * @see https://learn.microsoft.com/entra/identity-platform/scopes-oidc#the-default-scope
 */
import { resolveResource } from "../cloud/resolve.js";
import type { CloudDefinition, ResourceAlias } from "../cloud/types.js";
import { SamkitError } from "../errors/index.js";

/** The resource used when a request names neither a resource nor scopes. */
export const DEFAULT_RESOURCE: ResourceAlias = "partner-center";

/** OpenID Connect scopes that never take a resource prefix. */
const OIDC_SCOPES = new Set(["openid", "profile", "email", "offline_access"]);

/** What a token request resolved to. */
export interface ResolvedScopes {
  /** The scopes to send, in request order, without duplicates. */
  readonly scopes: readonly string[];
  /** The cloud-table alias of the resource, when the request named a known resource. */
  readonly alias?: ResourceAlias;
  /** The resource identifier (audience), when known. */
  readonly resourceId?: string;
  /** True when Microsoft retired the resource (AAD Graph): callers should warn. */
  readonly retired: boolean;
}

/**
 * Resolve `{ resource, scopes }` to the v2 scopes to request.
 *
 * - Neither: the {@link DEFAULT_RESOURCE}'s default scopes.
 * - `resource` only: an alias (`graph`) or a resource URI, resolved by the cloud table
 *   (`resolveResource`): a known resource gets its default scopes, any other URI (or app ID
 *   GUID) gets `<uri>/.default`.
 * - `scopes` only: sent as given.
 * - Both: short scope names (`User.Read`) are prefixed with the resource URI; full scope URIs
 *   and OIDC scopes are sent as given.
 *
 * @throws SamkitError `SAMKIT_RESOURCE_UNKNOWN` for a resource that is neither an alias nor a URI;
 *   `SAMKIT_BROKER_BAD_REQUEST` for empty or malformed scopes.
 */
export function resolveScopes(cloud: CloudDefinition, request: { resource?: string; scopes?: readonly string[] }): ResolvedScopes {
  const explicit = (request.scopes ?? []).flatMap((s) => s.split(/\s+/)).filter((s) => s !== "");
  if (request.scopes !== undefined && explicit.length === 0) {
    throw new SamkitError("SAMKIT_BROKER_BAD_REQUEST", { params: { detail: "The scope list is empty." } });
  }
  const resource = request.resource?.trim();
  if ((resource === undefined || resource === "") && explicit.length > 0) {
    return { scopes: dedupe(explicit), retired: false };
  }
  const name = resource === undefined || resource === "" ? DEFAULT_RESOURCE : resource;
  const known = resolveResource(cloud, name);
  const resourceId = known.resourceId;
  const scopes =
    explicit.length === 0
      ? [...known.defaultScopes]
      : explicit.map((s) => (OIDC_SCOPES.has(s.toLowerCase()) || s.includes("/") ? s : `${resourceId}/${s}`));
  return {
    scopes: dedupe(scopes),
    ...(known.alias !== undefined ? { alias: known.alias } : {}),
    resourceId,
    retired: known.retired === true,
  };
}

function dedupe(scopes: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const s of scopes) {
    const k = s.toLowerCase();
    if (!seen.has(k)) {
      seen.add(k);
      out.push(s);
    }
  }
  return out;
}
