/**
 * Partner Center collection paging: follow `links.next` (URI relative to the API host, with
 * `seekOperation=Next`) and send each `links.next.headers[]` entry — normally
 * `MS-ContinuationToken` — as a request header. A body `continuationToken` goes back the same way.
 * Absent `links.next` means the last page.
 *
 * @see https://learn.microsoft.com/partner-center/developer/get-a-list-of-customers
 * Facts: shared/facts/partner-center.md §3 (PC SDK `BaseResourceCollectionEnumerator.cs`).
 */

/** The request that fetches the next page: absolute URL plus headers to add. */
export interface NextPageRequest {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Resolve a Partner Center link URI. Partner Center writes links relative to the versioned API
 * root (`/customers?…`) in some responses and to the host (`/v1/customers?…`) in others; both are
 * accepted, as is an absolute URL on the same origin.
 *
 * @param apiRoot - the versioned root, e.g. `https://api.partnercenter.microsoft.com/v1`.
 */
export function resolvePartnerCenterUri(uri: string, apiRoot: string): string {
  const root = new URL(apiRoot.endsWith("/") ? apiRoot : `${apiRoot}/`);
  if (/^https?:\/\//i.test(uri)) return new URL(uri).toString();
  const versionPrefix = root.pathname.replace(/\/+$/, ""); // e.g. "/v1"
  if (uri.startsWith("/")) {
    if (versionPrefix !== "" && (uri === versionPrefix || uri.startsWith(`${versionPrefix}/`) || uri.startsWith(`${versionPrefix}?`))) {
      return new URL(uri, root.origin).toString();
    }
    return new URL(`${versionPrefix}${uri}`, root.origin).toString();
  }
  return new URL(uri, root).toString();
}

/**
 * The next-page request for one Partner Center collection body, or `undefined` on the last page.
 * Works on any parsed JSON body: returns `undefined` when it is not a Partner Center collection.
 */
export function partnerCenterNextPage(body: unknown, apiRoot: string): NextPageRequest | undefined {
  if (!isRecord(body)) return undefined;
  const links = body["links"];
  const next = isRecord(links) ? links["next"] : undefined;
  const headers: Record<string, string> = {};
  if (isRecord(next) && typeof next["uri"] === "string" && next["uri"] !== "") {
    const list = next["headers"];
    if (Array.isArray(list)) {
      for (const h of list) {
        if (isRecord(h) && typeof h["key"] === "string" && typeof h["value"] === "string") headers[h["key"]] = h["value"];
      }
    }
    if (typeof body["continuationToken"] === "string" && !Object.keys(headers).some((k) => k.toLowerCase() === "ms-continuationtoken")) {
      headers["MS-ContinuationToken"] = body["continuationToken"];
    }
    return { url: resolvePartnerCenterUri(next["uri"], apiRoot), headers };
  }
  return undefined;
}

/** The items of one Partner Center collection page (`items`), or `undefined` when there are none. */
export function partnerCenterItems(body: unknown): unknown[] | undefined {
  if (!isRecord(body)) return undefined;
  const items = body["items"];
  return Array.isArray(items) ? (items as unknown[]) : undefined;
}
