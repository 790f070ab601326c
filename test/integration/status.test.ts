/**
 * `samkit status` against a real EmulatorServer over HTTP through the real CLI context: every
 * field, `--renew` moving the stored rotation time, `--tenants`, and exit 4 once the emulator's
 * clock (and samkit's, via SAMKIT_TEST_NOW) passes the 90-day inactivity window.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runStatusCommand } from "../../src/cli/commands/status/command.js";
import type { StatusReport } from "../../src/status/types.js";
import { EncryptedFileStore } from "../../src/store/file/file-store.js";
import { readProfile, writeProfile } from "../../src/store/profile.js";
import { consentedEmulator, Sink, type ConsentedEmulator } from "./customers-helpers.js";

const DAY_S = 86_400;
let e: ConsentedEmulator;
let store: EncryptedFileStore;
let consentedAt: string;

beforeAll(async () => {
  e = await consentedEmulator({ seedCustomers: 12 });
  store = new EncryptedFileStore({ home: e.env["SAMKIT_HOME"]!, storeKey: e.env["SAMKIT_STORE_KEY"]! });
  const p = (await readProfile(store, "default"))!;
  consentedAt = new Date().toISOString();
  // as `samkit consent` records it: who consented, when, with MFA
  await writeProfile(store, {
    ...p,
    metadata: { ...p.metadata, consentedAt, consentedBy: "sam@partner.example", mfaAtConsent: true },
  });
}, 60_000);
afterAll(async () => {
  delete process.env["SAMKIT_TEST_NOW"];
  await e?.close();
});
afterEach(() => {
  process.exitCode = undefined;
});

/** A Sink that says it is a terminal. */
class TtySink extends Sink {
  readonly isTTY = true;
}

async function status(
  opts: Parameters<typeof runStatusCommand>[0] = {},
  tty = true,
): Promise<{ report: StatusReport; text: string; err: string; exit: number | undefined }> {
  const out = tty ? new TtySink() : new Sink();
  const err = new Sink();
  const report = await runStatusCommand(opts, {}, e.env, out, err);
  return {
    report,
    text: out.text,
    err: err.text,
    exit: typeof process.exitCode === "number" ? process.exitCode : undefined,
  };
}

/** Move the emulator's clock and samkit's (SAMKIT_TEST_NOW) to `days` after the start. */
async function travel(days: number): Promise<void> {
  const clock = (await e.control("POST", "/clock", { advanceSeconds: 0 })) as {
    nowSeconds?: number;
    now?: string;
  };
  const emuNow = clock.nowSeconds ?? Math.floor(Date.parse(String(clock.now)) / 1000);
  const target = start + days * DAY_S;
  await e.control("POST", "/clock", { advanceSeconds: target - emuNow });
  process.env["SAMKIT_TEST_NOW"] = String(target);
}
const start = Math.floor(Date.now() / 1000);

