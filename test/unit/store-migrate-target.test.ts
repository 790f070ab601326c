/**
 * `copyProfile` (samkit store migrate) and a target it cannot read: the target's own error comes
 * through (e.g. no Azure credentials for the vault); only a profile that is really there asks for
 * --force, with a next step that says so.
 */
import { describe, expect, it } from "vitest";
import { SamkitError } from "../../src/errors/index.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { copyProfile } from "../../src/store/migrate.js";
import { writeProfile } from "../../src/store/profile.js";
import type { PartnerProfile, StoredSecret } from "../../src/store/types.js";

const PROFILE: PartnerProfile = {
  profile: "default",
  cloud: "global",
  tenantId: "0d9a3b6e-5f1c-4b8e-9c2d-7e6f5a4b3c2d",
  clientId: "6513270e-269e-4d37-b2a7-4de452e6b438",
  clientSecret: "s3cret-value-for-tests",
  refreshToken: "rt-value-for-tests",
  metadata: {},
};

/** A vault store without credentials: every read fails as the Key Vault store does. */
class UnauthenticatedStore extends MemoryStore {
  constructor() {
    super("keyvault:https://contoso-sam.vault.azure.net");
  }
  override get(): Promise<StoredSecret | undefined> {
    return Promise.reject(new SamkitError("SAMKIT_STORE_KV_UNAUTHENTICATED", { params: { vault: "https://contoso-sam.vault.azure.net", reason: "no credential is available" } }));
  }
}

async function source(): Promise<MemoryStore> {
  const s = new MemoryStore("file:/tmp/store.enc");
  await writeProfile(s, PROFILE);
  return s;
}

describe("copyProfile target checks", () => {
  it("passes the target's read error through (SAMKIT_STORE_KV_UNAUTHENTICATED, exit 1), not 'already holds profile'", async () => {
    const err = await copyProfile(await source(), new UnauthenticatedStore(), "default").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SamkitError);
    expect((err as SamkitError).code).toBe("SAMKIT_STORE_KV_UNAUTHENTICATED");
    expect((err as SamkitError).exitCode).toBe(1);
    expect((err as SamkitError).message).not.toMatch(/already holds/);
  });

  it("an unreadable target stays an error even with --force (nothing is written blind)", async () => {
    const err = await copyProfile(await source(), new UnauthenticatedStore(), "default", { overwrite: true }).catch((e: unknown) => e);
    expect((err as SamkitError).code).toBe("SAMKIT_STORE_KV_UNAUTHENTICATED");
  });

  it("a target that holds the profile needs --force: SAMKIT_STORE_MIGRATE_TARGET_EXISTS, exit 2, next step names --force", async () => {
    const target = new MemoryStore("keyvault:https://contoso-sam.vault.azure.net");
    await writeProfile(target, { ...PROFILE, refreshToken: "other-refresh-token" });
    const err = await copyProfile(await source(), target, "default").catch((e: unknown) => e);
    expect((err as SamkitError).code).toBe("SAMKIT_STORE_MIGRATE_TARGET_EXISTS");
    expect((err as SamkitError).exitCode).toBe(2);
    expect((err as SamkitError).nextStep).toContain("--force");
    const forced = await copyProfile(await source(), target, "default", { overwrite: true });
    expect(forced.secrets).toContain("RefreshToken");
  });

  it("a damaged profile in the target also needs --force, and --force replaces it", async () => {
    const target = new MemoryStore("keyvault:https://contoso-sam.vault.azure.net");
    await target.set("ApplicationID", PROFILE.clientId); // no TenantID: incomplete
    const err = await copyProfile(await source(), target, "default").catch((e: unknown) => e);
    expect((err as SamkitError).code).toBe("SAMKIT_STORE_MIGRATE_TARGET_EXISTS");
    expect((err as SamkitError).message).toMatch(/incomplete or damaged/);
    await expect(copyProfile(await source(), target, "default", { overwrite: true })).resolves.toBeDefined();
  });
});
