import { describe, expect, it } from "vitest";
import { isSamkitError } from "../../src/errors/index.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { profileSecretNames } from "../../src/store/names.js";
import {
  deleteProfile,
  listProfiles,
  readProfile,
  updateRefreshToken,
  writeProfile,
} from "../../src/store/profile.js";
import type { PartnerProfile } from "../../src/store/types.js";

const TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const CLIENT = "11111111-2222-3333-4444-555555555555";
const RT = "0.AXoA-refresh_token.value~with.allowed-chars";

function profile(name = "default", extra: Partial<PartnerProfile> = {}): PartnerProfile {
  return {
    profile: name,
    cloud: "global",
    tenantId: TENANT,
    clientId: CLIENT,
    clientSecret: "s3cr3t~value.with_chars",
    refreshToken: RT,
    metadata: {
      consentedAt: "2026-11-01T00:00:00.000Z",
      consentedBy: "admin@contoso.onmicrosoft.com",
      mfaAtConsent: true,
      refreshTokenRotatedAt: "2026-11-01T00:00:00.000Z",
    },
    ...extra,
  };
}

async function expectCode(p: Promise<unknown>, code: string): Promise<Error> {
  try {
    await p;
  } catch (e) {
    expect(isSamkitError(e) ? e.code : e).toBe(code);
    return e as Error;
  }
  throw new Error(`expected ${code}`);
}

describe("secret names", () => {
  it("uses the names existing SAM Key Vaults use, with a per-profile prefix", () => {
    expect(profileSecretNames("default")).toMatchObject({
      clientId: "ApplicationID",
      clientSecret: "ApplicationSecret",
      tenantId: "TenantID",
      refreshToken: "RefreshToken",
    });
    expect(profileSecretNames("contoso").refreshToken).toBe("contoso-RefreshToken");
    expect(profileSecretNames("contoso", "").refreshToken).toBe("RefreshToken");
    expect(profileSecretNames("default", "Prod-").tenantId).toBe("Prod-TenantID");
  });
  it("rejects bad profile names and prefixes", () => {
    for (const bad of ["", "Upper", "-x", "x-", "a_b", "a".repeat(33)]) {
      expect(() => profileSecretNames(bad)).toThrow(/not valid/);
    }
    expect(() => profileSecretNames("x", "bad_prefix")).toThrow(/not valid/);
  });
});

