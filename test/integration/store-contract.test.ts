/**
 * One contract suite for every SecretStore: EncryptedFileStore on a temp folder, and KeyVaultStore
 * with Microsoft's own @azure/keyvault-secrets client against the emulator's Key Vault over HTTPS.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorServer } from "../../emulator/server.js";
import { EmulatorTestCredential } from "../../emulator/test-credential.js";
import { EncryptedFileStore } from "../../src/store/file/file-store.js";
import { KeyVaultStore } from "../../src/store/keyvault/keyvault-store.js";
import {
  deleteProfile,
  listProfiles,
  readProfile,
  updateRefreshToken,
  writeProfile,
} from "../../src/store/profile.js";
import type { SecretStore } from "../../src/store/types.js";
import { errorCode } from "../helpers/errors.js";

interface Harness {
  make(): Promise<SecretStore>;
  teardown(): Promise<void>;
  /** Proof the store really talked to its backend: request lines seen, when there is one. */
  seen?(): string[];
}

function fileHarness(): Harness {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "samkit-contract-"));
  let n = 0;
  return {
    make: () => Promise.resolve(new EncryptedFileStore({ home: path.join(root, String(n++)) })),
    teardown: () => Promise.resolve(fs.rmSync(root, { recursive: true, force: true })),
  };
}

function vaultHarness(): Harness {
  let emu: EmulatorServer | undefined;
  let credential: EmulatorTestCredential | undefined;
  let ca: string | undefined;
  let url = "";
  return {
    async make() {
      if (!emu) {
        emu = new EmulatorServer({ tls: true, seedCustomers: 2 });
        const cloud = await emu.start();
        expect(cloud.keyVaultUrl.startsWith("https://")).toBe(true);
        ca = fs.readFileSync(cloud.caCertPath!, "utf8");
        credential = await EmulatorTestCredential.forEmulator(cloud);
        url = cloud.keyVaultUrl;
      }
      emu.reset();
      return new KeyVaultStore({ vaultUrl: url, credential, emulator: { ca } });
    },
    seen() {
      return (emu?.takeRequests("keyvault") ?? []).map((r) => `${r.method} ${r.path}`);
    },
    async teardown() {
      await credential?.close();
      await emu?.stop();
    },
  };
}

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT = "11111111-2222-3333-4444-555555555555";

