/**
 * A scripted HTTP seam for unit tests: no sockets, every request recorded, each answered by the
 * test's handler.
 */
import type { HttpClient, HttpRequest, HttpResponse } from "../../src/http/types.js";

/** What a scripted handler answers: a string body is sent as is, anything else as JSON. */
export interface ScriptedReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/**
 * An {@link HttpClient} whose `request` answers with `handler(req, n)` (`n` = 1 for the first
 * request) and records every request in `calls`; `fetch` rejects (not used by these callers).
 */
export function scriptedHttp(handler: (req: HttpRequest, n: number) => ScriptedReply): { http: HttpClient; calls: HttpRequest[] } {
  const calls: HttpRequest[] = [];
  const http: HttpClient = {
    request(req) {
      calls.push(req);
      const r = handler(req, calls.length);
      const text = r.body === undefined ? "" : typeof r.body === "string" ? r.body : JSON.stringify(r.body);
      const res: HttpResponse = { status: r.status, headers: r.headers ?? {}, text, url: String(req.url), attempts: 1 };
      return Promise.resolve(res);
    },
    fetch: () => Promise.reject(new Error("not used")),
  };
  return { http, calls };
}