describe("samkit status", () => {
  it("reports every field, without secrets, and exits 0", async () => {
    const { report, text, exit } = await status({ json: true });
    expect(exit).toBe(0);
    expect(report.configured).toBe(true);
    expect(report.store).toContain(`file:${e.env["SAMKIT_HOME"]}`);
    expect(report.store).toContain("SAMKIT_STORE_KEY");
    expect(report.cloud).toBe("emulator");
    expect(report.partnerTenantId).toBe(e.partnerTenantId);
    expect(report.appId).toBe(e.clientId);
    expect(report.consent).toEqual({ at: consentedAt, by: "sam@partner.example", mfa: true });
    expect(report.refreshToken).toMatchObject({ present: true, ageDays: 0, daysLeft: 90, state: "ok" });
    expect(Math.abs(Date.parse(report.refreshToken.rotatedAt!) - Date.now())).toBeLessThan(120_000);
    expect(
      Date.parse(report.refreshToken.inactivityExpiresAt!) - Date.parse(report.refreshToken.rotatedAt!),
    ).toBe(90 * DAY_S * 1000);
    // the secret's expiry, read from Microsoft Graph (the emulator's app registration)
    const app = e.emu.context.world.applications.get(e.clientId.toLowerCase())!;
    const ends = app.passwordCredentials.map((c) => new Date(c.endDateTime).toISOString());
    expect(report.appCredential).toMatchObject({ kind: "secret", source: "graph", graphError: null });
    expect(ends).toContain(report.appCredential.expiresAt);
    expect(report.appCredential.daysLeft).toBeGreaterThan(30);
    expect(report.problems).toEqual([]);
    const secret = e.world.samApp.clientSecret;
    expect(text).not.toContain(secret);
    const profile = (await readProfile(store, "default"))!;
    expect(text).not.toContain(profile.refreshToken!);

    const human = await status();
    for (const label of [
      "store",
      "cloud",
      "partner tenant",
      "app ID",
      "consent",
      "refresh token",
      "app secret",
    ]) {
      expect(human.text).toMatch(new RegExp(`^  ${label}\\s`, "m"));
    }
    expect(human.text).toContain("by sam@partner.example (MFA: yes)");
    expect(human.text).toContain("90 of 90 days left");
    expect(human.text).toContain("from Microsoft Graph");
  });

  it("--tenants checks every customer (token? Graph?) and exits 3 when some are unhealthy", async () => {
    const { report, exit } = await status({ json: true, tenants: true });
    expect(report.tenants!.list).toHaveLength(e.world.customers.length);
    const byId = new Map(report.tenants!.list.map((t) => [t.tenantId, t]));
    for (const c of e.world.customers) {
      const t = byId.get(c.tenantId)!;
      if (c.state === "healthy") expect(t).toMatchObject({ token: true, graph: true, error: null });
      if (c.state === "no-consent") expect(t).toMatchObject({ token: false, graph: false });
      if (c.state !== "healthy") expect(t.error?.nextStep.length).toBeGreaterThan(0);
    }
    expect(report.tenants!.healthy).toBe(e.world.customers.filter((c) => c.state === "healthy").length);
    expect(exit).toBe(3);
  });

  it("--tenants piped: stdout has tab-separated rows only; header, summary and problems go to stderr", async () => {
    const piped = await status({ tenants: true }, false);
    expect(piped.exit).toBe(3);
    const lines = piped.text.split("\n").filter((l) => l !== "");
    expect(lines).toHaveLength(e.world.customers.length);
    for (const l of lines) expect(l.split("\t")).toHaveLength(6);
    for (const c of e.world.customers) {
      const row = lines.find((l) => l.split("\t")[1] === c.tenantId);
      expect(row?.split("\t")[0]).toBe(c.state === "healthy" ? "ok" : "FAILED");
    }
    expect(piped.text).not.toMatch(/HEALTH|Customer tenants|next step|problem |warning |samkit status/);
    expect(piped.err).toMatch(/Customer tenants: \d+ healthy, \d+ not/);
    expect(piped.err).toContain("samkit status — profile");
    expect(piped.err).not.toMatch(/^\s*HEALTH\s/m);

    const tty = await status({ tenants: true });
    expect(tty.text).toMatch(/^ {2}HEALTH\s+TENANT\s+CUSTOMER/m);
    expect(tty.text).toContain("Customer tenants:");
    expect(tty.err).toBe("");
  });

  it("--renew re-mints the refresh token and moves the stored rotation time", async () => {
    const before = (await readProfile(store, "default"))!;
    await travel(40);
    const { report, exit } = await status({ json: true, renew: true, graph: false });
    expect(report.renew?.persisted).toBe(true);
    const after = (await readProfile(store, "default"))!;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    const moved =
      Date.parse(after.metadata.refreshTokenRotatedAt!) - Date.parse(before.metadata.refreshTokenRotatedAt!);
    expect(moved).toBeGreaterThanOrEqual(40 * DAY_S * 1000 - 120_000);
    expect(report.refreshToken).toMatchObject({ ageDays: 0, daysLeft: 90, state: "ok" });
    expect(exit).toBe(0);
  });

  it("exits 4 (re-consent) once the clocks pass the 90-day inactivity window", async () => {
    await travel(40 + 91);
    const plain = await status({ json: true });
    expect(plain.exit).toBe(4);
    expect(plain.report.refreshToken).toMatchObject({ state: "expired", daysLeft: 0 });
    expect(plain.report.problems.map((p) => p.code)).toContain("SAMKIT_STATUS_REFRESH_TOKEN_STALE");
    // --renew asks the emulator, which refuses the token (AADSTS700082): still exit 4
    const renew = await status({ json: true, renew: true });
    expect(renew.exit).toBe(4);
    expect(renew.report.renew).toBeNull();
    // the identity platform's answer, through the catalogue: AADSTS700082 → re-consent
    const refused = renew.report.problems.find((p) => p.code === "SAMKIT_REFRESH_TOKEN_INACTIVE");
    expect(refused, JSON.stringify(renew.report.problems)).toMatchObject({
      action: "reconsent",
      severity: "error",
    });
    const human = await status();
    expect(human.text).toContain("next step: Run `samkit consent`");
  });

  it("exits 4 for a profile with nothing stored", async () => {
    const home = await mkdtemp(join(tmpdir(), "samkit-status-empty-"));
    try {
      const out = new Sink();
      const report = await runStatusCommand({ json: true }, {}, { ...e.env, SAMKIT_HOME: home }, out);
      expect(report.configured).toBe(false);
      expect(report.problems[0]?.code).toBe("SAMKIT_STATUS_NOT_CONFIGURED");
      expect(process.exitCode).toBe(4);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
