/**
 * The emulator's device-code verification page shows Entra's consent step for an app that is not
 * consented in the user's tenant (real chromium via Playwright), and records the grant; without
 * it the poll would end in AADSTS65001.
 */
import { existsSync } from "node:fs";
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { emulatorForFile } from "../integration/consent-harness.js";
import { CHROMIUM, chromiumForFile, signInWithMfa } from "../helpers/browser.js";

const PC_SCOPE = "https://api.partnercenter.microsoft.com/user_impersonation";

const emulator = emulatorForFile({ seedCustomers: 1 });
const chromium = chromiumForFile();

describe.runIf(existsSync(CHROMIUM))("browser: device-code consent step", () => {
  it("an unconsented app: the device page asks for consent, accepting records the grant and the poll succeeds", async () => {
    const w = emulator.emu.context.world;
    const samId = w.samAppId;
    w.removeServicePrincipal(w.partnerTenantId, samId); // the app is no longer consented in the partner tenant
    expect(w.isConsented(w.partnerTenantId, samId)).toBe(false);
    const dc = (await fetch(`${emulator.url}/organizations/oauth2/v2.0/devicecode`, { method: "POST", body: new URLSearchParams({ client_id: samId, scope: `${PC_SCOPE} offline_access` }) }).then((r) => r.json())) as { user_code: string; device_code: string; verification_uri: string };
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    await page.goto(dc.verification_uri);
    await page.fill('input[name="otc"]', dc.user_code);
    await page.click("#idSIButton9");
    await signInWithMfa(page, emulator.url, w.adminUpn, w.userByUpn(w.adminUpn)!.password);
    await page.waitForSelector("#permissions");
    expect((await page.locator("#permissions li").allInnerTexts()).join("\n")).toContain("user_impersonation");
    await page.click("#idSIButton9");
    await page.waitForSelector("#done");
    const t = (await fetch(`${emulator.url}/organizations/oauth2/v2.0/token`, { method: "POST", body: new URLSearchParams({ grant_type: "device_code", client_id: samId, device_code: dc.device_code }) }).then((r) => r.json())) as { access_token?: string; error_codes?: number[] };
    expect(t.error_codes).toBeUndefined();
    expect(decodeJwt(t.access_token!).aud).toBe("https://api.partnercenter.microsoft.com");
    expect(w.isConsented(w.partnerTenantId, samId)).toBe(true);
    expect(w.grant(w.partnerTenantId, samId, "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd")?.scopes).toContain("user_impersonation");
    await context.close();
  }, 90_000);
});
