/**
 * Collection and entity responses with Graph's OData envelope: `@odata.context`, `value`,
 * `@odata.nextLink` (`$top` + `$skiptoken`), `$filter` and `$select` applied.
 * @see https://learn.microsoft.com/graph/paging
 */
import type { Context } from "hono";
import { bodyJson } from "../body.js";
import { fail, type GraphEnv } from "./auth.js";
import { DEFAULT_TOP, MAX_TOP, decodeSkip, nextLink, parseFilter, project, UnsupportedQuery } from "./odata.js";

type Json = Record<string, unknown>;

/** `{origin}/{version}/$metadata#{entitySet}` */
function context(c: Context<GraphEnv>, entitySet: string): string {
  const url = new URL(c.req.url);
  const version = url.pathname.split("/")[1] ?? "v1.0";
  return `${url.origin}/${version}/$metadata#${entitySet}`;
}

/** Options of {@link collection}. */
export interface CollectionOptions {
  /** Entity set name for `@odata.context`, e.g. `users`. */
  readonly entitySet: string;
  /** Properties returned without `$select` (all when absent). */
  readonly defaults?: readonly string[];
  /** Keep `@odata.type` on each item (collections of mixed directory objects). */
  readonly polymorphic?: boolean;
}

/** Answers a collection: filter, then page, then project. 400 `Request_UnsupportedQuery` for a bad `$filter`/`$top`. */
export function collection(c: Context<GraphEnv>, items: readonly Json[], options: CollectionOptions): Response {
  let list = items;
  const filter = c.req.query("$filter");
  if (filter !== undefined && filter !== "") {
    try {
      const p = parseFilter(filter);
      list = list.filter(p);
    } catch (e) {
      if (e instanceof UnsupportedQuery) return fail(c, 400, "Request_UnsupportedQuery", `Unsupported Query. ${e.message}`);
      throw e;
    }
  }
  const rawTop = c.req.query("$top");
  const top = rawTop === undefined ? DEFAULT_TOP : Number(rawTop);
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) {
    return fail(c, 400, "Request_UnsupportedQuery", `Invalid page size specified: '${rawTop ?? ""}'. Must be between 1 and ${MAX_TOP} inclusive.`);
  }
  const offset = decodeSkip(c.req.query("$skiptoken"));
  if (offset === undefined) return fail(c, 400, "Request_BadRequest", "Invalid $skiptoken.");
  const page = list.slice(offset, offset + top);
  const select = c.req.query("$select");
  const body: Json = {
    "@odata.context": context(c, options.entitySet),
    value: page.map((o) => project(o, select, options.defaults, options.polymorphic)),
  };
  if (offset + top < list.length) body["@odata.nextLink"] = nextLink(c.req.url, offset + top);
  return c.json(body);
}

/** Answers one entity with `$select` (or the defaults) applied. */
export function entity(c: Context<GraphEnv>, item: Json, options: CollectionOptions, status: 200 | 201 = 200): Response {
  return c.json(
    { "@odata.context": `${context(c, options.entitySet)}/$entity`, ...project(item, c.req.query("$select"), options.defaults) },
    status,
  );
}

/** Reads a JSON object body; the 400 response when it is not one. */
export async function jsonBody(c: Context<GraphEnv>): Promise<Json | Response> {
  try {
    const b = await bodyJson(c);
    if (typeof b === "object" && b !== null && !Array.isArray(b)) return b as Json;
  } catch {
    // fall through
  }
  return fail(c, 400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.");
}
