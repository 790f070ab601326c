/**
 * A real `samkit consent --no-browser` run (child process) while Playwright drives Debian chromium
 * through the emulator's sign-in, MFA and consent pages at the URL the CLI printed; the redirect
 * lands on samkit's loopback receiver. Afterwards the store holds a refresh token that redeems.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SEEDED_PASSWORDS } from "../../emulator/world.js";
import { emulatorCloud } from "../../src/cloud/index.js";
import { createHttpClient } from "../../src/http/index.js";
import { redeemRefreshToken, signInMethods } from "../../src/oauth/index.js";
import { emulatorForFile, runCli, startCli, storedProfile } from "../integration/consent-harness.js";
import { CHROMIUM, chromiumForFile, signInWithMfa } from "../helpers/browser.js";

const emulator = emulatorForFile();
const chromium = chromiumForFile();

describe.skipIf(!existsSync(CHROMIUM))("samkit consent in a real browser", () => {
  it("signs in with MFA, consents, lands on the loopback page, and stores a refresh token that redeems", async () => {
    const h = await emulator.home();
    const w = emulator.emu.context.world;
    const use = await runCli(["app", "use", "--client-id", w.samAppId, "--tenant", w.partnerTenantId, "--client-secret-stdin"], h.env, { stdin: w.samAppSecret });
    expect(use.code, use.stderr).toBe(0);

    // An extra Graph scope that is not granted yet makes the emulator show its consent page.
    const run = startCli(["consent", "--no-browser", "--json", "--scope", "https://graph.microsoft.com/User.Read.All"], h.env, { timeoutMs: 90_000 });
    const [, href] = await run.waitForStderr(/(http:\/\/127\.0\.0\.1:\d+\/\S+\/oauth2\/v2\.0\/authorize\?\S+)/);
    const authorize = new URL(href!);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("state")).toBeTruthy();
    expect(authorize.searchParams.get("nonce")).toBeTruthy();
    expect(authorize.searchParams.get("redirect_uri")).toMatch(/^http:\/\/localhost:\d+$/);

    const context = await chromium.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(href!);
      await signInWithMfa(page, emulator.url, w.serviceAccountUpn, SEEDED_PASSWORDS.service);
      await page.waitForSelector("form#consent");
      expect(await page.textContent("#permissions")).toContain("User.Read.All");
      await page.click("form#consent #idSIButton9");
      await page.waitForSelector("#samkit-result");
      expect(await page.getAttribute("#samkit-result", "data-ok")).toBe("true");
      expect(new URL(page.url()).hostname).toBe("localhost");
    } finally {
      await context.close();
    }

    const r = await run.done;
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { mfa: boolean; method: string; tenantId: string; user: string };
    expect(result).toMatchObject({ mfa: true, method: "browser", tenantId: w.partnerTenantId });
    expect(result.user.toLowerCase()).toBe(w.serviceAccountUpn);

    const p = await storedProfile(h.env);
    expect(p?.refreshToken).toBeTruthy();
    expect(p?.metadata.mfaAtConsent).toBe(true);
    const t = await redeemRefreshToken(
      { cloud: emulatorCloud(emulator.emu.cloud), tenant: p!.tenantId, client: { clientId: p!.clientId, clientSecret: p!.clientSecret! }, http: createHttpClient() },
      p!.refreshToken!,
      ["https://api.partnercenter.microsoft.com/.default"],
    );
    expect(signInMethods(t.accessToken).amr).toContain("mfa");
  }, 120_000);
});
