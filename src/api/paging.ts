/**
 * Next-page links and items of the three collection shapes `samkit api --paginate` follows:
 * - Partner Center: `{items, links.next{uri, headers[]}}` — continuation header
 *   (shared/facts/partner-center.md §3);
 * - Microsoft Graph: `{value, "@odata.nextLink"}` — an absolute URL
 *   (https://learn.microsoft.com/graph/paging);
 * - Azure Resource Manager: `{value, nextLink}` — an absolute URL
 *   (https://learn.microsoft.com/rest/api/azure/#async-operations-throttling-and-paging).
 */
import { partnerCenterItems, partnerCenterNextPage, type NextPageRequest } from "../partner-center/paging.js";

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The items of one page: Partner Center `items`, Graph/ARM `value`; `undefined` if the body is not a collection. */
export function collectionItems(body: unknown): unknown[] | undefined {
  const pc = partnerCenterItems(body);
  if (pc) return pc;
  if (isRecord(body) && Array.isArray(body["value"])) return body["value"] as unknown[];
  return undefined;
}

/**
 * The request for the page after `body`, or `undefined` on the last page.
 * @param requestUrl - the URL that produced `body` (relative Graph/ARM links resolve against it).
 * @param partnerCenterApiRoot - e.g. `https://api.partnercenter.microsoft.com/v1`, for Partner Center links.
 */
export function nextPageOf(body: unknown, requestUrl: URL, partnerCenterApiRoot: string): NextPageRequest | undefined {
  if (!isRecord(body)) return undefined;
  const odata = body["@odata.nextLink"];
  if (typeof odata === "string" && odata !== "") return { url: new URL(odata, requestUrl).toString(), headers: {} };
  const arm = body["nextLink"];
  if (typeof arm === "string" && arm !== "") return { url: new URL(arm, requestUrl).toString(), headers: {} };
  return partnerCenterNextPage(body, partnerCenterApiRoot);
}
