/**
 * Execute an {@link ApiRequestSpec} for one tenant: token from the provider, request through the
 * HTTP seam (retries, Retry-After, CONTRACTS §8), service errors through the catalogue, and
 * optional paging across Partner Center / Graph / ARM collections.
 */
import { randomUUID } from "node:crypto";
import { sendWithReauth } from "../broker/reauth.js";
import { SamkitError, isSamkitError } from "../errors/index.js";
import type { HttpResponse } from "../http/types.js";
import { serviceErrorFromResponse } from "./errors.js";
import { collectionItems, nextPageOf } from "./paging.js";
import { resolveApiTarget, resourceForAbsolute, serviceKindFor } from "./target.js";
import type { ApiContext, ApiPage, ApiRequestSpec, ApiResult } from "./types.js";

/** Parse a response body: JSON when it parses, the text otherwise, `null` when empty. */
export function parseBody(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const errorBodies = new WeakMap<SamkitError, unknown>();

/** The service's parsed error body behind a SamkitError raised by {@link paginateApi}, if any. */
export function errorResponseBody(err: SamkitError): unknown {
  return errorBodies.get(err);
}

function headerKeys(h: Readonly<Record<string, string>>): Set<string> {
  return new Set(Object.keys(h).map((k) => k.toLowerCase()));
}

/**
 * Send the spec and yield each page (one page without `spec.paginate`). A page's `items` are set
 * when the body is a collection. Bearer tokens are sent only to the target resource's origin: a
 * next link pointing elsewhere is refused.
 *
 * @throws SamkitError — the catalogue error for a non-2xx (its `status` set; the body via
 * {@link errorResponseBody}), a token error from `ctx.getToken` (e.g. consent missing in that
 * tenant → `grant-customer-consent`), `SAMKIT_HTTP_*` transport errors, or `SAMKIT_USAGE` for a
 * request that cannot be resolved.
 */
export async function* paginateApi(
  spec: ApiRequestSpec,
  ctx: ApiContext,
): AsyncGenerator<ApiPage, void, undefined> {
  const target = resolveApiTarget(spec, ctx.cloud);
  const tenant = ctx.tenant ?? spec.tenant;
  const service = serviceKindFor(target.alias);
  const isPartnerCenter = target.alias === "partner-center";
  const pcRoot = `${ctx.cloud.resources["partner-center"].endpoint.replace(/\/+$/, "")}/v1`;
  const correlationId = randomUUID();
  const origin = target.url.origin;
  const maxPages = ctx.maxPages ?? 10_000;

  let url = target.url;
  let method = spec.method;
  let body = spec.body;
  let extra: Readonly<Record<string, string>> = {};
  for (let pageNo = 1; ; pageNo++) {
    const tokenRequest = {
      resource: target.tokenResource,
      ...(tenant !== undefined ? { tenant } : {}),
      ...(spec.appOnly ? { appOnly: true } : {}),
      ...(ctx.abortSignal ? { abortSignal: ctx.abortSignal } : {}),
    };
    const headers: Record<string, string> = { Accept: "application/json" };
    if (isPartnerCenter) {
      headers["MS-RequestId"] = randomUUID(); // new per request; the seam reuses it on retries
      headers["MS-CorrelationId"] = correlationId; // one per operation, all pages
      headers["X-Locale"] = ctx.locale ?? "en-US";
      headers["MS-Contract-Version"] = "v1";
    }
    const userHeaders = { ...spec.headers, ...extra };
    const userKeys = headerKeys(userHeaders);
    for (const k of Object.keys(headers)) if (userKeys.has(k.toLowerCase())) delete headers[k];
    Object.assign(headers, userHeaders);

    const sent = { method, url, body };
    // A 401 (token issued before a revocation, CAE claims challenge, …) is retried once with a new token.
    const res: HttpResponse = await sendWithReauth(ctx.getToken, tokenRequest, (token) =>
      ctx.http.request({
        method: sent.method,
        url: sent.url,
        headers: { ...headers, Authorization: `Bearer ${token}` },
        ...(sent.body !== undefined ? { body: sent.body } : {}),
        service,
        ...(ctx.retry ? { retry: ctx.retry } : {}),
        ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
        ...(ctx.abortSignal ? { abortSignal: ctx.abortSignal } : {}),
      }),
    );
    const data = parseBody(res.text);
    if (res.status < 200 || res.status >= 300) {
      const err = serviceErrorFromResponse(res, target.alias);
      errorBodies.set(err, data);
      throw err;
    }
    const items = collectionItems(data);
    yield { status: res.status, data, headers: res.headers, ...(items ? { items } : {}) };

    if (!spec.paginate || method !== "GET") return;
    const next = nextPageOf(data, url, pcRoot);
    if (!next) return;
    if (pageNo >= maxPages) {
      throw new SamkitError("SAMKIT_API_BAD_RESPONSE", {
        params: { service: service, detail: `more than ${maxPages} pages; stopped` },
      });
    }
    let nextUrl = new URL(next.url);
    if (nextUrl.origin !== origin) {
      const aligned = resourceForAbsolute(ctx.cloud, nextUrl);
      if (!aligned || aligned.url.origin !== origin) {
        throw new SamkitError("SAMKIT_API_BAD_RESPONSE", {
          params: {
            service,
            detail: `next link points to another host (${nextUrl.origin}); not sending the token there`,
          },
        });
      }
      nextUrl = aligned.url;
    }
    url = nextUrl;
    method = "GET";
    body = undefined;
    extra = next.headers;
  }
}

/**
 * Run the spec for one tenant and return a result record instead of throwing for service, token
 * and transport errors (the fan-out runner's per-tenant call). With `spec.paginate`, `data` is
 * the merged array of every page's items (or the single body when the response is not a
 * collection); without, `data` is the response body.
 *
 * @returns `{ok: true, status, data}` or `{ok: false, status, error, data?}` — `status` 0 when no
 * HTTP response was received (token or transport failure); `data` is the service's error body.
 * @throws only for programming errors (anything that is not a SamkitError).
 */
export async function callApi(spec: ApiRequestSpec, ctx: ApiContext): Promise<ApiResult> {
  const merged: unknown[] = [];
  let last: ApiPage | undefined;
  let collection = false;
  try {
    for await (const page of paginateApi(spec, ctx)) {
      last = page;
      if (page.items) {
        collection = true;
        merged.push(...page.items);
      }
    }
  } catch (err) {
    if (!isSamkitError(err)) throw err;
    const body = errorResponseBody(err);
    return { ok: false, status: err.status ?? 0, error: err, ...(body !== undefined ? { data: body } : {}) };
  }
  const status = last?.status ?? 0;
  if (spec.paginate && collection) return { ok: true, status, data: merged };
  return { ok: true, status, data: last?.data ?? null };
}
