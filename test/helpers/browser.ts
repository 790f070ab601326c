/**
 * Real-browser tests: Debian's chromium driven by Playwright through the emulator's Entra-style
 * sign-in and MFA pages. Test files skip themselves when {@link CHROMIUM} is not installed.
 */
import { existsSync } from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";

/** Debian's chromium (the tests skip without it). */
export const CHROMIUM = "/usr/bin/chromium";

const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** Headless {@link CHROMIUM} with container-friendly flags (no sandbox, no GPU, no background traffic). */
function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/**
 * A headless chromium ({@link launchChromium}) for the calling test file: launched in `beforeAll`
 * (60 s) when {@link CHROMIUM} is installed, closed in `afterAll`. Read `browser` inside tests.
 */
export function chromiumForFile(): { readonly browser: Browser } {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (existsSync(CHROMIUM)) browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser(): Browser {
      if (browser === undefined) throw new Error(`no browser: ${CHROMIUM} is not installed, or used outside a test`);
      return browser;
    },
  };
}

/** `username`'s current MFA code, read from the control API of the emulator at `emulatorUrl` (asserts 200). */
export async function emulatorMfaCode(emulatorUrl: string, username: string): Promise<string> {
  const r = await fetch(`${emulatorUrl}/_emulator/mfa?username=${encodeURIComponent(username)}`);
  expect(r.status).toBe(200);
  return ((await r.json()) as { code: string }).code;
}

/** Fills the emulator's sign-in page (`username`, `password`) on `page`, then its MFA page with {@link emulatorMfaCode}. */
export async function signInWithMfa(page: Page, emulatorUrl: string, username: string, password: string): Promise<void> {
  await page.fill('input[name="loginfmt"]', username);
  await page.fill('input[name="passwd"]', password);
  await page.click("#idSIButton9");
  await page.waitForSelector('input[name="otc"]');
  await page.fill('input[name="otc"]', await emulatorMfaCode(emulatorUrl, username));
  await page.click("#idSubmit_SAOTCC_Continue");
}
