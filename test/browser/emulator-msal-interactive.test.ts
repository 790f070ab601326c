/**
 * A real browser (Playwright + Debian chromium) through the emulator's sign-in, MFA and consent
 * pages, driven by MSAL Node's `acquireTokenInteractive` (loopback redirect, PKCE S256,
 * `response_mode=form_post`). Also the device-code verification page in the browser.
 */
import { existsSync } from "node:fs";
import { PublicClientApplication, type Configuration } from "@azure/msal-node";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { emulatorAuthorityMetadata, MSAL_EMULATOR_HOST } from "../helpers/msal-emulator.js";
import { emulatorForFile } from "../integration/consent-harness.js";
import { CHROMIUM, chromiumForFile, signInWithMfa } from "../helpers/browser.js";

const HOST = MSAL_EMULATOR_HOST;
const SAM = "sam@samkitpartner.onmicrosoft.com";
const PASSWORD = "Sam-Service-Pa55!";
const PC_SCOPE = "https://api.partnercenter.microsoft.com/user_impersonation";
const GRAPH_DIR = "https://graph.microsoft.com/Directory.AccessAsUser.All";

const emulator = emulatorForFile({ seedCustomers: 3 });
const chromium = chromiumForFile();

function auth(clientId: string): Configuration["auth"] {
  return {
    clientId,
    authority: `https://${HOST}/organizations`,
    knownAuthorities: [HOST],
    authorityMetadata: emulatorAuthorityMetadata(emulator.url, HOST),
  };
}

describe.runIf(existsSync(CHROMIUM))("browser: emulator sign-in pages", () => {
  it("MSAL acquireTokenInteractive through sign-in, MFA and consent (form_post to the loopback)", async () => {
    const samId = emulator.emu.context.world.samAppId;
    const pca = new PublicClientApplication({ auth: auth(samId) });
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    let consentShown: string[] = [];
    let authorizeUrl: URL | undefined;
    const result = await pca.acquireTokenInteractive({
      scopes: [PC_SCOPE, GRAPH_DIR],
      loginHint: SAM,
      openBrowser: async (navigate) => {
        authorizeUrl = new URL(navigate);
        await page.goto(navigate);
        expect(await page.inputValue('input[name="loginfmt"]')).toBe(SAM);
        await signInWithMfa(page, emulator.url, SAM, PASSWORD);
        await page.waitForSelector("#permissions");
        consentShown = await page.locator("#permissions li").allInnerTexts();
        await page.click("#idSIButton9");
      },
      successTemplate: "<p id=done>done</p>",
    });
    expect(authorizeUrl?.searchParams.get("response_mode")).toBe("form_post");
    expect(authorizeUrl?.searchParams.get("code_challenge_method")).toBe("S256");
    expect(consentShown.join("\n")).toContain("Directory.AccessAsUser.All");
    await page.waitForSelector("#done");
    const at = decodeJwt(result.accessToken);
    expect(at).toMatchObject({ aud: "https://api.partnercenter.microsoft.com", amr: ["pwd", "mfa"], upn: SAM, appidacr: "0" });
    expect(result.account?.tenantId).toBe(emulator.emu.context.world.partnerTenantId);
    // Consent was recorded: the Graph grant now carries the new scope.
    expect(emulator.emu.context.world.grant(emulator.emu.context.world.partnerTenantId, samId, "00000003-0000-0000-c000-000000000000")?.scopes).toContain("Directory.AccessAsUser.All");
    await context.close();
  }, 60_000);

  it("cancel on the consent page returns access_denied to the client", async () => {
    const samId = emulator.emu.context.world.samAppId;
    const pca = new PublicClientApplication({ auth: auth(samId) });
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    const p = pca.acquireTokenInteractive({
      scopes: ["https://graph.microsoft.com/User.Read.All"],
      openBrowser: async (navigate) => {
        await page.goto(navigate);
        await signInWithMfa(page, emulator.url, SAM, PASSWORD);
        await page.waitForSelector("#permissions");
        await page.click("#idBtn_Back");
      },
      errorTemplate: "<p id=failed>failed</p>",
    });
    await expect(p).rejects.toMatchObject({ errorCode: "access_denied" });
    await context.close();
  }, 60_000);

  it("device code verification page: enter the code, sign in with MFA, the poll succeeds", async () => {
    const samId = emulator.emu.context.world.samAppId;
    const dc = (await fetch(`${emulator.url}/organizations/oauth2/v2.0/devicecode`, { method: "POST", body: new URLSearchParams({ client_id: samId, scope: `${PC_SCOPE} offline_access` }) }).then((r) => r.json())) as { user_code: string; device_code: string; verification_uri: string };
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    await page.goto(dc.verification_uri);
    await page.fill('input[name="otc"]', dc.user_code);
    await page.click("#idSIButton9");
    await signInWithMfa(page, emulator.url, SAM, PASSWORD);
    await page.waitForSelector("#done");
    expect(await page.textContent("#done")).toContain("You have signed in");
    const t = (await fetch(`${emulator.url}/organizations/oauth2/v2.0/token`, { method: "POST", body: new URLSearchParams({ grant_type: "device_code", client_id: samId, device_code: dc.device_code }) }).then((r) => r.json())) as { access_token: string; refresh_token: string };
    expect(decodeJwt(t.access_token).amr).toEqual(["pwd", "mfa"]);
    expect(t.refresh_token).toBeTruthy();
    await context.close();
  }, 60_000);
});
