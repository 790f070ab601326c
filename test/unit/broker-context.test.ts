/**
 * The CLI dependency factory (src/cli/context.ts) as the broker sees it: the emulator cloud kept
 * with the profile (no URL, no network), the identity hint trusted only while the store file is
 * unchanged, and fail-fast errors when nothing is kept.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createContext, profileCacheDir } from "../../src/cli/context.js";
import { GLOBAL_CLOUD } from "../../src/cloud/table.js";

let home: string;
const keptCloud = { ...GLOBAL_CLOUD, name: "emulator", displayName: "samkit emulator", authorityHost: "http://127.0.0.1:9" };

function keep(hint: unknown, profile = "default"): void {
  const dir = profileCacheDir(home, profile);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "profile.json"), JSON.stringify(hint));
}

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "samkit-ctx-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe("createContext", () => {
  it("uses the emulator cloud kept with the profile when SAMKIT_EMULATOR_URL is not set", async () => {
    keep({ format: 1, emulator: { url: "http://127.0.0.1:9", cloud: keptCloud } });
    const ctx = createContext({ cloud: "emulator" }, { SAMKIT_HOME: home });
    expect((await ctx.settings()).emulatorUrl).toBe("http://127.0.0.1:9");
    expect((await ctx.cloud()).authorityHost).toBe("http://127.0.0.1:9");
  });

  it("keeps the cloud per profile: another profile without one fails with SAMKIT_CLOUD_EMULATOR_URL_MISSING", async () => {
    keep({ format: 1, emulator: { url: "http://127.0.0.1:9", cloud: keptCloud } }, "other");
    const ctx = createContext({ cloud: "emulator" }, { SAMKIT_HOME: home });
    await expect(ctx.cloud()).rejects.toMatchObject({ code: "SAMKIT_CLOUD_EMULATOR_URL_MISSING" });
    await expect(createContext({ cloud: "emulator", profile: "other" }, { SAMKIT_HOME: home }).cloud()).resolves.toMatchObject({ name: "emulator" });
  });

  it("takes the broker identity from the hint without opening the store, only while the store file is unchanged", async () => {
    writeFileSync(join(home, "store.enc"), "not a store"); // would fail to decrypt if read
    const { statSync } = await import("node:fs");
    const st = statSync(join(home, "store.enc"));
    keep({ format: 1, clientId: "33333333-3333-4333-8333-333333333333", tenantId: "11111111-1111-4111-8111-111111111111", storeStamp: `${st.size}:${st.mtimeMs}` });
    const ctx = createContext({ cloud: "global" }, { SAMKIT_HOME: home });
    const broker = await ctx.broker();
    expect(await broker.identity()).toEqual({ clientId: "33333333-3333-4333-8333-333333333333", tenantId: "11111111-1111-4111-8111-111111111111" });
    // A changed store file invalidates the hint: the broker then reads the store (and fails closed here).
    writeFileSync(join(home, "store.enc"), "changed, still not a store");
    const ctx2 = createContext({ cloud: "global" }, { SAMKIT_HOME: home });
    await expect((await ctx2.broker()).identity()).rejects.toMatchObject({ name: "SamkitError" });
  });

  it("rejects an unknown rotation policy as bad input", async () => {
    await expect(createContext({ rotation: "sometimes" }, { SAMKIT_HOME: home }).settings()).rejects.toMatchObject({ code: "SAMKIT_INVALID_INPUT" });
  });
});
