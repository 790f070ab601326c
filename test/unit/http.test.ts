import { Writable } from "node:stream";
import { MockAgent } from "undici";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { assertOk, createHttpClient, retryAfterSeconds } from "../../src/http/index.js";
import { createLogger } from "../../src/log/index.js";
import { isSamkitError } from "../../src/errors/index.js";

const PC = "https://api.partnercenter.microsoft.com";

function mockAgent(): MockAgent {
  const agent = new MockAgent();
  agent.disableNetConnect();
  return agent;
}

describe("retryAfterSeconds", () => {
  const now = Date.parse("2026-10-14T09:12:44Z");
  it("reads delay-seconds, HTTP-dates and the -ms headers", () => {
    expect(retryAfterSeconds({ "retry-after": "7" }, now)).toBe(7);
    expect(retryAfterSeconds({ "retry-after": "Wed, 14 Oct 2026 09:12:54 GMT" }, now)).toBe(10);
    expect(retryAfterSeconds({ "retry-after": "Wed, 14 Oct 2026 09:00:00 GMT" }, now)).toBe(0);
    expect(retryAfterSeconds({ "retry-after-ms": "1500" }, now)).toBe(1.5);
    expect(retryAfterSeconds({ "retry-after": "soon" }, now)).toBeUndefined();
    expect(retryAfterSeconds({}, now)).toBeUndefined();
  });
});

describe("createHttpClient retries (fake timers)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("waits exactly Retry-After seconds, keeps MS-RequestId across retries and adds MS-CorrelationId", async () => {
    const agent = mockAgent();
    const seen: Record<string, string>[] = [];
    const pool = agent.get(PC);
    const capture = (status: number, body: string, headers: Record<string, string> = {}) => (opts: { headers?: unknown }) => {
      seen.push({ ...(opts.headers as Record<string, string>) });
      return { statusCode: status, data: body, responseOptions: { headers } };
    };
    pool.intercept({ path: "/v1/customers", method: "GET" }).reply(capture(429, '{"statusCode":429,"message":"Rate limit is exceeded. Try again in 7 seconds."}', { "retry-after": "7" }));
    pool.intercept({ path: "/v1/customers", method: "GET" }).reply(capture(200, '{"items":[]}'));
    const http = createHttpClient({ dispatcher: agent });
    let done = false;
    const p = http.request({ method: "GET", url: `${PC}/v1/customers`, service: "partner-center" }).finally(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(6_999);
    expect(done).toBe(false);
    expect(seen).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    const res = await p;
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
    expect(seen).toHaveLength(2);
    const [first, second] = seen as [Record<string, string>, Record<string, string>];
    expect(first["ms-requestid"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(second["ms-requestid"]).toBe(first["ms-requestid"]);
    expect(first["ms-correlationid"]).toMatch(/^[0-9a-f-]{36}$/);
    agent.assertNoPendingInterceptors();
  });

  it("honours an HTTP-date Retry-After", async () => {
    const agent = mockAgent();
    const pool = agent.get("https://graph.microsoft.com");
    const at = new Date(Date.now() + 5_000).toUTCString();
    pool.intercept({ path: "/v1.0/users", method: "GET" }).reply(503, "", { headers: { "retry-after": at } });
    pool.intercept({ path: "/v1.0/users", method: "GET" }).reply(200, "{}");
    const http = createHttpClient({ dispatcher: agent });
    let done = false;
    const p = http.request({ method: "GET", url: "https://graph.microsoft.com/v1.0/users", service: "graph" }).finally(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(4_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await p).status).toBe(200);
  });

  it("gives up after 4 attempts and returns the last response", async () => {
    const agent = mockAgent();
    const pool = agent.get(PC);
    pool.intercept({ path: "/v1/customers", method: "GET" }).reply(429, '{"statusCode":429,"message":"Rate limit is exceeded. Try again in 2 seconds."}', { headers: { "retry-after": "2" } }).times(4);
    const http = createHttpClient({ dispatcher: agent });
    const p = http.request({ method: "GET", url: `${PC}/v1/customers`, service: "partner-center" });
    await vi.advanceTimersByTimeAsync(6_000);
    const res = await p;
    expect(res.status).toBe(429);
    expect(res.attempts).toBe(4);
    agent.assertNoPendingInterceptors();
    let err: unknown;
    try {
      assertOk(res, "partner-center");
    } catch (e) {
      err = e;
    }
    expect(isSamkitError(err, "SAMKIT_THROTTLED")).toBe(true);
    expect(isSamkitError(err) && err.action).toBe("retry-later");
    expect(isSamkitError(err) && err.retryAfterSeconds).toBe(2);
  });

  it("does not wait when Retry-After exceeds the 60 s limit, nor beyond the total budget", async () => {
    const agent = mockAgent();
    const pool = agent.get(PC);
    pool.intercept({ path: "/a", method: "GET" }).reply(429, "", { headers: { "retry-after": "61" } });
    pool.intercept({ path: "/b", method: "GET" }).reply(429, "", { headers: { "retry-after": "30" } }).times(2);
    const http = createHttpClient({ dispatcher: agent, retry: { totalBudgetMs: 45_000 } });
    const a = await http.request({ method: "GET", url: `${PC}/a`, service: "partner-center" });
    expect(a.attempts).toBe(1);
    const p = http.request({ method: "GET", url: `${PC}/b`, service: "partner-center" });
    await vi.advanceTimersByTimeAsync(30_000);
    const b = await p;
    expect(b.attempts).toBe(2);
    agent.assertNoPendingInterceptors();
  });

  it("backs off exponentially without Retry-After and does not retry a 500 or when retry is false", async () => {
    const agent = mockAgent();
    const pool = agent.get(PC);
    pool.intercept({ path: "/x", method: "GET" }).reply(502, "").times(2);
    pool.intercept({ path: "/x", method: "GET" }).reply(200, "ok");
    pool.intercept({ path: "/y", method: "GET" }).reply(500, "");
    pool.intercept({ path: "/z", method: "POST" }).reply(503, "");
    const sleeps: number[] = [];
    const http = createHttpClient({
      dispatcher: agent,
      random: () => 0.5,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
    });
    expect((await http.request({ method: "GET", url: `${PC}/x` })).text).toBe("ok");
    expect(sleeps).toEqual([1_000, 2_000]);
    expect((await http.request({ method: "GET", url: `${PC}/y` })).attempts).toBe(1);
    expect((await http.request({ method: "POST", url: `${PC}/z`, body: "{}", retry: false })).status).toBe(503);
    agent.assertNoPendingInterceptors();
  });

  it("does not add Partner Center headers to other services", async () => {
    const agent = mockAgent();
    let headers: Record<string, string> = {};
    agent.get("https://graph.microsoft.com").intercept({ path: "/v1.0/me", method: "GET" }).reply((opts) => {
      headers = opts.headers as Record<string, string>;
      return { statusCode: 200, data: "{}" };
    });
    await createHttpClient({ dispatcher: agent }).request({ method: "GET", url: "https://graph.microsoft.com/v1.0/me", service: "graph" });
    expect(headers["ms-requestid"]).toBeUndefined();
    expect(headers["ms-correlationid"]).toBeUndefined();
  });
});

