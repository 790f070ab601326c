import { readFile } from "node:fs/promises";
import { SamkitError } from "../errors/index.js";
import type { FanoutTarget, SkipReason, TenantFilterLike } from "./types.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** True for a tenant GUID or a DNS domain such as `contoso.onmicrosoft.com`. */
export function isTenantIdentifier(value: string): boolean {
  return GUID.test(value) || DOMAIN.test(value);
}

/**
 * Parses a tenant list: one tenant GUID or domain per line, blank lines and `#` comments ignored,
 * values lower-cased. `source` names the file in errors.
 * @throws SamkitError `SAMKIT_TENANT_LIST_INVALID` naming the first bad line.
 */
export function parseTenantList(text: string, source: string): Set<string> {
  const out = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const value = (lines[i] ?? "").replace(/#.*$/, "").trim();
    if (value === "") continue;
    if (!isTenantIdentifier(value)) {
      throw new SamkitError("SAMKIT_TENANT_LIST_INVALID", {
        params: { file: source, line: i + 1, value: value.slice(0, 80) },
      });
    }
    out.add(value.toLowerCase());
  }
  return out;
}

/**
 * Reads and parses a tenant list file (see {@link parseTenantList}).
 * @throws SamkitError `SAMKIT_TENANT_LIST_UNREADABLE`, `SAMKIT_TENANT_LIST_INVALID`.
 */
export async function readTenantList(file: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    const detail =
      (cause as NodeJS.ErrnoException).code ?? (cause instanceof Error ? cause.message : String(cause));
    throw new SamkitError("SAMKIT_TENANT_LIST_UNREADABLE", { params: { file, detail }, cause });
  }
  return parseTenantList(text, file);
}

/** Options of {@link createTenantFilter}; sets hold lower-cased tenant GUIDs or domains. */
export interface TenantFilterOptions {
  /** When set, only these tenants run (Azure SDK's `additionallyAllowedTenants` idea). */
  readonly allow?: ReadonlySet<string>;
  /** These tenants never run; wins over `allow`. */
  readonly exclude?: ReadonlySet<string>;
}

/**
 * A tenant allow-list / exclude-list, matched on the tenant ID and the customer's domain.
 * Also skips a tenant listed twice in one run. The runner calls `check` before it starts the
 * operation, so a refused tenant never gets a token request.
 */
export function createTenantFilter(options: TenantFilterOptions = {}): TenantFilterLike {
  const seen = new Set<string>();
  return {
    check(target: FanoutTarget): SkipReason | undefined {
      const keys = [target.tenantId, target.customer?.id, target.customer?.domain]
        .filter((k): k is string => typeof k === "string" && k !== "")
        .map((k) => k.toLowerCase());
      if (options.exclude && keys.some((k) => options.exclude?.has(k))) return "excluded";
      if (options.allow && !keys.some((k) => options.allow?.has(k))) return "not-allowed";
      const id = target.tenantId.toLowerCase();
      if (seen.has(id)) return "duplicate";
      seen.add(id);
      return undefined;
    },
  };
}
