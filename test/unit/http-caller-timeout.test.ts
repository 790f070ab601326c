/**
 * A caller's timeout is a timeout, not a cancel: openid-client passes `AbortSignal.timeout(…)` as
 * the fetch signal, and a server that never answers must be reported as SAMKIT_HTTP_TIMEOUT
 * (retry later), while a plain `abort()` stays SAMKIT_HTTP_ABORTED.
 */
import { createServer, type Server } from "node:http";
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isSamkitError, type SamkitError } from "../../src/errors/index.js";
import { createHttpClient } from "../../src/http/index.js";

let server: Server;
let base: string;
let hits = 0;
const sockets = new Set<Socket>();

beforeAll(async () => {
  // Accepts every request and never answers.
  server = createServer(() => {
    hits++;
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === "object" && a !== null ? a.port : 0}`;
});

afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

async function failure(p: Promise<unknown>): Promise<SamkitError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isSamkitError(e)).toBe(true);
  return e as SamkitError;
}

describe("a caller's AbortSignal.timeout against a hung server", () => {
  it("request(): SAMKIT_HTTP_TIMEOUT after one attempt, not SAMKIT_HTTP_ABORTED", async () => {
    hits = 0;
    const http = createHttpClient();
    const t0 = Date.now();
    const e = await failure(http.request({ method: "GET", url: `${base}/hang`, abortSignal: AbortSignal.timeout(100) }));
    expect(e.code).toBe("SAMKIT_HTTP_TIMEOUT");
    expect(e.action).toBe("retry-later");
    expect(e.message).toContain("after 1 attempt");
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(hits).toBe(1);
  });

  it("fetch() as openid-client calls it (POST, signal: AbortSignal.timeout): SAMKIT_HTTP_TIMEOUT", async () => {
    const http = createHttpClient();
    const e = await failure(
      http.fetch(`${base}/tenant/oauth2/v2.0/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials",
        signal: AbortSignal.timeout(100),
      }),
    );
    expect(e.code).toBe("SAMKIT_HTTP_TIMEOUT");
  });

  it("a plain abort() is still a cancel (SAMKIT_HTTP_ABORTED)", async () => {
    const http = createHttpClient();
    const c = new AbortController();
    setTimeout(() => c.abort(), 100);
    const e = await failure(http.request({ method: "GET", url: `${base}/hang`, abortSignal: c.signal }));
    expect(e.code).toBe("SAMKIT_HTTP_ABORTED");
  });
});
