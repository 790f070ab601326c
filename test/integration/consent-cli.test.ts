/**
 * `samkit consent` end to end against the emulator over real HTTP, the CLI as a child process:
 * device-code consent approved through the control API, then every refusal with its catalogue
 * code and next step. (The browser flow is test/browser/consent-browser.test.ts.)
 */
import { createServer, type Server } from "node:net";
import { describe, expect, it } from "vitest";
import { emulatorCloud } from "../../src/cloud/index.js";
import { createHttpClient } from "../../src/http/index.js";
import { redeemRefreshToken, signInMethods } from "../../src/oauth/index.js";
import { approveDeviceCode, emulatorForFile, runCli, startCli, storedProfile } from "./consent-harness.js";

const emulator = emulatorForFile();

/** A home with the seeded SAM app adopted through `samkit app use` (secret on stdin). */
async function homeWithApp(): Promise<Record<string, string>> {
  const h = await emulator.home();
  const w = emulator.emu.context.world;
  const r = await runCli(["app", "use", "--client-id", w.samAppId, "--tenant", w.partnerTenantId, "--client-secret-stdin", "--json"], h.env, { stdin: `${w.samAppSecret}\n` });
  expect(r.code, r.stderr).toBe(0);
  const body = JSON.parse(r.stdout) as { clientId: string; tenantId: string; missing: string[] };
  expect(body.clientId).toBe(w.samAppId);
  expect(body.tenantId).toBe(w.partnerTenantId);
  return h.env;
}