describe("createHttpClient logging", () => {
  it("never logs the bearer token, refresh token, client secret, code or password", async () => {
    const agent = mockAgent();
    agent
      .get("https://login.microsoftonline.com")
      .intercept({ path: "/tid/oauth2/v2.0/token?client-request-id=abc&code=QUERYCODE", method: "POST" })
      .reply(200, '{"access_token":"eyJ.RESPONSE.TOKEN","refresh_token":"RESPONSE-RT"}', { headers: { "set-cookie": "fpc=COOKIE" } });
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const logger = createLogger({ level: "debug", destination: sink });
    const http = createHttpClient({ dispatcher: agent, logger });
    const form = new URLSearchParams({
      grant_type: "refresh_token",
      client_id: "6513270e-269e-4d37-b2a7-4de452e6b438",
      refresh_token: "0.AAAA-SECRET-REFRESH-TOKEN",
      client_secret: "SECRET~VALUE",
      client_assertion: "eyJ.ASSERTION.SIG",
      code: "AUTHCODE123",
      password: "hunter2",
      scope: "https://graph.microsoft.com/.default",
    });
    await http.request({
      method: "POST",
      url: "https://login.microsoftonline.com/tid/oauth2/v2.0/token?client-request-id=abc&code=QUERYCODE",
      headers: { Authorization: "Bearer eyJ.BEARER.TOKEN", "Content-Type": "application/x-www-form-urlencoded", "X-Secret-Thing": "S3CR3T" },
      body: form.toString(),
      service: "identity",
    });
    const log = lines.join("");
    expect(log).toContain("http request");
    expect(log).toContain("grant_type=refresh_token");
    expect(log).toContain("REDACTED");
    for (const secret of ["eyJ.BEARER.TOKEN", "0.AAAA-SECRET-REFRESH-TOKEN", "SECRET~VALUE", "eyJ.ASSERTION.SIG", "AUTHCODE123", "hunter2", "QUERYCODE", "S3CR3T", "RESPONSE-RT", "eyJ.RESPONSE.TOKEN", "COOKIE"]) {
      expect(log, secret).not.toContain(secret);
    }
  });
});

describe("createHttpClient fetch adapter", () => {
  it("serves openid-client style calls (URLSearchParams body) and returns a WHATWG Response", async () => {
    const agent = mockAgent();
    let seen: { body?: unknown; headers?: unknown } = {};
    agent.get("https://login.microsoftonline.com").intercept({ path: "/t/oauth2/v2.0/token", method: "POST" }).reply((opts) => {
      seen = { body: opts.body, headers: opts.headers };
      return { statusCode: 400, data: '{"error":"invalid_grant"}', responseOptions: { headers: { "content-type": "application/json" } } };
    });
    const http = createHttpClient({ dispatcher: agent });
    const res = await http.fetch("https://login.microsoftonline.com/t/oauth2/v2.0/token", {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials" }),
      headers: { accept: "application/json" },
      redirect: "manual",
    });
    expect(res).toBeInstanceOf(Response);
    expect(res.status).toBe(400);
    expect(res.url).toBe("https://login.microsoftonline.com/t/oauth2/v2.0/token");
    expect(await res.json()).toEqual({ error: "invalid_grant" });
    expect(String(seen.body)).toBe("grant_type=client_credentials");
    expect((seen.headers as Record<string, string>)["content-type"]).toContain("application/x-www-form-urlencoded");
  });

  it("throws a catalogue error for a refused connection", async () => {
    const agent = mockAgent();
    const err = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    agent.get("http://127.0.0.1:1").intercept({ path: "/", method: "GET" }).replyWithError(err);
    const http = createHttpClient({ dispatcher: agent });
    const e: unknown = await http.request({ method: "GET", url: "http://127.0.0.1:1/" }).catch((x: unknown) => x);
    expect(isSamkitError(e, "SAMKIT_HTTP_UNREACHABLE")).toBe(true);
  });
});
