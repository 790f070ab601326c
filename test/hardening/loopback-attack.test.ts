/**
 * Hardening (issue 10): the loopback consent receiver (src/oauth/loopback.ts) against hostile or
 * confused requests. RFC 8252 §8.9/§8.1 (loopback redirect), RFC 6749 §10.12 (CSRF via `state`),
 * DNS rebinding (Host header). Each attack must be refused and must never yield a code.
 */
import { request } from "node:http";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { isSamkitError } from "../../src/errors/index.js";
import { startLoopbackReceiver, type LoopbackReceiver } from "../../src/oauth/index.js";

const open: LoopbackReceiver[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});
async function receiver(): Promise<LoopbackReceiver> {
  const r = await startLoopbackReceiver();
  open.push(r);
  return r;
}

/** A raw request to 127.0.0.1:port with a chosen Host header; resolves with status (or `refused`). */
function hit(port: number, path: string, host = `localhost:${port}`, method = "GET"): Promise<{ status: number | "refused"; body: string }> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, method, headers: { host }, agent: false, timeout: 5000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", () => resolve({ status: "refused", body: "" }));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

/** Settles the wait promise into a value we can assert on. */
async function outcome(p: Promise<{ code: string }>): Promise<{ code?: string; error?: string }> {
  return p.then(
    (v) => ({ code: v.code }),
    (e: unknown) => ({ error: isSamkitError(e) ? e.code : `non-catalogue: ${String(e)}` }),
  );
}

describe("loopback consent receiver: attack surface", () => {
  it("a wrong state is refused (CSRF) and the real response afterwards does not deliver a code", async () => {
    const r = await receiver();
    const wait = outcome(r.waitForCode({ expectedState: "expected-state-1", timeoutMs: 10_000 }));
    const forged = await hit(r.port, "/?code=attacker-code&state=other-state");
    expect(forged.status).toBe(400);
    expect(forged.body).not.toContain("attacker-code");
    expect(await wait).toEqual({ error: "SAMKIT_CONSENT_STATE_MISMATCH" });
    const late = await hit(r.port, "/?code=real-code&state=expected-state-1");
    expect(late.status === "refused" || late.status === 409).toBe(true);
  });

  it("a state that differs only in length or case, or is empty or repeated, is refused", async () => {
    for (const q of ["state=expected-state-", "state=EXPECTED-STATE-1", "state=", "state=expected-state-1x", "", "state=x&state=expected-state-1"]) {
      const r = await receiver();
      const wait = outcome(r.waitForCode({ expectedState: "expected-state-1", timeoutMs: 10_000 }));
      const res = await hit(r.port, `/?code=c1&${q}`);
      expect(res.status, q).toBe(400);
      expect((await wait).code, q).toBeUndefined();
      await r.close();
    }
  });

  it("a second request after success is refused; the first code stands", async () => {
    const r = await receiver();
    const wait = outcome(r.waitForCode({ expectedState: "s-2", timeoutMs: 10_000 }));
    expect((await hit(r.port, "/?code=first&state=s-2")).status).toBe(200);
    const second = await hit(r.port, "/?code=second&state=s-2");
    expect(second.status === "refused" || second.status === 409).toBe(true);
    expect(await wait).toEqual({ code: "first" });
  });

  it("a response with both code and error is treated as an error, never as a code", async () => {
    const r = await receiver();
    const wait = outcome(r.waitForCode({ expectedState: "s-3", timeoutMs: 10_000 }));
    const res = await hit(r.port, "/?code=sneaky&error=access_denied&error_description=AADSTS65004%3A+declined&state=s-3");
    expect(res.status).not.toBe("refused");
    expect(res.body).toContain('data-ok="false"');
    const o = await wait;
    expect(o.code).toBeUndefined();
    expect(o.error).toMatch(/^SAMKIT_/);
  });

  it("non-loopback Host headers are refused (DNS rebinding) and the wait goes on", async () => {
    const r = await receiver();
    const wait = outcome(r.waitForCode({ expectedState: "s-4", timeoutMs: 10_000 }));
    const hosts = ["evil.example", `evil.example:${r.port}`, `localhost.evil.example:${r.port}`, `127.0.0.1.nip.io:${r.port}`, `localhost:${r.port + 1}`, "localhost", `[::1]:${r.port}`, `0.0.0.0:${r.port}`];
    for (const host of hosts) {
      const res = await hit(r.port, "/?code=rebound&state=s-4", host);
      expect(res.status, host).toBe(400);
      expect(res.body, host).not.toContain("rebound");
    }
    // The genuine browser redirect still works after all of that.
    expect((await hit(r.port, "/?code=genuine&state=s-4", `127.0.0.1:${r.port}`)).status).toBe(200);
    expect(await wait).toEqual({ code: "genuine" });
  });

  it("other methods and paths are refused without ending the wait", async () => {
    const r = await receiver();
    const wait = outcome(r.waitForCode({ expectedState: "s-5", timeoutMs: 10_000 }));
    expect((await hit(r.port, "/?code=c&state=s-5", undefined, "POST")).status).toBe(404);
    expect((await hit(r.port, "/callback?code=c&state=s-5")).status).toBe(404);
    expect((await hit(r.port, "/favicon.ico")).status).toBe(404);
    expect((await hit(r.port, "/")).status).toBe(400);
    expect((await hit(r.port, "/?code=ok&state=s-5")).status).toBe(200);
    expect(await wait).toEqual({ code: "ok" });
  });

  it("property: any query string yields a code only when it has a code, no error and exactly the expected state", async () => {
    const expected = "Zq7-state";
    const param = fc.oneof(
      fc.constant(["state", expected] as const),
      fc.tuple(fc.constantFrom("state", "code", "error", "error_description", "session_state", "x"), fc.string({ maxLength: 12 })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(param, { maxLength: 5 }), async (pairs) => {
        const r = await receiver();
        try {
          const wait = outcome(r.waitForCode({ expectedState: expected, timeoutMs: 3000 }));
          const qs = new URLSearchParams(pairs.map(([k, v]): [string, string] => [k, v])).toString();
          const res = await hit(r.port, `/?${qs}`);
          const p = new URLSearchParams(qs);
          const shouldAccept = p.get("state") === expected && !p.has("error") && (p.get("code") ?? "") !== "";
          if (shouldAccept) {
            expect(res.status).toBe(200);
            expect(await wait).toEqual({ code: p.get("code") });
          } else {
            expect(res.status === 200 && !res.body.includes('data-ok="false"')).toBe(false);
            // Never a code: the wait either failed with a catalogue error or is still pending.
            const o = await Promise.race([wait, new Promise<{ pending: true }>((done) => setTimeout(() => done({ pending: true }), 20))]);
            if ("code" in o) expect(o.code).toBeUndefined();
            if ("error" in o && o.error !== undefined) expect(o.error).toMatch(/^SAMKIT_/);
          }
        } finally {
          await r.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
