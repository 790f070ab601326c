import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isSamkitError } from "../../src/errors/index.js";
import { HEADER_LENGTH, decryptStoreFile, encryptStoreFile } from "../../src/store/file/format.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { assertSecretName, profileSecretNames } from "../../src/store/names.js";
import { readProfile, updateRefreshToken, writeProfile } from "../../src/store/profile.js";
import { validateSecretValue } from "../../src/store/validate.js";

const ctx = { path: "/p/store.enc", keySource: "k" };
const codeOf = (f: () => unknown): string => {
  try {
    f();
    return "ok";
  } catch (e) {
    return isSamkitError(e) ? e.code : `not a SamkitError: ${String(e)}`;
  }
};

describe("store file format (property)", () => {
  const key = randomBytes(32);
  it("decrypt(encrypt(x)) = x for any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        const pt = Buffer.from(bytes);
        expect(decryptStoreFile(key, encryptStoreFile(key, pt), ctx).equals(pt)).toBe(true);
      }),
    );
  });

  it("any flipped bit is refused with a catalogue error, never garbage", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.nat(),
        fc.integer({ min: 0, max: 7 }),
        (bytes, pos, bit) => {
          const file = encryptStoreFile(key, Buffer.from(bytes));
          const i = pos % file.length;
          file[i]! ^= 1 << bit;
          const code = codeOf(() => decryptStoreFile(key, file, ctx));
          expect([
            "SAMKIT_STORE_FILE_TAMPERED",
            "SAMKIT_STORE_VERSION_UNSUPPORTED",
            "SAMKIT_STORE_KEY_MISMATCH",
            "SAMKIT_STORE_FILE_TRUNCATED",
          ]).toContain(code);
          // only a changed length field can make it look truncated
          if (code === "SAMKIT_STORE_FILE_TRUNCATED") expect(i >= 30 && i < HEADER_LENGTH).toBe(true);
        },
      ),
    );
  });

  it("any truncation is SAMKIT_STORE_FILE_TRUNCATED", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.nat(), (bytes, cut) => {
        const file = encryptStoreFile(key, Buffer.from(bytes));
        const n = cut % file.length;
        expect(codeOf(() => decryptStoreFile(key, file.subarray(0, n), ctx))).toBe(
          "SAMKIT_STORE_FILE_TRUNCATED",
        );
      }),
    );
  });

  it("any other key is SAMKIT_STORE_KEY_MISMATCH", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (other) => {
        fc.pre(!Buffer.from(other).equals(key));
        expect(
          codeOf(() => decryptStoreFile(Buffer.from(other), encryptStoreFile(key, Buffer.from("{}")), ctx)),
        ).toBe("SAMKIT_STORE_KEY_MISMATCH");
      }),
    );
  });
});

describe("value validation (property)", () => {
  it("never echoes the value in its error", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 12, maxLength: 200 }),
        fc.constantFrom<"refresh token" | "client ID" | "tenant ID" | "client secret">(
          "refresh token",
          "client ID",
          "tenant ID",
          "client secret",
        ),
        (value, kind) => {
          try {
            validateSecretValue("contoso-RefreshToken", kind, value);
          } catch (e) {
            expect(isSamkitError(e, "SAMKIT_STORE_SECRET_INVALID")).toBe(true);
            const text = `${(e as Error).message} ${(e as { nextStep: string }).nextStep}`;
            expect(text).toContain("contoso-RefreshToken");
            const core = value.trim();
            if (core.length >= 12) expect(text.includes(core)).toBe(false);
          }
        },
      ),
    );
  });

  it("accepts any token of the allowed alphabet, with stray surrounding whitespace trimmed", () => {
    const tokenChar = fc.constantFrom(..."ABCabc0189-._~+/=*!$&()".split(""));
    fc.assert(
      fc.property(
        fc.string({ unit: tokenChar, minLength: 16, maxLength: 300 }),
        fc.constantFrom("", "\n", "\r\n", "  ", "\uFEFF"),
        (token, pad) => {
          expect(validateSecretValue("RefreshToken", "refresh token", `${pad}${token}${pad}`)).toBe(token);
        },
      ),
    );
  });

  it("every valid profile name yields valid Key Vault secret names", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/), (profile) => {
        for (const name of Object.values(profileSecretNames(profile))) assertSecretName(name);
      }),
    );
  });
});

describe("rotation rule (property)", () => {
  it("whatever the order of updates, the stored token is the one minted last", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 25 }),
        async (minutes) => {
          const store = new MemoryStore();
          await writeProfile(store, {
            profile: "default",
            cloud: "global",
            tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
            clientId: "11111111-2222-3333-4444-555555555555",
            refreshToken: "initial-token-000000",
            metadata: { refreshTokenRotatedAt: new Date(Date.UTC(2026, 0, 1)).toISOString() },
          });
          const at = (m: number) => new Date(Date.UTC(2026, 0, 1) + m * 60_000).toISOString();
          await Promise.all(
            minutes.map((m) => updateRefreshToken(store, "default", `token-at-minute-${m}`, at(m))),
          );
          const newest = Math.max(...minutes);
          const p = await readProfile(store, "default");
          expect(p?.refreshToken).toBe(`token-at-minute-${newest}`);
          expect(p?.metadata.refreshTokenRotatedAt).toBe(at(newest));
        },
      ),
      { numRuns: 50 },
    );
  });
});
