import { afterEach, describe, expect, it } from "vitest";
import { request } from "node:http";
import { createServer, type Server } from "node:net";
import { startLoopbackReceiver, type LoopbackReceiver } from "../../src/oauth/index.js";
import { isSamkitError, type SamkitError } from "../../src/errors/index.js";

const open: LoopbackReceiver[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

async function receiver(port?: number): Promise<LoopbackReceiver> {
  const r = await startLoopbackReceiver(port === undefined ? {} : { port });
  open.push(r);
  return r;
}

/** GET on 127.0.0.1 with an explicit Host header; resolves with status and body. */
function get(port: number, path: string, host = `localhost:${port}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers: { host }, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

async function expectSamkit(p: Promise<unknown>, code: string): Promise<SamkitError> {
  const err: unknown = await p.then(
    () => new Error("expected a rejection"),
    (e: unknown) => e,
  );
  expect(isSamkitError(err), String(err)).toBe(true);
  const s = err as SamkitError;
  expect(s.code).toBe(code);
  expect(s.nextStep.length).toBeGreaterThan(10);
  return s;
}

describe("loopback receiver", () => {
  it("listens on 127.0.0.1 with a random port and returns the code for the right state", async () => {
    const r = await receiver();
    expect(r.port).toBeGreaterThan(0);
    expect(r.redirectUri).toBe(`http://localhost:${r.port}`);
    const wait = r.waitForCode({ expectedState: "s-1", timeoutMs: 5000 });
    const page = await get(r.port, "/?code=c-1&state=s-1");
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-ok="true"');
    await expect(wait).resolves.toEqual({ code: "c-1", state: "s-1" });
  });

  it("rejects a state mismatch with the catalogue error and a failure page", async () => {
    const r = await receiver();
    const wait = r.waitForCode({ expectedState: "s-1", timeoutMs: 5000 });
    const page = await get(r.port, "/?code=c-1&state=forged");
    expect(page.status).toBe(400);
    expect(page.body).toContain('data-ok="false"');
    const err = await expectSamkit(wait, "SAMKIT_CONSENT_STATE_MISMATCH");
    expect(err.exitCode).toBe(4);
  });

  it("maps error=access_denied to a declined-consent error with a next step", async () => {
    const r = await receiver();
    const wait = r.waitForCode({ expectedState: "s-1", timeoutMs: 5000 });
    await get(r.port, "/?error=access_denied&error_description=AADSTS65004%3A+User+declined+to+consent&state=s-1");
    const err = await expectSamkit(wait, "SAMKIT_CONSENT_DECLINED");
    expect(err.aadsts).toBe(65004);
    expect(err.exitCode).toBe(4);
    const r2 = await receiver();
    const wait2 = r2.waitForCode({ expectedState: "s-2", timeoutMs: 5000 });
    await get(r2.port, "/?error=access_denied&state=s-2");
    await expectSamkit(wait2, "SAMKIT_CONSENT_ACCESS_DENIED");
  });

  it("keeps the AADSTS code of an error redirect (50011)", async () => {
    const r = await receiver();
    const wait = r.waitForCode({ expectedState: "s-1", timeoutMs: 5000 });
    await get(r.port, "/?error=invalid_request&error_description=AADSTS50011%3A+The+redirect+URI+does+not+match&state=s-1");
    const err = await expectSamkit(wait, "SAMKIT_REDIRECT_URI_NOT_REGISTERED");
    expect(err.aadsts).toBe(50011);
    expect(err.action).toBe("register-redirect");
  });

  it("refuses a request whose Host is not loopback, and still accepts the real one afterwards", async () => {
    const r = await receiver();
    const wait = r.waitForCode({ expectedState: "s-1", timeoutMs: 5000 });
    const evil = await get(r.port, "/?code=c-evil&state=s-1", `attacker.example:${r.port}`);
    expect(evil.status).toBe(400);
    const ok = await get(r.port, "/?code=c-1&state=s-1", `127.0.0.1:${r.port}`);
    expect(ok.status).toBe(200);
    await expect(wait).resolves.toEqual({ code: "c-1", state: "s-1" });
  });

  it("accepts exactly one response, then stops listening", async () => {
    const r = await receiver();
    const wait = r.waitForCode({ expectedState: "s-1", timeoutMs: 5000 });
    await get(r.port, "/?code=c-1&state=s-1");
    await wait;
    await new Promise((res) => setTimeout(res, 50));
    await expect(get(r.port, "/?code=c-2&state=s-1")).rejects.toThrow(/ECONNREFUSED/);
  });

  it("times out with the catalogue error", async () => {
    const r = await receiver();
    const err = await expectSamkit(r.waitForCode({ expectedState: "s-1", timeoutMs: 200 }), "SAMKIT_CONSENT_TIMEOUT");
    expect(err.nextStep).toContain("--timeout");
  });

  it("closing the receiver before a code arrives rejects the pending wait with the catalogue error, at once", async () => {
    const r = await receiver();
    const wait = r.waitForCode({ expectedState: "s-1", timeoutMs: 60_000 });
    const started = Date.now();
    await r.close();
    const err = await expectSamkit(wait, "SAMKIT_CONSENT_RECEIVER_CLOSED");
    expect(err.action).toBe("none");
    expect(Date.now() - started).toBeLessThan(5_000); // not the 60 s timeout
    // a wait started after close() rejects the same way
    await expectSamkit(r.waitForCode({ expectedState: "s-2", timeoutMs: 60_000 }), "SAMKIT_CONSENT_RECEIVER_CLOSED");
  });

  it("closing the receiver rejects every pending wait, not only the latest", async () => {
    const r = await receiver();
    const first = r.waitForCode({ expectedState: "s-1", timeoutMs: 60_000 });
    const second = r.waitForCode({ expectedState: "s-1", timeoutMs: 60_000 });
    const settled = Promise.allSettled([first, second]);
    await r.close();
    const outcome = await Promise.race([settled, new Promise<"pending">((res) => setTimeout(() => res("pending"), 2_000))]);
    expect(outcome).not.toBe("pending");
    await expectSamkit(first, "SAMKIT_CONSENT_RECEIVER_CLOSED");
    await expectSamkit(second, "SAMKIT_CONSENT_RECEIVER_CLOSED");
  });

  it("reports a port in use", async () => {
    const blocker: Server = createServer();
    await new Promise<void>((res) => blocker.listen(0, "127.0.0.1", () => res()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const err = await expectSamkit(startLoopbackReceiver({ port }), "SAMKIT_CONSENT_PORT_IN_USE");
      expect(err.message).toContain(String(port));
    } finally {
      await new Promise<void>((res) => blocker.close(() => res()));
    }
  });
});
