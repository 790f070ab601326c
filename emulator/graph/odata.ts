/**
 * The OData query options the emulated Graph understands: `$filter` (eq/ne, `in`, `startswith`,
 * `and`/`or`/`not`, property paths like `customer/tenantId`), `$select`, `$top` with
 * `@odata.nextLink` paging through an opaque `$skiptoken`.
 * @see https://learn.microsoft.com/graph/query-parameters
 * @see https://learn.microsoft.com/graph/paging
 */

/** A filter predicate over a rendered Graph object. */
export type Predicate = (o: Record<string, unknown>) => boolean;

/** Thrown for a `$filter` the emulator cannot parse (answered as 400 `Request_UnsupportedQuery`). */
export class UnsupportedQuery extends Error {
  override readonly name = "UnsupportedQuery";
}

type Tok = { t: "str"; v: string } | { t: "id"; v: string } | { t: "op"; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "'") {
      let v = "";
      i++;
      for (;;) {
        if (i >= src.length) throw new UnsupportedQuery("Unterminated string literal in $filter.");
        if (src[i] === "'" && src[i + 1] === "'") {
          v += "'";
          i += 2;
        } else if (src[i] === "'") {
          i++;
          break;
        } else v += src[i++];
      }
      out.push({ t: "str", v });
    } else if ("(),".includes(ch)) {
      out.push({ t: "op", v: ch });
      i++;
    } else {
      const m = /^[A-Za-z0-9_./@$:-]+/.exec(src.slice(i));
      if (!m) throw new UnsupportedQuery(`Unexpected character '${ch}' in $filter.`);
      out.push({ t: "id", v: m[0] });
      i += m[0].length;
    }
  }
  return out;
}

/** Reads `a/b/c` from an object. */
export function propertyPath(o: Record<string, unknown>, path: string): unknown {
  let cur: unknown = o;
  for (const part of path.split("/")) {
    if (typeof cur !== "object" || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

const same = (a: unknown, b: unknown): boolean =>
  typeof a === "string" && typeof b === "string" ? a.toLowerCase() === b.toLowerCase() : a === b;

/** Parses a `$filter` expression into a predicate. @throws UnsupportedQuery */
export function parseFilter(src: string): Predicate {
  const toks = tokenize(src);
  let pos = 0;
  const peek = (): Tok | undefined => toks[pos];
  const isWord = (w: string): boolean => {
    const t = peek();
    return t?.t === "id" && t.v.toLowerCase() === w;
  };
  const expect = (v: string): void => {
    const t = toks[pos++];
    if (t?.t !== "op" || t.v !== v) throw new UnsupportedQuery(`Expected '${v}' in $filter.`);
  };
  const literal = (): unknown => {
    const t = toks[pos++];
    if (!t) throw new UnsupportedQuery("Missing value in $filter.");
    if (t.t === "str") return t.v;
    if (t.t === "id") {
      if (t.v === "true") return true;
      if (t.v === "false") return false;
      if (t.v === "null") return null;
      if (/^-?\d+(\.\d+)?$/.test(t.v)) return Number(t.v);
      if (/^[0-9a-f-]{36}$/i.test(t.v)) return t.v;
    }
    throw new UnsupportedQuery(`Unsupported value in $filter.`);
  };
  const primary = (): Predicate => {
    const t = peek();
    if (t?.t === "op" && t.v === "(") {
      pos++;
      const inner = orExpr();
      expect(")");
      return inner;
    }
    if (isWord("not")) {
      pos++;
      const inner = primary();
      return (o) => !inner(o);
    }
    if (t?.t !== "id") throw new UnsupportedQuery("Expected a property in $filter.");
    pos++;
    const name = t.v;
    if (name.toLowerCase() === "startswith") {
      expect("(");
      const prop = toks[pos++];
      if (prop?.t !== "id") throw new UnsupportedQuery("startswith needs a property.");
      expect(",");
      const value = literal();
      expect(")");
      if (typeof value !== "string") throw new UnsupportedQuery("startswith needs a string.");
      return (o) => {
        const v = propertyPath(o, prop.v);
        return typeof v === "string" && v.toLowerCase().startsWith(value.toLowerCase());
      };
    }
    const op = toks[pos++];
    if (op?.t !== "id") throw new UnsupportedQuery("Expected an operator in $filter.");
    const verb = op.v.toLowerCase();
    if (verb === "in") {
      expect("(");
      const values: unknown[] = [literal()];
      while (peek()?.t === "op" && peek()!.v === ",") {
        pos++;
        values.push(literal());
      }
      expect(")");
      return (o) => values.some((v) => same(propertyPath(o, name), v));
    }
    const value = literal();
    if (verb === "eq") return (o) => same(propertyPath(o, name) ?? null, value);
    if (verb === "ne") return (o) => !same(propertyPath(o, name) ?? null, value);
    throw new UnsupportedQuery(`Unsupported operator '${op.v}' in $filter.`);
  };
  const andExpr = (): Predicate => {
    let left = primary();
    while (isWord("and")) {
      pos++;
      const l = left;
      const r = primary();
      left = (o) => l(o) && r(o);
    }
    return left;
  };
  const orExpr = (): Predicate => {
    let left = andExpr();
    while (isWord("or")) {
      pos++;
      const l = left;
      const r = andExpr();
      left = (o) => l(o) || r(o);
    }
    return left;
  };
  const result = orExpr();
  if (pos !== toks.length) throw new UnsupportedQuery("Unexpected trailing input in $filter.");
  return result;
}

/**
 * Keeps only the `$select`ed properties, or `defaults` when given and no `$select`. `@odata.type`
 * is kept only for polymorphic collections (e.g. group members), as Graph does.
 */
export function project(
  o: Record<string, unknown>,
  select: string | undefined,
  defaults?: readonly string[],
  polymorphic = false,
): Record<string, unknown> {
  const names = select ? select.split(",").map((s) => s.trim()).filter((s) => s !== "") : defaults;
  const out: Record<string, unknown> = {};
  if (polymorphic && "@odata.type" in o) out["@odata.type"] = o["@odata.type"];
  if (!names) {
    for (const [k, v] of Object.entries(o)) if (k !== "@odata.type") out[k] = v;
    return out;
  }
  for (const n of names) {
    const key = Object.keys(o).find((k) => k.toLowerCase() === n.toLowerCase());
    if (key !== undefined) out[key] = o[key];
  }
  return out;
}

/** Default and largest `$top`. */
export const DEFAULT_TOP = 100;
export const MAX_TOP = 999;

/** Decodes `$skiptoken` into an offset; undefined when invalid. */
export function decodeSkip(token: string | undefined): number | undefined {
  if (token === undefined || token === "") return 0;
  try {
    const o = (JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { o?: unknown }).o;
    return typeof o === "number" && Number.isInteger(o) && o >= 0 ? o : undefined;
  } catch {
    return undefined;
  }
}

/** The `@odata.nextLink` for the page after `offset + top`, keeping the request's other query options. */
export function nextLink(requestUrl: string, nextOffset: number): string {
  const url = new URL(requestUrl);
  url.searchParams.set("$skiptoken", Buffer.from(JSON.stringify({ o: nextOffset })).toString("base64url"));
  return url.toString();
}
