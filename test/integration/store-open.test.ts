import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Agent, fetch } from "undici";
import { EmulatorServer } from "../../emulator/server.js";
import type { EmulatorCloudInfo } from "../../emulator/context.js";
import { openStore } from "../../src/store/open-store.js";
import { errorCode } from "../helpers/errors.js";

describe("openStore", () => {
  it("opens the file store by default and fails closed on bad configuration", async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), "samkit-open-"));
    try {
      const store = await openStore({ home });
      expect(store.kind).toBe("file");
      await store.set("A", "1");
      expect((await (await openStore({ kind: "FILE", home })).get("A"))?.value).toBe("1");
      expect(await errorCode(openStore({ kind: "keyring", home }))).toBe("SAMKIT_STORE_UNKNOWN_KIND");
      expect(await errorCode(openStore({ home, storeKey: "short" }))).toBe("SAMKIT_STORE_KEY_INVALID");
      expect(await errorCode(openStore({ kind: "file" }))).toBe("SAMKIT_INVALID_INPUT");
      expect(await errorCode(openStore({ kind: "keyvault" }))).toBe("SAMKIT_STORE_VAULT_URL_MISSING");
      expect(await errorCode(openStore({ kind: "keyvault", vaultUrl: "http://v.vault.azure.net" }))).toBe(
        "SAMKIT_STORE_VAULT_URL_INVALID",
      );
      expect(
        await errorCode(openStore({ kind: "keyvault", vaultUrl: "https://v.vault.azure.net/some/path" })),
      ).toBe("SAMKIT_STORE_VAULT_URL_INVALID");
      const kv = await openStore({ kind: "keyvault", vaultUrl: "https://contoso-sam.vault.azure.net/" });
      expect(kv.description).toBe("keyvault:https://contoso-sam.vault.azure.net");
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  describe("keyvault on the emulator cloud with the default credential (AZURE_* client secret)", () => {
    let emu: EmulatorServer;
    let cloud: EmulatorCloudInfo;
    const saved = { ...process.env };
    beforeAll(async () => {
      emu = new EmulatorServer({ tls: true, seedCustomers: 1 });
      cloud = await emu.start();
      const ca = fs.readFileSync(cloud.caCertPath!, "utf8");
      const dispatcher = new Agent({ connect: { ca } });
      const world = (await (
        await fetch(`${cloud.authorityHost}/_emulator/world`, { dispatcher })
      ).json()) as { samApp: { clientId: string; clientSecret: string } };
      await dispatcher.close();
      process.env["AZURE_CLIENT_ID"] = world.samApp.clientId;
      process.env["AZURE_CLIENT_SECRET"] = world.samApp.clientSecret;
      process.env["AZURE_TENANT_ID"] = cloud.partnerTenantId;
    });
    afterAll(async () => {
      for (const k of ["AZURE_CLIENT_ID", "AZURE_CLIENT_SECRET", "AZURE_TENANT_ID"]) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      await emu.stop();
    });

    it("writes and reads a secret", async () => {
      const store = await openStore({
        kind: "keyvault",
        cloud: "emulator",
        vaultUrl: cloud.keyVaultUrl,
        authorityHost: cloud.authorityHost,
        caCertPath: cloud.caCertPath,
      });
      await store.set("TenantID", cloud.partnerTenantId, { samkitPart: "tenant-id" });
      expect((await store.get("tenantid"))?.value).toBe(cloud.partnerTenantId);
    });

    it("without the emulator CA the TLS failure is a store error, not a fall-back", async () => {
      const store = await openStore({
        kind: "keyvault",
        cloud: "emulator",
        vaultUrl: cloud.keyVaultUrl,
        authorityHost: cloud.authorityHost,
        timeoutMs: 15_000,
      });
      const c = await errorCode(store.get("TenantID"));
      expect(c).toBe("SAMKIT_STORE_KV_VAULT_NOT_FOUND");
    });
  });
});
