/**
 * A WHATWG `fetch` over the seam, for libraries that take a custom fetch (openid-client's
 * `customFetch`, whose options are `{ body, headers, method, redirect, signal }`).
 *
 * @see https://github.com/panva/openid-client/blob/v6.x/docs/variables/customFetch.md
 */
import type { HttpRequest, HttpResponse, ServiceKind } from "./types.js";

const NULL_BODY = new Set([101, 103, 204, 205, 304]);

async function bodyOf(body: unknown): Promise<string | Uint8Array | undefined> {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Blob) return new Uint8Array(await body.arrayBuffer());
  if (body instanceof ReadableStream) return new Uint8Array(await new Response(body).arrayBuffer());
  throw new TypeError("samkit fetch: unsupported body type");
}

/** Options for {@link createFetch}. */
export interface CreateFetchOptions {
  /**
   * Rewrite a response body before the `Response` is built (e.g. take a field out of a token
   * response). Runs on the text the seam already read, so no second `Response` is needed.
   */
  readonly mapText?: (text: string, response: HttpResponse) => string;
}

/**
 * Build a `fetch`-compatible function that sends through `request`. Redirects are not followed
 * (openid-client asks for `redirect: "manual"`); `Response.url` is the request URL.
 *
 * @param service Service label used for headers, retries and logs.
 */
export function createFetch(
  request: (req: HttpRequest) => Promise<HttpResponse>,
  service: ServiceKind,
  options: CreateFetchOptions = {},
): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init = {}) => {
    const isReq = input instanceof Request;
    const url = isReq ? input.url : String(input);
    const method = init.method ?? (isReq ? input.method : "GET");
    const headers = new Headers(isReq ? input.headers : undefined);
    for (const [k, v] of new Headers(init.headers)) headers.set(k, v);
    let body = await bodyOf(init.body ?? (isReq && input.body ? await input.arrayBuffer() : undefined));
    if (init.body instanceof URLSearchParams && !headers.has("content-type")) {
      headers.set("content-type", "application/x-www-form-urlencoded;charset=UTF-8");
    }
    if (body !== undefined && body.length === 0 && (method === "GET" || method === "HEAD")) body = undefined;
    const signal = init.signal ?? (isReq ? input.signal : undefined);
    const res = await request({
      method,
      url,
      headers: Object.fromEntries(headers),
      ...(body !== undefined ? { body } : {}),
      service,
      ...(signal ? { abortSignal: signal } : {}),
    });
    const text = options.mapText ? options.mapText(res.text, res) : res.text;
    const response = new Response(NULL_BODY.has(res.status) || method === "HEAD" ? null : text, {
      status: res.status,
      headers: res.headers,
    });
    Object.defineProperty(response, "url", { value: res.url });
    return response;
  };
}
