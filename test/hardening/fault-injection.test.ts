/**
 * Hardening (issue 10): fault injection during a fan-out. `samkit foreach --customers all --jsonl
 * -- api /v1.0/users` (the CLI's command function, in-process) over FAULT_TENANTS customers of an
 * emulator whose scenarios inject latency spikes, 429 bursts (Retry-After 1 s), 502/503/504s and
 * connection resets on Partner Center, identity and Graph. Expected: every tenant ends with one
 * record, ok or a catalogue error; the run finishes (nothing hangs); the deliberately broken
 * customers fail with their own errors; the stored profile is intact and its refresh token still
 * redeems.
 *
 * Size: 1,000 customers by default (FAULT_TENANTS overrides). The emulator has no "slow body"
 * scenario (latency delays the whole response); latency spikes stand in for it.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorServer } from "../../emulator/server.js";
import { runForeachCommand } from "../../src/cli/commands/foreach/command.js";
import { emulatorCloud } from "../../src/cloud/index.js";
import { catalogue } from "../../src/errors/index.js";
import { createHttpClient } from "../../src/http/client.js";
import { redeemRefreshToken } from "../../src/oauth/grants.js";
import { EncryptedFileStore } from "../../src/store/file/file-store.js";
import { readProfile, writeProfile } from "../../src/store/profile.js";
import type { PartnerProfile } from "../../src/store/types.js";
import { deviceCodeRefreshToken, emulatorProfile, world } from "../integration/broker-helpers.js";

const N = Number(process.env["FAULT_TENANTS"] ?? "1000");
let emu: EmulatorServer;
let home: string;
let storeKey: string;
let before: PartnerProfile;

/** Faults for the fan-out. Identity faults hit customer-tenant token requests only (the partner's
 * Partner Center token for the customer listing is covered by the second test). */
const faults = (partner: string): Record<string, unknown>[] => {
  const customerToken = `^/(?!${partner})[^/]+/oauth2/v2\\.0/token$`;
  return [
    { service: "partner-center", status: 429, retryAfter: 1, times: 1 },
    { service: "partner-center", reset: true, times: 1 },
    { service: "identity", path: customerToken, status: 503, retryAfter: 1, times: 20 },
    { service: "identity", path: customerToken, reset: true, times: 15 },
    { service: "identity", path: customerToken, status: 429, retryAfter: 1, times: 15 },
    { service: "identity", path: customerToken, latencyMs: 400, jitterMs: 400, times: 40 },
    { service: "graph", status: 429, retryAfter: 1, times: 40 },
    { service: "graph", reset: true, times: 25 },
    { service: "graph", status: 502, times: 10 },
    { service: "graph", status: 504, times: 10 },
    { service: "graph", latencyMs: 800, jitterMs: 700, times: 60 },
    { service: "graph", status: 503, times: 15 },
  ];
};

beforeAll(async () => {
  emu = new EmulatorServer({ seedCustomers: N });
  const info = await emu.start();
  const w = await world(info);
  home = mkdtempSync(join(tmpdir(), "samkit-faults-"));
  storeKey = randomBytes(32).toString("base64");
  await writeProfile(new EncryptedFileStore({ home, storeKey }), emulatorProfile(w, await deviceCodeRefreshToken(info, w), { consentedAt: new Date().toISOString(), refreshTokenRotatedAt: new Date().toISOString(), mfaAtConsent: true }));
  before = (await readProfile(new EncryptedFileStore({ home, storeKey }), "default", { defaultCloud: "emulator" }))!;
}, 60_000);

afterAll(async () => {
  await emu?.stop();
  if (home) rmSync(home, { recursive: true, force: true });
});

