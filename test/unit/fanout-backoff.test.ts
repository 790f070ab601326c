import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SamkitError } from "../../src/errors/index.js";
import type { HttpClient, HttpRequest, HttpResponse } from "../../src/http/types.js";
import {
  HostBackoff,
  hostOf,
  parseRetryAfterSeconds,
  runFanout,
  withHostBackoff,
} from "../../src/fanout/index.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("parseRetryAfterSeconds", () => {
  it("reads delta-seconds and HTTP dates (RFC 9110 §10.2.3)", () => {
    expect(parseRetryAfterSeconds("7")).toBe(7);
    expect(parseRetryAfterSeconds(" 0 ")).toBe(0);
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfterSeconds("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30);
    expect(parseRetryAfterSeconds("Thu, 01 Jan 2025 00:00:30 GMT", now)).toBe(0);
    expect(parseRetryAfterSeconds("soon")).toBeUndefined();
    expect(parseRetryAfterSeconds(undefined)).toBeUndefined();
  });
});

describe("HostBackoff", () => {
  it("pauses per host, extends but never shortens, caps at maxPauseSeconds", () => {
    let now = 0;
    const b = new HostBackoff({ now: () => now, maxPauseSeconds: 10 });
    b.pause("a.example", 5);
    b.pause("a.example", 2); // shorter: ignored
    expect(b.remainingMs("a.example")).toBe(5000);
    expect(b.remainingMs("b.example")).toBe(0);
    b.pause("b.example", 600);
    expect(b.remainingMs("b.example")).toBe(10_000);
    now = 5000;
    expect(b.remainingMs("a.example")).toBe(0);
    expect(b.pauseCount).toBe(3);
    expect(hostOf("https://API.partnercenter.microsoft.com:443/v1/customers")).toBe(
      "api.partnercenter.microsoft.com",
    );
    expect(hostOf("http://127.0.0.1:4001/x")).toBe("127.0.0.1:4001");
  });

  it("wait() resolves when the pause ends and rejects on abort", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const b = new HostBackoff();
    b.pause("h", 3);
    let done = false;
    const p = b.wait("h").then(() => (done = true));
    await vi.advanceTimersByTimeAsync(2900);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(done).toBe(true);
    await p;
    b.pause("h", 3);
    const c = new AbortController();
    const q = b.wait("h", c.signal);
    c.abort(new Error("stop"));
    await expect(q).rejects.toThrow("stop");
  });
});

function fakeHttp(
  handler: (req: HttpRequest) => HttpResponse,
): HttpClient & { log: { url: string; at: number }[] } {
  const log: { url: string; at: number }[] = [];
  return {
    log,
    request(req) {
      log.push({ url: String(req.url), at: performance.now() });
      return Promise.resolve(handler(req));
    },
    fetch() {
      return Promise.reject(new Error("unused"));
    },
  };
}

describe("withHostBackoff shared across fan-out workers", () => {
  it("one worker's 429 + Retry-After pauses that host for every worker, other hosts keep going", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    let throttled = false;
    const inner = fakeHttp((req): HttpResponse => {
      const url = String(req.url);
      if (url.startsWith("https://graph.example/") && !throttled) {
        throttled = true;
        return { status: 429, headers: { "retry-after": "2" }, text: "", url, attempts: 1 };
      }
      return { status: 200, headers: {}, text: "{}", url, attempts: 1 };
    });
    const backoff = new HostBackoff();
    const http = withHostBackoff(inner, backoff);
    const targets = Array.from({ length: 8 }, (_, i) => ({ tenantId: `t${i}.example.com` }));
    const run = runFanout(
      targets,
      async (t, ctx) => {
        const host = Number(t.tenantId[1]) % 2 === 0 ? "graph.example" : "pc.example";
        // the first graph call is 429; stagger the rest so they start after it
        await new Promise((r) => setTimeout(r, Number(t.tenantId[1]) * 10));
        const res = await http.request({
          method: "GET",
          url: `https://${host}/${t.tenantId}`,
          abortSignal: ctx.abortSignal,
        });
        if (res.status !== 200)
          throw new SamkitError("SAMKIT_INVALID_INPUT", {
            params: { detail: "throttled" },
            status: res.status,
          });
        return { ok: true, status: res.status, data: null };
      },
      { concurrency: 8, backoff },
    );
    await vi.advanceTimersByTimeAsync(5000);
    const summary = await run;
    expect(backoff.pauseCount).toBe(1);
    const graphAfter = inner.log.filter(
      (l) => l.url.startsWith("https://graph.example/") && l.url !== "https://graph.example/t0.example.com",
    );
    const pcCalls = inner.log.filter((l) => l.url.startsWith("https://pc.example/"));
    expect(graphAfter).toHaveLength(3);
    for (const l of graphAfter) expect(l.at).toBeGreaterThanOrEqual(2000); // waited for the shared pause
    for (const l of pcCalls) expect(l.at).toBeLessThan(100); // other host not paused
    expect(summary.succeeded).toBe(7);
  });
});

describe("backoffInterceptor under the real HTTP seam", () => {
  it("a 429 seen by one request's first attempt pauses the host for a concurrent request too", async () => {
    const { MockAgent } = await import("undici");
    const { createHttpClient } = await import("../../src/http/index.js");
    const { backoffInterceptor } = await import("../../src/fanout/index.js");
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get("https://pc.example");
    const seen: { path: string; at: number }[] = [];
    const t0 = performance.now();
    pool.intercept({ path: "/a", method: "GET" }).reply(() => {
      seen.push({ path: "/a", at: performance.now() - t0 });
      return { statusCode: 429, data: "", responseOptions: { headers: { "retry-after": "1" } } };
    });
    pool.intercept({ path: "/a", method: "GET" }).reply(() => {
      seen.push({ path: "/a", at: performance.now() - t0 });
      return { statusCode: 200, data: "{}" };
    });
    pool.intercept({ path: "/b", method: "GET" }).reply(() => {
      seen.push({ path: "/b", at: performance.now() - t0 });
      return { statusCode: 200, data: "{}" };
    });
    const backoff = new HostBackoff();
    const http = createHttpClient({ dispatcher: agent.compose(backoffInterceptor(backoff)) });
    const a = http.request({ method: "GET", url: "https://pc.example/a" });
    await new Promise((r) => setTimeout(r, 50)); // /b starts after /a was throttled
    const b = http.request({ method: "GET", url: "https://pc.example/b" });
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.status).toBe(200);
    expect(ra.attempts).toBe(2);
    expect(rb.status).toBe(200);
    expect(backoff.pauseCount).toBe(1);
    const bCall = seen.find((s) => s.path === "/b")!;
    expect(bCall.at).toBeGreaterThanOrEqual(900); // held back by the shared pause, not sent at ~50 ms
    agent.assertNoPendingInterceptors();
    await agent.close();
  });
});

describe("hostOf", () => {
  it("names the same host as the WHATWG URL parser, fast path or not", () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.boolean(), (url, upper) => {
        const u = upper ? url.replace(/^(https?:\/\/)([^/?#]*)/, (_m, scheme: string, host: string) => scheme + host.toUpperCase()) : url;
        expect(hostOf(u)).toBe(new URL(u).host.toLowerCase());
      }),
    );
    for (const u of ["https://graph.microsoft.com:443/x", "http://127.0.0.1:4321/x", "https://user:pw@host/x", "https://[::1]:8/x", "https://host?x", "https://host#f"]) {
      expect(hostOf(u)).toBe(new URL(u).host.toLowerCase());
    }
    expect(hostOf("not a url")).toBe("");
  });
});
