import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EncryptedFileStore } from "../../src/store/file/file-store.js";
import { HEADER_LENGTH, decryptStoreFile, encryptStoreFile } from "../../src/store/file/format.js";
import { errorCode } from "../helpers/errors.js";

let home: string;
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), "samkit-store-"));
  home = path.join(home, "home");
});
afterEach(() => {
  fs.rmSync(path.dirname(home), { recursive: true, force: true });
});

const SECRET = "rt-value-" + randomBytes(16).toString("hex");

describe("EncryptedFileStore", () => {
  it("round-trips secrets case-insensitively with tags, and creates 0700/0600 paths", async () => {
    const store = new EncryptedFileStore({ home });
    expect(await store.get("RefreshToken")).toBeUndefined();
    expect(await store.list()).toEqual([]);
    expect(fs.existsSync(home)).toBe(false); // reads never create anything
    await store.set("RefreshToken", SECRET, { samkitProfile: "default" });
    await store.set("TenantID", "t");
    expect(await store.get("refreshtoken")).toMatchObject({
      name: "RefreshToken",
      value: SECRET,
      tags: { samkitProfile: "default" },
    });
    expect(await store.list()).toEqual(["RefreshToken", "TenantID"]);
    await store.delete("REFRESHTOKEN");
    await store.delete("missing-is-fine");
    expect(await store.list()).toEqual(["TenantID"]);
    expect(fs.statSync(home).mode & 0o777).toBe(0o700);
    expect(fs.statSync(store.path).mode & 0o777).toBe(0o600);
    expect(fs.statSync(store.keyPath).mode & 0o777).toBe(0o600);
    expect(fs.readdirSync(home).sort()).toEqual(["store.enc", "store.key"]);
    // a second instance (another process, in effect) reads the same data
    expect((await new EncryptedFileStore({ home }).get("tenantid"))?.value).toBe("t");
  });

  it("never keeps a secret value in the file's bytes", async () => {
    const store = new EncryptedFileStore({ home });
    await store.set("RefreshToken", SECRET);
    const bytes = fs.readFileSync(store.path);
    expect(bytes.includes(Buffer.from(SECRET))).toBe(false);
    expect(bytes.includes(Buffer.from(SECRET.slice(9, 25)))).toBe(false);
    expect(bytes.includes(Buffer.from("RefreshToken"))).toBe(false);
    expect(bytes.subarray(0, 8).toString("ascii")).toBe("SAMKITST");
  });

  it("uses SAMKIT_STORE_KEY instead of a key file, and rejects a malformed key", async () => {
    const key = randomBytes(32).toString("base64");
    const store = new EncryptedFileStore({ home, storeKey: key });
    expect(store.description).toContain("SAMKIT_STORE_KEY");
    await store.set("A", "1");
    expect(fs.existsSync(store.keyPath)).toBe(false);
    expect(
      (await new EncryptedFileStore({ home, storeKey: key.replace(/\+/g, "-").replace(/\//g, "_") }).get("A"))
        ?.value,
    ).toBe("1");
    expect(
      await errorCode(new EncryptedFileStore({ home, storeKey: randomBytes(16).toString("base64") }).get("A")),
    ).toBe("SAMKIT_STORE_KEY_INVALID");
    expect(await errorCode(new EncryptedFileStore({ home, storeKey: "not base64 !!" }).set("A", "2"))).toBe(
      "SAMKIT_STORE_KEY_INVALID",
    );
  });

  it("distinguishes wrong key, missing key, truncated, tampered and unknown version — and never overwrites", async () => {
    const store = new EncryptedFileStore({ home });
    await store.set("RefreshToken", SECRET);
    const good = fs.readFileSync(store.path);
    const cases: [string, () => void, string][] = [
      [
        "wrong key",
        () => fs.writeFileSync(store.keyPath, randomBytes(32).toString("base64"), { mode: 0o600 }),
        "SAMKIT_STORE_KEY_MISMATCH",
      ],
      ["missing key", () => fs.rmSync(store.keyPath), "SAMKIT_STORE_KEY_MISSING"],
      [
        "truncated",
        () => fs.writeFileSync(store.path, good.subarray(0, good.length - 5)),
        "SAMKIT_STORE_FILE_TRUNCATED",
      ],
      [
        "header only",
        () => fs.writeFileSync(store.path, good.subarray(0, 20)),
        "SAMKIT_STORE_FILE_TRUNCATED",
      ],
      ["empty", () => fs.writeFileSync(store.path, Buffer.alloc(0)), "SAMKIT_STORE_FILE_TRUNCATED"],
      [
        "flipped ciphertext bit",
        () => {
          const b = Buffer.from(good);
          b[HEADER_LENGTH + 3]! ^= 1;
          fs.writeFileSync(store.path, b);
        },
        "SAMKIT_STORE_FILE_TAMPERED",
      ],
      [
        "flipped nonce bit",
        () => {
          const b = Buffer.from(good);
          b[20]! ^= 1;
          fs.writeFileSync(store.path, b);
        },
        "SAMKIT_STORE_FILE_TAMPERED",
      ],
      [
        "trailing bytes",
        () => fs.writeFileSync(store.path, Buffer.concat([good, Buffer.from([0])])),
        "SAMKIT_STORE_FILE_TAMPERED",
      ],
      [
        "not a store",
        () => fs.writeFileSync(store.path, '{"refreshToken":"x"}'),
        "SAMKIT_STORE_FILE_TAMPERED",
      ],
      [
        "unknown version",
        () => {
          const b = Buffer.from(good);
          b[8] = 2;
          fs.writeFileSync(store.path, b);
        },
        "SAMKIT_STORE_VERSION_UNSUPPORTED",
      ],
    ];
    const keyBytes = fs.readFileSync(store.keyPath);
    for (const [label, damage, expected] of cases) {
      fs.writeFileSync(store.path, good);
      fs.writeFileSync(store.keyPath, keyBytes, { mode: 0o600 });
      damage();
      const before = fs.existsSync(store.path) ? fs.readFileSync(store.path) : undefined;
      const fresh = new EncryptedFileStore({ home });
      expect(await errorCode(fresh.get("RefreshToken")), label).toBe(expected);
      expect(await errorCode(fresh.set("RefreshToken", "other-value")), label).toBe(expected);
      expect(await errorCode(fresh.delete("RefreshToken")), label).toBe(expected);
      expect(fs.readFileSync(store.path).equals(before!), `${label}: file unchanged`).toBe(true);
      expect(fs.existsSync(`${store.path}.lock`), `${label}: lock released`).toBe(false);
    }
  });

  it("flipping any header byte is detected (authenticated header)", () => {
    const key = randomBytes(32);
    const file = encryptStoreFile(key, Buffer.from("{}"));
    for (let i = 0; i < HEADER_LENGTH; i++) {
      const b = Buffer.from(file);
      b[i]! ^= 0x40;
      expect(() => decryptStoreFile(key, b, { path: "p", keySource: "k" }), `byte ${i}`).toThrow();
    }
    expect(decryptStoreFile(key, file, { path: "p", keySource: "k" }).toString()).toBe("{}");
  });

  it("refuses a key file others can read", async () => {
    const store = new EncryptedFileStore({ home });
    await store.set("A", "1");
    fs.chmodSync(store.keyPath, 0o644);
    expect(await errorCode(new EncryptedFileStore({ home }).get("A"))).toBe("SAMKIT_STORE_INSECURE_PERMISSIONS");
  });

  it("rejects names Key Vault would reject", async () => {
    const store = new EncryptedFileStore({ home });
    expect(await errorCode(Promise.resolve().then(() => store.set("bad_name", "x")))).toBe(
      "SAMKIT_STORE_INVALID_NAME",
    );
    expect(await errorCode(Promise.resolve().then(() => store.get("a".repeat(128))))).toBe(
      "SAMKIT_STORE_INVALID_NAME",
    );
  });

  it("withLock is re-entrant and serialises callers in one process", async () => {
    const store = new EncryptedFileStore({ home });
    const other = new EncryptedFileStore({ home });
    await store.set("Counter", "0");
    const bump = (s: EncryptedFileStore) =>
      s.withLock(async () => {
        const v = Number((await s.get("Counter"))?.value);
        await new Promise((r) => setTimeout(r, 2));
        await s.set("Counter", String(v + 1));
      });
    await Promise.all(Array.from({ length: 20 }, (_, i) => bump(i % 2 ? store : other)));
    expect((await store.get("Counter"))?.value).toBe("20");
  });

  it("times out waiting for a lock held elsewhere with SAMKIT_STORE_LOCK_TIMEOUT", async () => {
    const store = new EncryptedFileStore({ home, timeoutMs: 300 });
    await store.set("A", "1");
    // a live foreign holder: this process's parent pid
    fs.mkdirSync(`${store.path}.lock`);
    fs.writeFileSync(
      `${store.path}.lock/owner.json`,
      JSON.stringify({ pid: process.ppid, host: os.hostname(), start: null, nonce: "x", acquiredAt: "" }),
    );
    const t0 = Date.now();
    expect(await errorCode(store.set("A", "2"))).toBe("SAMKIT_STORE_LOCK_TIMEOUT");
    expect(Date.now() - t0).toBeLessThan(2000);
    // a dead holder is cleared at once
    fs.writeFileSync(
      `${store.path}.lock/owner.json`,
      JSON.stringify({ pid: 2 ** 22 + 17, host: os.hostname(), start: null, nonce: "y", acquiredAt: "" }),
    );
    await store.set("A", "3");
    expect((await store.get("A"))?.value).toBe("3");
    expect(fs.existsSync(`${store.path}.lock`)).toBe(false);
  });

  it("honours an abort signal", async () => {
    const store = new EncryptedFileStore({ home });
    const ac = new AbortController();
    ac.abort();
    expect(await errorCode(store.get("A", { abortSignal: ac.signal }))).toBe("SAMKIT_STORE_ABORTED");
  });
});
