/**
 * A minimal Microsoft Graph v1.0 client over the HTTP seam for samkit's own calls (app
 * provisioning, groups). Errors become `SAMKIT_APP_GRAPH_FAILED` with Graph's `error.code`.
 *
 * @see https://learn.microsoft.com/graph/errors
 */
import { SamkitError } from "../errors/index.js";
import type { HttpClient } from "../http/types.js";

/** Options of {@link createGraphClient}. */
export interface GraphClientOptions {
  readonly http: HttpClient;
  /** Graph origin for the cloud, e.g. `https://graph.microsoft.com` (from the cloud table). */
  readonly graphUrl: string;
  /** Returns a bearer token for Graph (delegated or app-only). */
  readonly accessToken: () => Promise<string>;
  readonly abortSignal?: AbortSignal;
}

/** One Graph request. `path` starts with `/` and is relative to `{graphUrl}/v1.0`. */
export interface GraphRequest {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  readonly path: string;
  readonly body?: unknown;
  /** Human words for errors, e.g. "creating the app registration". */
  readonly operation: string;
}

/** A Graph error body: `{ error: { code, message } }`. */
export interface GraphErrorInfo {
  readonly status: number;
  readonly code: string | undefined;
  readonly message: string | undefined;
}

/** A thin Graph client. */
export interface GraphClient {
  readonly graphUrl: string;
  /**
   * Sends a request; `undefined` for 204 No Content.
   * @throws SamkitError `SAMKIT_APP_GRAPH_FAILED` (any non-2xx), `SAMKIT_HTTP_*`
   */
  call<T>(req: GraphRequest): Promise<T | undefined>;
  /** GET a collection and follow `@odata.nextLink` (at most `maxPages`, default 20). */
  list<T>(path: string, operation: string, maxPages?: number): Promise<T[]>;
}

/** Parses a Graph error body. */
export function graphErrorInfo(status: number, text: string): GraphErrorInfo {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof body.error?.code === "string" ? body.error.code : undefined;
    const message = typeof body.error?.message === "string" ? body.error.message : undefined;
    return { status, code, message };
  } catch {
    return { status, code: undefined, message: undefined };
  }
}

/** Creates a {@link GraphClient}. */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  const base = `${options.graphUrl.replace(/\/+$/, "")}/v1.0`;
  const send = async (method: string, url: string, body: unknown, operation: string): Promise<unknown> => {
    const token = await options.accessToken();
    const res = await options.http.request({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        accept: "application/json",
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      service: "graph",
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    });
    if (res.status < 200 || res.status > 299) {
      const info = graphErrorInfo(res.status, res.text);
      throw new SamkitError("SAMKIT_APP_GRAPH_FAILED", {
        params: { operation, detail: `HTTP ${res.status}${info.code ? ` ${info.code}` : ""}${info.message ? `: ${info.message}` : ""}` },
        status: res.status,
        ...(info.code !== undefined ? { graphCode: info.code } : {}),
        ...(info.message !== undefined ? { serviceMessage: info.message } : {}),
      });
    }
    if (res.status === 204 || res.text.trim() === "") return undefined;
    try {
      return JSON.parse(res.text) as unknown;
    } catch {
      throw new SamkitError("SAMKIT_APP_GRAPH_FAILED", { params: { operation, detail: "the response is not JSON" }, status: res.status });
    }
  };
  return {
    graphUrl: options.graphUrl,
    async call<T>(req: GraphRequest): Promise<T | undefined> {
      return (await send(req.method, `${base}${req.path}`, req.body, req.operation)) as T | undefined;
    },
    async list<T>(path: string, operation: string, maxPages = 20): Promise<T[]> {
      const out: T[] = [];
      let url: string | undefined = `${base}${path}`;
      for (let page = 0; url !== undefined && page < maxPages; page += 1) {
        const body = (await send("GET", url, undefined, operation)) as { value?: T[]; "@odata.nextLink"?: string } | undefined;
        out.push(...(body?.value ?? []));
        url = body?.["@odata.nextLink"];
      }
      return out;
    },
  };
}
