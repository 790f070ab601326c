/**
 * Where an `api` request goes and which token it needs. Order:
 * 1. a full URL → the cloud-table resource serving that origin (`resourceForUrl`); a URL on a
 *    resource's real host (e.g. `https://graph.microsoft.com/…` while using the emulator) is sent
 *    to that resource's endpoint in the selected cloud;
 * 2. `--resource ALIAS|URI` (`resolveResource`);
 * 3. the path's version prefix: `/v1/…` Partner Center, `/v1.0/…` and `/beta/…` Microsoft Graph,
 *    `/subscriptions…`, `/providers…`, `/tenants…` Azure Resource Manager.
 * Otherwise the request is refused with a usage error naming `--resource`.
 */
import { resolveResource, resourceForUrl, type ResolvedResource } from "../cloud/resolve.js";
import type { CloudDefinition } from "../cloud/types.js";
import { SamkitError } from "../errors/index.js";
import type { ServiceKind } from "../http/types.js";
import type { ApiRequestSpec, ApiTarget } from "./types.js";

/** Which resource a relative path belongs to, by its first segment; `undefined` when unknown. */
export function inferResourceFromPath(path: string): "partner-center" | "graph" | "arm" | undefined {
  const p = path.startsWith("/") ? path : `/${path}`;
  const first = (p.split(/[/?#]/)[1] ?? "").toLowerCase();
  if (first === "v1") return "partner-center";
  if (first === "v1.0" || first === "beta") return "graph";
  if (first === "subscriptions" || first === "providers" || first === "tenants" || first === "resources") return "arm";
  return undefined;
}

function isAbsoluteUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

function parseAbsolute(s: string): URL {
  try {
    return new URL(s);
  } catch (cause) {
    throw new SamkitError("SAMKIT_USAGE", { params: { detail: `not a valid URL: ${s}`, command: "api" }, cause });
  }
}

/**
 * The resource serving an absolute URL in `cloud`: by endpoint origin, else by resource ID (the URL
 * is then rewritten to that resource's endpoint in `cloud`, so `https://graph.microsoft.com/…`
 * reaches the emulator's Graph under `--cloud emulator`). `undefined` when no resource matches.
 */
export function resourceForAbsolute(cloud: CloudDefinition, url: URL): { resolved: ResolvedResource; url: URL } | undefined {
  const byEndpoint = resourceForUrl(cloud, url);
  if (byEndpoint) return { resolved: byEndpoint, url };
  let byId: ResolvedResource | undefined;
  try {
    byId = resolveResource(cloud, url.origin);
  } catch {
    byId = undefined;
  }
  if (byId?.alias === undefined) return undefined;
  const endpoint = new URL(byId.endpoint);
  const rewritten = new URL(url.toString());
  rewritten.protocol = endpoint.protocol;
  rewritten.host = endpoint.host;
  return { resolved: byId, url: rewritten };
}

/**
 * The service label for a resource alias (`undefined` = a resource outside the table): the HTTP
 * seam's `service` and the error classifier's hint. Exhaustive, so a new alias must be placed here.
 */
export function serviceKindFor(alias: ApiTarget["alias"]): ServiceKind {
  switch (alias) {
    case "partner-center":
    case "graph":
    case "arm":
    case "keyvault":
      return alias;
    case "aad-graph":
    case "exchange":
    case undefined:
      return "other";
  }
}

/**
 * Resolve the spec's URL and token resource in `cloud`.
 * @throws SamkitError `SAMKIT_USAGE` when the resource cannot be inferred or the URL is invalid;
 * `SAMKIT_RESOURCE_UNKNOWN` for an unknown `--resource`.
 */
export function resolveApiTarget(spec: Pick<ApiRequestSpec, "path" | "resource" | "query">, cloud: CloudDefinition): ApiTarget {
  let url: URL;
  let resolved: ResolvedResource | undefined;
  if (isAbsoluteUrl(spec.path)) {
    const abs = parseAbsolute(spec.path);
    const found = resourceForAbsolute(cloud, abs);
    url = found?.url ?? abs;
    resolved = spec.resource !== undefined ? resolveResource(cloud, spec.resource) : found?.resolved;
    if (!resolved) {
      throw new SamkitError("SAMKIT_USAGE", {
        params: { detail: `cannot tell which resource serves ${abs.origin}; pass --resource ALIAS|URI`, command: "api" },
      });
    }
  } else {
    const alias = spec.resource ?? inferResourceFromPath(spec.path);
    if (alias === undefined) {
      throw new SamkitError("SAMKIT_USAGE", {
        params: {
          detail: `cannot infer the service for '${spec.path}'; pass --resource partner-center|graph|arm|URI or a full URL`,
          command: "api",
        },
      });
    }
    resolved = resolveResource(cloud, alias);
    const base = new URL(resolved.endpoint);
    const path = spec.path.startsWith("/") ? spec.path : `/${spec.path}`;
    url = new URL(`${base.pathname.replace(/\/+$/, "")}${path}`, base.origin);
  }
  for (const [k, v] of spec.query) url.searchParams.append(k, v);
  const alias = resolved.alias;
  return { url, ...(alias !== undefined ? { alias } : {}), tokenResource: alias ?? resolved.resourceId };
}