describe("profile layer", () => {
  it("round-trips a profile and reports rotation metadata from the token's tag", async () => {
    const store = new MemoryStore();
    await writeProfile(store, profile("contoso"));
    expect((await store.list()).sort()).toEqual(
      [
        "contoso-ApplicationID",
        "contoso-ApplicationSecret",
        "contoso-RefreshToken",
        "contoso-SamkitProfile",
        "contoso-TenantID",
      ].sort(),
    );
    const p = await readProfile(store, "contoso");
    expect(p).toMatchObject({
      profile: "contoso",
      cloud: "global",
      tenantId: TENANT,
      clientId: CLIENT,
      refreshToken: RT,
      clientSecret: "s3cr3t~value.with_chars",
    });
    expect(p?.metadata.refreshTokenRotatedAt).toBe("2026-11-01T00:00:00.000Z");
    expect(p?.metadata.mfaAtConsent).toBe(true);
    expect(typeof p?.metadata.refreshTokenPersistedAt).toBe("string");
    const rt = await store.get("CONTOSO-refreshtoken");
    expect(rt?.tags).toMatchObject({
      samkitProfile: "contoso",
      samkitPart: "refresh-token",
      samkitRotatedAt: "2026-11-01T00:00:00.000Z",
    });
    expect(await readProfile(store, "other")).toBeUndefined();
  });

  it("reads a vault another SAM tool filled (no metadata, lower-case names, stray whitespace)", async () => {
    const store = new MemoryStore();
    await store.set("applicationid", ` ${CLIENT.toUpperCase()}\n`);
    await store.set("tenantid", TENANT);
    await store.set("applicationsecret", "secret-value\r\n");
    await store.set("refreshtoken", `${RT}\n`);
    const p = await readProfile(store, "default", { defaultCloud: "usgov" });
    expect(p).toMatchObject({
      cloud: "usgov",
      clientId: CLIENT,
      refreshToken: RT,
      clientSecret: "secret-value",
    });
    expect(await listProfiles(store)).toEqual([{ profile: "default", secretPrefix: "", origin: "foreign" }]);
  });

  it("treats deployment-template placeholders as unset", async () => {
    const store = new MemoryStore();
    await store.set("ApplicationID", "LongApplicationId");
    await store.set("TenantID", "tenantId");
    await store.set("RefreshToken", "RefreshToken");
    expect(await readProfile(store, "default")).toBeUndefined();
    await store.set("ApplicationID", CLIENT);
    await store.set("TenantID", TENANT);
    const p = await readProfile(store, "default");
    expect(p?.refreshToken).toBeUndefined();
  });

  it("refuses a refresh token with an inner newline or quotes, naming the secret and not the value", async () => {
    const store = new MemoryStore();
    await writeProfile(store, profile("contoso"));
    for (const [bad, why] of [
      [`"${RT}"`, /wrapped in quotes/],
      [`${RT.slice(0, 10)}\n${RT.slice(10)}`, /line break/],
      [`${RT.slice(0, 10)} ${RT.slice(10)}`, /whitespace/],
      [`${RT}\u00e9`, /non-ASCII/],
    ] as const) {
      await store.set("contoso-RefreshToken", bad);
      const e = await expectCode(readProfile(store, "contoso"), "SAMKIT_STORE_SECRET_INVALID");
      expect(e.message).toContain("contoso-RefreshToken");
      expect(e.message).toMatch(why);
      expect(e.message).not.toContain(RT.slice(0, 10));
    }
  });

  it("refuses a client ID that is not a GUID and reports incomplete profiles", async () => {
    const store = new MemoryStore();
    await store.set("ApplicationID", "not-a-guid");
    await store.set("TenantID", TENANT);
    await expectCode(readProfile(store, "default"), "SAMKIT_STORE_SECRET_INVALID");
    await store.delete("ApplicationID");
    const e = await expectCode(readProfile(store, "default"), "SAMKIT_STORE_PROFILE_INCOMPLETE");
    expect(e.message).toContain("ApplicationID");
  });

  it("never writes a malformed value", async () => {
    const store = new MemoryStore();
    await expectCode(
      writeProfile(store, profile("default", { refreshToken: "abc\ndefghijklmnopqrstuvwxyz" })),
      "SAMKIT_STORE_SECRET_INVALID",
    );
    expect(await store.list()).toEqual([]);
    await expectCode(
      updateRefreshToken(store, "default", '"quoted-token-value-xyz"', "2026-11-02T00:00:00Z"),
      "SAMKIT_STORE_SECRET_INVALID",
    );
    expect(await store.list()).toEqual([]);
  });

  it("updateRefreshToken never writes an older token over a newer one", async () => {
    const store = new MemoryStore();
    await writeProfile(store, profile());
    expect(
      await updateRefreshToken(store, "default", "older-token-aaaaaaaaaaaa", "2026-10-31T23:59:59.999Z"),
    ).toBe(false);
    expect(
      await updateRefreshToken(store, "default", "same-time-token-aaaaaaaa", "2026-11-01T00:00:00.000Z"),
    ).toBe(false);
    expect((await readProfile(store, "default"))?.refreshToken).toBe(RT);
    expect(
      await updateRefreshToken(store, "default", "newer-token-bbbbbbbbbbbb", "2026-11-02T00:00:00.000Z"),
    ).toBe(true);
    const p = await readProfile(store, "default");
    expect(p?.refreshToken).toBe("newer-token-bbbbbbbbbbbb");
    expect(p?.metadata.refreshTokenRotatedAt).toBe("2026-11-02T00:00:00.000Z");
    expect(
      await updateRefreshToken(store, "default", "middle-token-cccccccccc", "2026-11-01T12:00:00.000Z"),
    ).toBe(false);
    expect((await readProfile(store, "default"))?.refreshToken).toBe("newer-token-bbbbbbbbbbbb");
  });

  it("a token without the rotation tag counts as minted at its update time", async () => {
    const store = new MemoryStore();
    await store.set("RefreshToken", RT);
    const updated = (await store.get("RefreshToken"))!.updatedOn;
    expect(
      await updateRefreshToken(
        store,
        "default",
        "older-token-aaaaaaaaaaaa",
        new Date(updated - 1000).toISOString(),
      ),
    ).toBe(false);
    expect(
      await updateRefreshToken(
        store,
        "default",
        "newer-token-aaaaaaaaaaaa",
        new Date(updated + 1000).toISOString(),
      ),
    ).toBe(true);
  });

  it("concurrent updates keep the newest token whatever the order", async () => {
    const store = new MemoryStore();
    await writeProfile(store, profile());
    const times = Array.from({ length: 20 }, (_, i) => i).sort(() => Math.random() - 0.5);
    await Promise.all(
      times.map((i) =>
        updateRefreshToken(
          store,
          "default",
          `token-number-${String(i).padStart(4, "0")}-xxxx`,
          new Date(Date.UTC(2026, 11, 1, 0, i)).toISOString(),
        ),
      ),
    );
    expect((await readProfile(store, "default"))?.refreshToken).toBe("token-number-0019-xxxx");
  });

  it("writeProfile leaves absent parts alone unless replace is set, and merges metadata", async () => {
    const store = new MemoryStore();
    await writeProfile(store, profile());
    const { refreshToken: _rt, clientSecret: _cs, ...rest } = profile();
    await writeProfile(store, { ...rest, metadata: { secretKeyId: "k1" } });
    let p = await readProfile(store, "default");
    expect(p?.refreshToken).toBe(RT);
    expect(p?.metadata).toMatchObject({ consentedBy: "admin@contoso.onmicrosoft.com", secretKeyId: "k1" });
    await writeProfile(store, { ...rest, metadata: { secretKeyId: "k2" } }, { replace: true });
    p = await readProfile(store, "default");
    expect(p?.refreshToken).toBeUndefined();
    expect(p?.clientSecret).toBeUndefined();
    expect(p?.metadata.consentedBy).toBeUndefined();
  });

  it("lists and deletes profiles, touching nothing else", async () => {
    const store = new MemoryStore();
    await writeProfile(store, profile());
    await writeProfile(store, profile("contoso"));
    await writeProfile(store, profile("fabrikam"), { secretPrefix: "Fab-" });
    await store.set("c0ffee00-0000-0000-0000-000000000000", "direct-tenant-refresh-token");
    expect(await listProfiles(store)).toEqual([
      { profile: "contoso", secretPrefix: "contoso-", origin: "samkit" },
      { profile: "default", secretPrefix: "", origin: "samkit" },
      { profile: "fabrikam", secretPrefix: "Fab-", origin: "samkit" },
    ]);
    expect((await deleteProfile(store, "contoso")).sort()).toEqual([
      "contoso-ApplicationID",
      "contoso-ApplicationSecret",
      "contoso-RefreshToken",
      "contoso-SamkitProfile",
      "contoso-TenantID",
    ]);
    expect(await readProfile(store, "contoso")).toBeUndefined();
    expect((await readProfile(store, "default"))?.refreshToken).toBe(RT);
    expect(await store.get("c0ffee00-0000-0000-0000-000000000000")).toBeDefined();
    expect((await listProfiles(store)).map((e) => e.profile)).toEqual(["default", "fabrikam"]);
  });
});
