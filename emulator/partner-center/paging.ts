/**
 * Partner Center collection paging: `size` items per page, `links.next` carrying
 * `seekOperation=Next` in its URI and an `MS-ContinuationToken` header the next request must send.
 * A request without that header starts again at page one (the SDK's enumerator always sends it).
 * @see https://learn.microsoft.com/partner-center/developer/get-a-list-of-customers
 * @see shared/facts/partner-center.md §3
 */

/** Header that carries the continuation token. */
export const CONTINUATION_HEADER = "MS-ContinuationToken";
/** Default and largest page size for `GET /v1/customers`. */
export const DEFAULT_PAGE_SIZE = 500;
export const MAX_PAGE_SIZE = 500;

/** A `links` entry: relative URI, method, headers to send. */
export interface PcLink {
  uri: string;
  method: "GET";
  headers: { key: string; value: string }[];
}

/** A Partner Center collection resource. */
export interface PcCollection<T> {
  totalCount: number;
  items: T[];
  links: { self: PcLink; next?: PcLink };
  attributes: { objectType: "Collection" };
}

interface Cursor {
  /** Offset of the next item. */
  o: number;
  /** Page size the token was issued for. */
  s: number;
  /** Collection path, so a token cannot be replayed against another list. */
  p: string;
}

/** Encodes an opaque continuation token. */
export function encodeContinuation(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

/** Decodes a continuation token; `undefined` if it is not one of ours or is for another path. */
export function decodeContinuation(token: string, path: string): Cursor | undefined {
  try {
    const c = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Partial<Cursor>;
    if (typeof c.o !== "number" || typeof c.s !== "number" || c.p !== path) return undefined;
    if (!Number.isInteger(c.o) || c.o < 0 || !Number.isInteger(c.s) || c.s < 1) return undefined;
    return c as Cursor;
  } catch {
    return undefined;
  }
}

/**
 * One page of `items`. `path` is the collection path under `/v1` (e.g. `/customers`); `size` is the
 * requested page size; `token` is the request's continuation header (if any) — only honoured when
 * (`links.next.uri` also carries `seekOperation=Next`, as the SDK sends it; the header alone decides).
 * `totalCount` is the size of the whole collection (unverified: Microsoft's samples show small
 * lists only). Returns `"bad-token"` for a token we did not issue.
 */
export function pageOf<T>(
  items: readonly T[],
  path: string,
  size: number,
  token: string | undefined,
): PcCollection<T> | "bad-token" {
  let offset = 0;
  let pageSize = size;
  if (token !== undefined && token !== "") {
    const cursor = decodeContinuation(token, path);
    if (!cursor) return "bad-token";
    offset = cursor.o;
    pageSize = cursor.s;
  }
  const page = items.slice(offset, offset + pageSize);
  const self: PcLink = { uri: `${path}?size=${size}`, method: "GET", headers: [] };
  const collection: PcCollection<T> = {
    totalCount: items.length,
    items: page,
    links: { self },
    attributes: { objectType: "Collection" },
  };
  if (offset + pageSize < items.length) {
    collection.links.next = {
      uri: `${path}?size=${pageSize}&seekOperation=Next`,
      method: "GET",
      headers: [{ key: CONTINUATION_HEADER, value: encodeContinuation({ o: offset + pageSize, s: pageSize, p: path }) }],
    };
  }
  return collection;
}