describe(`fault injection during foreach over ${N} tenants`, () => {
  it("every tenant ends ok or with a catalogue error, nothing hangs, the profile is intact", async () => {
    const r = await fetch(`${emu.url}/_emulator/scenarios`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(faults(emu.context.world.partnerTenantId)) });
    expect(r.status).toBe(200);
    const lines: string[] = [];
    let stderr = "";
    const env = { SAMKIT_HOME: home, SAMKIT_STORE_KEY: storeKey, SAMKIT_CLOUD: "emulator", SAMKIT_EMULATOR_URL: emu.url, SAMKIT_STORE: "file", SAMKIT_LOG_LEVEL: "silent", NO_COLOR: "1" };
    const exitBefore = process.exitCode;
    const t0 = performance.now();
    try {
      await runForeachCommand(["api", "/v1.0/users", "-f", "$top=2"], { concurrency: "32", jsonl: true, progress: false }, {}, env, {
        stdout: { write: (c: string) => (lines.push(...c.split("\n").filter((l) => l !== "")), true) },
        stderr: { write: (c: string) => ((stderr += c), true) },
      });
    } finally {
      // runForeachCommand sets process.exitCode for the CLI; read it, then restore.
      var exitCode = process.exitCode; // eslint-disable-line no-var
      process.exitCode = exitBefore;
    }
    const seconds = (performance.now() - t0) / 1000;

    // One record per customer, each ok or a catalogue error.
    const records = lines.map((l) => JSON.parse(l) as { tenantId: string; ok: boolean; error?: { code: string; message: string; nextStep: string } });
    const w = emu.context.world;
    expect(records).toHaveLength(N);
    expect(new Set(records.map((x) => x.tenantId)).size).toBe(N);
    const codes = new Map<string, number>();
    for (const rec of records) {
      if (rec.ok) continue;
      expect(Object.keys(catalogue), JSON.stringify(rec.error)).toContain(rec.error!.code);
      expect(rec.error!.message).not.toMatch(/\n\s+at /);
      codes.set(rec.error!.code, (codes.get(rec.error!.code) ?? 0) + 1);
    }
    // The broken seeded customers fail; most healthy ones get through the faults.
    const state = new Map(w.customerList.map((c) => [c.tenantId.toLowerCase(), c.seededState]));
    const brokenOk = records.filter((x) => x.ok && state.get(x.tenantId) !== "healthy");
    expect(brokenOk).toEqual([]);
    const healthy = records.filter((x) => state.get(x.tenantId) === "healthy");
    const healthyOk = healthy.filter((x) => x.ok).length;
    expect(healthyOk, `failures by code: ${JSON.stringify([...codes])}`).toBeGreaterThan(healthy.length * 0.9);
    expect(exitCode).toBe(3);
    expect(stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
    // Faults really fired.
    const left = (await (await fetch(`${emu.url}/_emulator/scenarios`)).json()) as { rules: { times?: number }[] };
    expect(left.rules.filter((x) => x.times !== undefined && x.times > 0).length).toBeLessThan(faults("x").length);

    // The stored profile is intact: same app, a refresh token at least as new, and it redeems.
    const after = (await readProfile(new EncryptedFileStore({ home, storeKey }), "default", { defaultCloud: "emulator" }))!;
    expect(after.clientId).toBe(before.clientId);
    expect(after.clientSecret).toBe(before.clientSecret);
    expect(after.tenantId).toBe(before.tenantId);
    expect(Date.parse(after.metadata.refreshTokenRotatedAt ?? "0")).toBeGreaterThanOrEqual(Date.parse(before.metadata.refreshTokenRotatedAt ?? "0"));
    await fetch(`${emu.url}/_emulator/scenarios`, { method: "DELETE" });
    const t = await redeemRefreshToken(
      { cloud: emulatorCloud(emu.cloud), tenant: after.tenantId, client: { clientId: after.clientId, clientSecret: after.clientSecret! }, http: createHttpClient() },
      after.refreshToken!,
      ["https://api.partnercenter.microsoft.com/.default"],
    );
    expect(t.accessToken).toMatch(/^eyJ/);
    process.stdout.write(`fault injection: ${N} tenants in ${seconds.toFixed(1)} s; healthy ok ${healthyOk}/${healthy.length}; failures ${JSON.stringify(Object.fromEntries(codes))}\n`);
  }, 150_000);

  it("a 503 burst at the partner's token endpoint stops the run at the customer listing with a retry-later catalogue error, nothing stored changes", async () => {
    await fetch(`${emu.url}/_emulator/scenarios`, { method: "DELETE" });
    const r = await fetch(`${emu.url}/_emulator/scenarios`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ service: "identity", path: "/oauth2/v2\\.0/token$", status: 503, times: 8 }),
    });
    expect(r.status).toBe(200);
    // A fresh home without the disk cache, so the Partner Center token must be redeemed.
    const fresh = mkdtempSync(join(tmpdir(), "samkit-faults-"));
    try {
      const store = new EncryptedFileStore({ home: fresh, storeKey });
      await writeProfile(store, before);
      const env = { SAMKIT_HOME: fresh, SAMKIT_STORE_KEY: storeKey, SAMKIT_CLOUD: "emulator", SAMKIT_EMULATOR_URL: emu.url, SAMKIT_STORE: "file", SAMKIT_LOG_LEVEL: "silent" };
      let out = "";
      let diagnostics = "";
      await runForeachCommand(["api", "/v1.0/users"], { concurrency: "8", jsonl: true, progress: false }, {}, env, {
        stdout: { write: (c: string) => ((out += c), true) },
        stderr: { write: (c: string) => ((diagnostics += c), true) },
      });
      // The listing failed before any tenant: no records, exit 1, and the summary names the catalogue error and its next step.
      expect(out).toBe("");
      expect(process.exitCode).toBe(1);
      expect(diagnostics).toContain("the customer listing failed: SAMKIT_IDENTITY_UNAVAILABLE");
      expect(catalogue.SAMKIT_IDENTITY_UNAVAILABLE.action).toBe("retry-later");
      process.exitCode = undefined;
      const after = await readProfile(store, "default", { defaultCloud: "emulator" });
      expect(after?.refreshToken).toBe(before.refreshToken);
    } finally {
      await fetch(`${emu.url}/_emulator/scenarios`, { method: "DELETE" });
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 60_000);
});
