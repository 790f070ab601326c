import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig, saveConfig, updateProfileConfig } from "../../src/config/index.js";
import { isSamkitError } from "../../src/errors/index.js";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "samkit-config-"));
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    return isSamkitError(e) ? e.code : String(e);
  }
}

describe("loadConfig", () => {
  it("uses defaults with no file and no variables", async () => {
    const c = await loadConfig({}, { env: { SAMKIT_HOME: home } });
    expect(c).toMatchObject({
      home,
      configPath: join(home, "config.json"),
      profile: "default",
      cloud: "global",
      store: "file",
      logLevel: "warn",
      rotation: "lenient",
      refreshTokenPersistIntervalSeconds: 86_400,
      emulatorUrl: undefined,
      storeKey: undefined,
    });
    expect(c.sources.cloud).toBe("default");
  });

  it("applies flag > SAMKIT_* > profile section > file > default", async () => {
    writeFileSync(
      join(home, "config.json"),
      JSON.stringify({ cloud: "china", store: "keyvault", vaultUrl: "https://file.vault.azure.net", logLevel: "info", rotationPersistIntervalHours: 2, profiles: { p1: { cloud: "usgov" } } }),
    );
    const env = { SAMKIT_HOME: home, SAMKIT_PROFILE: "p1", SAMKIT_VAULT_URL: "https://env.vault.azure.net", SAMKIT_STORE_KEY: "a2V5" };
    const fromProfile = await loadConfig({}, { env });
    expect(fromProfile.profile).toBe("p1");
    expect(fromProfile.cloud).toBe("usgov");
    expect(fromProfile.sources.cloud).toBe("profile");
    expect(fromProfile.store).toBe("keyvault");
    expect(fromProfile.sources.store).toBe("file");
    expect(fromProfile.vaultUrl).toBe("https://env.vault.azure.net");
    expect(fromProfile.sources.vaultUrl).toBe("env");
    expect(fromProfile.logLevel).toBe("info");
    expect(fromProfile.storeKey).toBe("a2V5");
    expect(fromProfile.refreshTokenPersistIntervalSeconds).toBe(7_200);
    const fromEnv = await loadConfig({}, { env: { ...env, SAMKIT_CLOUD: "AzureChinaCloud" } });
    expect(fromEnv.cloud).toBe("china");
    expect(fromEnv.sources.cloud).toBe("env");
    const fromFlag = await loadConfig({ cloud: "global", profile: "other", logLevel: "debug" }, { env: { ...env, SAMKIT_CLOUD: "china" } });
    expect(fromFlag.cloud).toBe("global");
    expect(fromFlag.profile).toBe("other");
    expect(fromFlag.logLevel).toBe("debug");
  });

  it("names the file in SAMKIT_CONFIG_INVALID", async () => {
    writeFileSync(join(home, "config.json"), JSON.stringify({ store: "floppy" }));
    let err: unknown;
    try {
      await loadConfig({}, { env: { SAMKIT_HOME: home } });
    } catch (e) {
      err = e;
    }
    expect(isSamkitError(err, "SAMKIT_CONFIG_INVALID")).toBe(true);
    expect((err as Error).message).toContain(join(home, "config.json"));
    writeFileSync(join(home, "config.json"), "{ not json");
    expect(await codeOf(loadConfig({}, { env: { SAMKIT_HOME: home } }))).toBe("SAMKIT_CONFIG_INVALID");
    writeFileSync(join(home, "config.json"), JSON.stringify({ cloud: "germany" }));
    expect(await codeOf(loadConfig({}, { env: { SAMKIT_HOME: home } }))).toBe("SAMKIT_CONFIG_INVALID");
  });

  it("rejects bad flag/variable values with catalogue errors", async () => {
    expect(await codeOf(loadConfig({ cloud: "germany" }, { env: { SAMKIT_HOME: home } }))).toBe("SAMKIT_CLOUD_RETIRED");
    expect(await codeOf(loadConfig({ cloud: "mars" }, { env: { SAMKIT_HOME: home } }))).toBe("SAMKIT_CLOUD_UNKNOWN");
    expect(await codeOf(loadConfig({ cloud: "emulator" }, { env: { SAMKIT_HOME: home } }))).toBe("SAMKIT_CLOUD_EMULATOR_URL_MISSING");
    expect(await codeOf(loadConfig({}, { env: { SAMKIT_HOME: home, SAMKIT_ROTATION: "sometimes" } }))).toBe("SAMKIT_INVALID_INPUT");
    expect(await codeOf(loadConfig({ store: "s3" }, { env: { SAMKIT_HOME: home } }))).toBe("SAMKIT_INVALID_INPUT");
    const emu = await loadConfig({ cloud: "emulator" }, { env: { SAMKIT_HOME: home, SAMKIT_EMULATOR_URL: "http://127.0.0.1:7001" } });
    expect(emu.emulatorUrl).toBe("http://127.0.0.1:7001");
  });
});

describe("saveConfig / updateProfileConfig", () => {
  it("writes atomically with 0600 in a 0700 folder and round-trips", async () => {
    const dir = join(home, "nested");
    await saveConfig(dir, { cloud: "usgov", profiles: { a: { store: "file" } } });
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, "config.json")).mode & 0o777).toBe(0o600);
    await updateProfileConfig(dir, "a", { store: "keyvault", vaultUrl: "https://v.vault.azure.net" });
    const file = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as Record<string, unknown>;
    expect(file).toEqual({ cloud: "usgov", profiles: { a: { store: "keyvault", vaultUrl: "https://v.vault.azure.net" } } });
    const c = await loadConfig({ profile: "a" }, { env: { SAMKIT_HOME: dir } });
    expect(c.store).toBe("keyvault");
  });

  it("refuses to save an invalid file and leaves the old one", async () => {
    await saveConfig(home, { cloud: "usgov" });
    expect(await codeOf(saveConfig(home, { store: "tape" } as never))).toBe("SAMKIT_CONFIG_INVALID");
    expect(JSON.parse(readFileSync(join(home, "config.json"), "utf8"))).toEqual({ cloud: "usgov" });
  });
});