function expectCatalogue(stderr: string, code: string): void {
  expect(stderr).toContain(`error ${code}:`);
  expect(stderr).toMatch(/next step: \S+/);
  expect(stderr).not.toMatch(/\n\s+at .*\(/); // no stack trace
}

describe("samkit consent --device-code", () => {
  it("stores a refresh token approved with MFA through the control API, and it redeems", async () => {
    const env = await homeWithApp();
    const run = startCli(["consent", "--device-code", "--json"], env);
    const [, userCode] = await run.waitForStderr(/code ([A-Z0-9]{6,}) at /);
    await approveDeviceCode(emulator.url, { userCode: userCode!, username: emulator.emu.context.world.serviceAccountUpn });
    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { mfa: boolean; amr: string[]; tenantId: string; user: string; method: string };
    expect(result.mfa).toBe(true);
    expect(result.amr).toContain("mfa");
    expect(result.method).toBe("device-code");
    expect(result.tenantId).toBe(emulator.emu.context.world.partnerTenantId);
    expect(r.stdout).not.toMatch(/refresh|eyJ/i);

    const p = await storedProfile(env);
    expect(p?.refreshToken).toBeTruthy();
    expect(p?.metadata.mfaAtConsent).toBe(true);
    expect(p?.metadata.consentedBy?.toLowerCase()).toBe(emulator.emu.context.world.serviceAccountUpn);
    const cloud = emulatorCloud(emulator.emu.cloud);
    const http = createHttpClient();
    const t = await redeemRefreshToken(
      { cloud, tenant: p!.tenantId, client: { clientId: p!.clientId, clientSecret: p!.clientSecret! }, http },
      p!.refreshToken!,
      ["https://api.partnercenter.microsoft.com/.default"],
    );
    expect(signInMethods(t.accessToken).mfa).toBe(true);
    expect(t.refreshToken).toBeTruthy();
  }, 90_000);

  it("refuses a sign-in without MFA (exit 4, nothing stored) unless --allow-no-mfa", async () => {
    const env = await homeWithApp();
    const w = emulator.emu.context.world;
    // A partner user with no MFA method: the platform issues the token, samkit's amr check refuses it.
    const run = startCli(["consent", "--device-code"], env);
    const [, userCode] = await run.waitForStderr(/code ([A-Z0-9]{6,}) at /);
    await approveDeviceCode(emulator.url, { userCode: userCode!, username: w.noMfaUpn });
    const r = await run.done;
    expect(r.code).toBe(4);
    expectCatalogue(r.stderr, "SAMKIT_CONSENT_NO_MFA");
    expect(r.stderr).toContain("--allow-no-mfa");
    expect((await storedProfile(env))?.refreshToken).toBeUndefined();

    const run2 = startCli(["consent", "--device-code", "--allow-no-mfa", "--json"], env);
    const [, code2] = await run2.waitForStderr(/code ([A-Z0-9]{6,}) at /);
    await approveDeviceCode(emulator.url, { userCode: code2!, username: w.noMfaUpn });
    const r2 = await run2.done;
    expect(r2.code, r2.stderr).toBe(0);
    expect((JSON.parse(r2.stdout) as { mfa: boolean }).mfa).toBe(false);
    expect(r2.stderr).toContain("warning:");
    const p = await storedProfile(env);
    expect(p?.refreshToken).toBeTruthy();
    expect(p?.metadata.mfaAtConsent).toBe(false);
  }, 90_000);

  it("passes on the platform's own MFA refusal (AADSTS50076) for an MFA user who skipped it", async () => {
    const env = await homeWithApp();
    const run = startCli(["consent", "--device-code"], env);
    const [, userCode] = await run.waitForStderr(/code ([A-Z0-9]{6,}) at /);
    await approveDeviceCode(emulator.url, { userCode: userCode!, username: emulator.emu.context.world.serviceAccountUpn, mfa: false });
    const r = await run.done;
    expect(r.code).toBe(4);
    expectCatalogue(r.stderr, "SAMKIT_MFA_REQUIRED");
    expect((await storedProfile(env))?.refreshToken).toBeUndefined();
  }, 90_000);

  it("refuses a sign-in that lands in another tenant (wrong tid in the id_token)", async () => {
    const env = await homeWithApp();
    const w = emulator.emu.context.world;
    const healthy = w.customerList.find((c) => c.seededState === "healthy")!;
    const customerAdmin = w.usersIn(healthy.tenantId).find((u) => u.userPrincipalName.startsWith("admin@"))!;
    const run = startCli(["consent", "--device-code", "--tenant", "organizations"], env);
    const [, userCode] = await run.waitForStderr(/code ([A-Z0-9]{6,}) at /);
    await approveDeviceCode(emulator.url, { userCode: userCode!, username: customerAdmin.userPrincipalName });
    const r = await run.done;
    expect(r.code).toBe(4);
    expectCatalogue(r.stderr, "SAMKIT_CONSENT_WRONG_TENANT");
    expect(r.stderr).toContain(healthy.tenantId);
    expect(r.stderr).toContain(w.partnerTenantId);
    expect((await storedProfile(env))?.refreshToken).toBeUndefined();
  }, 90_000);

  it("reports a declined device code (authorization_declined, AADSTS70017) as a decline, exit 4", async () => {
    const env = await homeWithApp();
    const run = startCli(["consent", "--device-code"], env);
    const [, userCode] = await run.waitForStderr(/code ([A-Z0-9]{6,}) at /);
    await approveDeviceCode(emulator.url, { userCode: userCode!, decline: true });
    const r = await run.done;
    expect(r.code).toBe(4);
    expectCatalogue(r.stderr, "SAMKIT_CONSENT_DEVICE_CODE_DECLINED");
    expect(r.stderr).not.toContain("SAMKIT_IDENTITY_ERROR");
    expect((await storedProfile(env))?.refreshToken).toBeUndefined();
  }, 90_000);

  it("refuses with a clear message when the app is confidential-only (AADSTS7000218)", async () => {
    const env = await homeWithApp();
    const app = emulator.emu.context.world.application(emulator.emu.context.world.samAppId)!;
    app.isFallbackPublicClient = false;
    try {
      const run = startCli(["consent", "--device-code"], env);
      const [, userCode] = await run.waitForStderr(/code ([A-Z0-9]{6,}) at /).catch(() => [undefined, undefined]);
      if (userCode !== undefined) await approveDeviceCode(emulator.url, { userCode, username: emulator.emu.context.world.serviceAccountUpn }).catch(() => undefined);
      const r = await run.done;
      expect(r.code).toBe(1);
      expectCatalogue(r.stderr, "SAMKIT_CONSENT_DEVICE_CODE_NOT_ALLOWED");
      expect(r.stderr).toContain("without --device-code");
    } finally {
      app.isFallbackPublicClient = true;
    }
  }, 90_000);
});

describe("samkit consent (browser flow refusals)", () => {
  it("times out with the catalogue error", async () => {
    const env = await homeWithApp();
    const r = await runCli(["consent", "--no-browser", "--timeout", "1"], env);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("Open this URL");
    expectCatalogue(r.stderr, "SAMKIT_CONSENT_TIMEOUT");
    expect(r.stderr).toContain("--timeout");
  }, 60_000);

  it("reports a port in use", async () => {
    const env = await homeWithApp();
    const blocker: Server = createServer();
    await new Promise<void>((res) => blocker.listen(0, "127.0.0.1", () => res()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await runCli(["consent", "--no-browser", "--port", String(port)], env);
      expect(r.code).toBe(2);
      expectCatalogue(r.stderr, "SAMKIT_CONSENT_PORT_IN_USE");
      expect(r.stderr).toContain(String(port));
    } finally {
      await new Promise<void>((res) => blocker.close(() => res()));
    }
  }, 60_000);

  it("rejects a redirect whose state does not match", async () => {
    const env = await homeWithApp();
    const run = startCli(["consent", "--no-browser"], env);
    const [, href] = await run.waitForStderr(/(http:\/\/127\.0\.0\.1:\d+\/\S+authorize\S+)/);
    const redirect = new URL(new URL(href!).searchParams.get("redirect_uri")!);
    expect(redirect.hostname).toBe("localhost");
    const res = await fetch(`http://127.0.0.1:${redirect.port}/?code=forged&state=not-the-state`);
    expect(res.status).toBe(400);
    const r = await run.done;
    expect(r.code).toBe(4);
    expectCatalogue(r.stderr, "SAMKIT_CONSENT_STATE_MISMATCH");
  }, 60_000);

  it("reports access_denied when the user cancels on the emulator's sign-in page", async () => {
    const env = await homeWithApp();
    const run = startCli(["consent", "--no-browser"], env);
    const [, href] = await run.waitForStderr(/(http:\/\/127\.0\.0\.1:\d+\/\S+authorize\S+)/);
    const page = await (await fetch(href!)).text();
    const tx = /name="tx" value="([^"]+)"/.exec(page)?.[1];
    const action = /<form method="post" action="([^"]+)" id="signin">/.exec(page)?.[1];
    expect(tx).toBeTruthy();
    const cancel = await fetch(new URL(action!.replace(/&amp;/g, "&"), emulator.url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ tx: tx!, action: "cancel" }),
      redirect: "manual",
    });
    expect(cancel.status).toBe(302);
    const back = new URL(cancel.headers.get("location")!);
    expect(back.searchParams.get("error")).toBe("access_denied");
    await fetch(`http://127.0.0.1:${back.port}/${back.search}`);
    const r = await run.done;
    expect(r.code).toBe(4);
    expectCatalogue(r.stderr, "SAMKIT_CONSENT_DECLINED");
  }, 60_000);

  it("reports a redirect URI the app does not register (AADSTS50011) at once", async () => {
    const env = await homeWithApp();
    const app = emulator.emu.context.world.application(emulator.emu.context.world.samAppId)!;
    const saved = [...app.webRedirectUris];
    app.webRedirectUris = ["https://example.com/callback"];
    try {
      const r = await runCli(["consent", "--no-browser", "--timeout", "20"], env);
      expect(r.code).toBe(1);
      expectCatalogue(r.stderr, "SAMKIT_REDIRECT_URI_NOT_REGISTERED");
      expect(r.stderr).toContain("http://localhost");
    } finally {
      app.webRedirectUris = saved;
    }
  }, 60_000);

  it("needs an app first", async () => {
    const h = await emulator.home();
    const r = await runCli(["consent", "--no-browser"], h.env);
    expect(r.code).toBe(2);
    expectCatalogue(r.stderr, "SAMKIT_CONSENT_NO_APP");
  }, 60_000);

  it("imports a refresh token from stdin after proving it, storing its rotated successor", async () => {
    const env = await homeWithApp();
    const w = emulator.emu.context.world;
    // Mint a refresh token elsewhere (another home), then import it.
    const run = startCli(["consent", "--device-code"], env);
    const [, userCode] = await run.waitForStderr(/code ([A-Z0-9]{6,}) at /);
    await approveDeviceCode(emulator.url, { userCode: userCode!, username: w.serviceAccountUpn });
    expect((await run.done).code).toBe(0);
    const first = (await storedProfile(env))!.refreshToken!;

    const other = await homeWithApp();
    const r = await runCli(["consent", "--refresh-token-stdin", "--json"], other, { stdin: `${first}\n` });
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { method: string; mfa: boolean }).mfa).toBe(true);
    const stored = (await storedProfile(other))!.refreshToken!;
    expect(stored).toBeTruthy();
    expect(stored).not.toBe(first);

    const bad = await runCli(["consent", "--refresh-token-stdin"], other, { stdin: "not-a-refresh-token" });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/error SAMKIT_[A-Z_]+:/);
    expect(bad.stderr).toContain("next step:");
  }, 90_000);
});