for (const [label, harness] of [
  ["EncryptedFileStore", fileHarness()],
  ["KeyVaultStore (emulator, HTTPS, @azure/keyvault-secrets)", vaultHarness()],
] as const) {
  describe(`SecretStore contract: ${label}`, () => {
    let store: SecretStore;
    beforeAll(async () => {
      store = await harness.make();
    });
    afterAll(() => harness.teardown());

    it("get of a missing secret is undefined; set/get round-trips value and tags", async () => {
      store = await harness.make();
      expect(await store.get("Missing")).toBeUndefined();
      const v = `value-${randomBytes(8).toString("hex")}`;
      await store.set("RefreshToken", v, { samkitProfile: "default", samkitPart: "refresh-token" });
      const s = await store.get("RefreshToken");
      expect(s).toMatchObject({ value: v, tags: { samkitProfile: "default", samkitPart: "refresh-token" } });
      expect(s!.name.toLowerCase()).toBe("refreshtoken");
      expect(Math.abs(s!.updatedOn - Date.now())).toBeLessThan(60_000);
      if (harness.seen)
        expect(harness.seen()).toEqual(
          expect.arrayContaining(["PUT /secrets/RefreshToken", "GET /secrets/RefreshToken/"]),
        );
    });

    it("names are case-insensitive", async () => {
      store = await harness.make();
      await store.set("ApplicationID", "a");
      expect((await store.get("applicationid"))?.value).toBe("a");
      await store.set("APPLICATIONID", "b");
      expect((await store.get("ApplicationId"))?.value).toBe("b");
      expect((await store.list()).filter((n) => n.toLowerCase() === "applicationid")).toHaveLength(1);
    });

    it("set replaces value and tags; list returns names only; delete is idempotent", async () => {
      store = await harness.make();
      await store.set("A-one", "1", { t: "x" });
      await store.set("A-one", "2", { u: "y" });
      expect(await store.get("A-one")).toMatchObject({ value: "2", tags: { u: "y" } });
      expect((await store.get("A-one"))!.tags).not.toHaveProperty("t");
      await store.set("B-two", "3");
      expect((await store.list()).sort()).toEqual(["A-one", "B-two"]);
      await store.delete("A-one");
      await store.delete("A-one");
      await store.delete("never-existed");
      expect(await store.get("A-one")).toBeUndefined();
      expect(await store.list()).toEqual(["B-two"]);
    });

    it("rejects names that are not Key Vault names before any I/O", async () => {
      store = await harness.make();
      for (const bad of ["a_b", "a.b", "", "x".repeat(128), "spaces here"]) {
        expect(await errorCode(Promise.resolve().then(() => store.get(bad)))).toBe("SAMKIT_STORE_INVALID_NAME");
        expect(await errorCode(Promise.resolve().then(() => store.set(bad, "v")))).toBe(
          "SAMKIT_STORE_INVALID_NAME",
        );
      }
    });

    it("keeps values exactly (unicode, JSON, long values)", async () => {
      store = await harness.make();
      const values = [
        "ü∂ß漢字🙂",
        JSON.stringify({ a: [1, 2], b: '\n\t"' }),
        "x".repeat(20_000),
        " padded \n",
      ];
      for (const [i, v] of values.entries()) {
        await store.set(`V${i}`, v);
        expect((await store.get(`V${i}`))?.value).toBe(v);
      }
    });

    it("withLock serialises read-modify-write in one process and is re-entrant", async () => {
      store = await harness.make();
      await store.set("Counter", "0");
      await Promise.all(
        Array.from({ length: 8 }, () =>
          store.withLock(async () => {
            const n = Number((await store.get("Counter"))?.value);
            await store.withLock(() => store.set("Counter", String(n + 1)));
          }),
        ),
      );
      expect((await store.get("Counter"))?.value).toBe("8");
    });

    it("honours an aborted signal", async () => {
      store = await harness.make();
      const ac = new AbortController();
      ac.abort();
      expect(await errorCode(store.get("X", { abortSignal: ac.signal }))).toBe("SAMKIT_STORE_ABORTED");
    });

    it("profile layer: write, read back, rotate, list, delete", async () => {
      store = await harness.make();
      const rt = `0.AXoA-${randomBytes(24).toString("base64url")}`;
      await writeProfile(store, {
        profile: "contoso",
        cloud: "emulator",
        tenantId: TENANT,
        clientId: CLIENT,
        clientSecret: "app~secret.value_1",
        refreshToken: rt,
        metadata: {
          consentedAt: "2026-11-01T00:00:00.000Z",
          mfaAtConsent: true,
          refreshTokenRotatedAt: "2026-11-01T00:00:00.000Z",
        },
      });
      await store.set("ApplicationID", CLIENT); // a foreign, unprefixed profile beside it
      await store.set("TenantID", TENANT);
      const p = await readProfile(store, "contoso");
      expect(p).toMatchObject({
        cloud: "emulator",
        tenantId: TENANT,
        clientId: CLIENT,
        refreshToken: rt,
        metadata: { mfaAtConsent: true, refreshTokenRotatedAt: "2026-11-01T00:00:00.000Z" },
      });
      expect(
        await updateRefreshToken(store, "contoso", "older-token-0000000000", "2026-10-01T00:00:00.000Z"),
      ).toBe(false);
      expect(
        await updateRefreshToken(store, "contoso", "newer-token-1111111111", "2026-11-02T00:00:00.000Z"),
      ).toBe(true);
      expect((await readProfile(store, "contoso"))?.refreshToken).toBe("newer-token-1111111111");
      expect(await listProfiles(store)).toEqual([
        { profile: "contoso", secretPrefix: "contoso-", origin: "samkit" },
        { profile: "default", secretPrefix: "", origin: "foreign" },
      ]);
      expect((await deleteProfile(store, "contoso", { purge: true })).length).toBe(5);
      expect(await readProfile(store, "contoso")).toBeUndefined();
      expect(await store.list()).toEqual(["ApplicationID", "TenantID"]);
      // purged names can be written again at once
      await store.set("contoso-RefreshToken", "again-token-22222222");
      expect((await store.get("contoso-RefreshToken"))?.value).toBe("again-token-22222222");
    });
  });
}
