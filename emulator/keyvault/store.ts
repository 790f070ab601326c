/**
 * The emulated vault's state: secrets with versions, soft-deleted secrets, purge — no HTTP here.
 * Optional persistence to one JSON file (atomic write, 0600) so a vault survives restarts.
 *
 * Behaviour follows the Key Vault REST reference (soft delete is always on, recovery level
 * `Recoverable+Purgeable`, 90 days).
 * @see https://learn.microsoft.com/rest/api/keyvault/secrets/
 * @see https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview
 */
import { randomBytes } from "node:crypto";
import { readFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import writeFileAtomic from "write-file-atomic";
import type { VaultSecretVersion } from "../world-types.js";

/** Days a deleted secret stays recoverable before its scheduled purge. */
export const RECOVERABLE_DAYS = 90;
export const RECOVERY_LEVEL = "Recoverable+Purgeable";

/** Optional attributes a client may set on a version (epoch seconds). */
export interface VersionLimits {
  notBefore?: number | undefined;
  expires?: number | undefined;
}

/** One stored version plus the limits Key Vault keeps with it. */
export interface StoredVersion extends VaultSecretVersion, VersionLimits {}

/** A secret name's history; `versions` in creation order (last = latest). */
export interface StoredSecret {
  /** The name as first created (Key Vault names are case-insensitive but keep their casing). */
  name: string;
  versions: StoredVersion[];
}

/** A soft-deleted secret, recoverable until `scheduledPurgeDate` (epoch seconds). */
export interface DeletedSecret extends StoredSecret {
  deletedDate: number;
  scheduledPurgeDate: number;
}

/** Outcome codes of store operations; the HTTP layer maps them to Key Vault errors. */
export type VaultFailure = "not-found" | "deleted-but-recoverable" | "not-deleted";

export class VaultStoreError extends Error {
  override readonly name = "VaultStoreError";
  constructor(readonly failure: VaultFailure, message: string) {
    super(message);
  }
}

interface PersistedVault {
  format: "samkit-emulator-keyvault/1";
  secrets: StoredSecret[];
  deleted: DeletedSecret[];
}

export interface VaultStoreOptions {
  /** Current time in epoch **seconds** (the emulator clock). */
  now: () => number;
  /**
   * Map holding the live secrets (lower-case name → versions, oldest first); pass
   * `world.vaultSecrets` so the world shows the vault. Default: a private map.
   */
  live?: Map<string, VaultSecretVersion[]> | undefined;
  /** Folder for `keyvault.json`; absent = memory only. */
  dataDir?: string | undefined;
}

/** Key Vault secret name rule: 1–127 characters of `0-9a-zA-Z-`. */
export const SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;

export class VaultStore {
  private readonly live: Map<string, StoredVersion[]>;
  private readonly deleted = new Map<string, DeletedSecret>();
  private readonly file: string | undefined;

  constructor(private readonly options: VaultStoreOptions) {
    this.live = options.live ?? new Map<string, StoredVersion[]>();
    this.file = options.dataDir === undefined ? undefined : join(options.dataDir, "keyvault.json");
    this.load();
  }

  /** Adds a new version (creating the secret); fails while the name is soft-deleted. */
  async set(
    name: string,
    input: { value: string; contentType?: string | null; tags?: Record<string, string>; enabled?: boolean } & VersionLimits,
  ): Promise<StoredVersion> {
    const key = name.toLowerCase();
    this.purgeExpired();
    if (this.deleted.has(key)) {
      throw new VaultStoreError(
        "deleted-but-recoverable",
        `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
      );
    }
    const now = this.options.now();
    const existing = this.live.get(key);
    const version: StoredVersion = {
      name: existing?.[0]?.name ?? name,
      version: randomBytes(16).toString("hex"),
      value: input.value,
      contentType: input.contentType ?? null,
      tags: { ...(input.tags ?? {}) },
      enabled: input.enabled ?? true,
      created: now,
      updated: now,
      notBefore: input.notBefore,
      expires: input.expires,
    };
    if (existing) existing.push(version);
    else this.live.set(key, [version]);
    await this.save();
    return version;
  }

  /** The latest version, or the given one. Throws `not-found`. */
  get(name: string, version?: string): StoredVersion {
    const versions = this.live.get(name.toLowerCase());
    const found =
      version === undefined || version === ""
        ? versions?.at(-1)
        : versions?.find((v) => v.version === version.toLowerCase());
    if (found === undefined) {
      throw new VaultStoreError(
        "not-found",
        version ? `A secret with (name/id) ${name}/${version} was not found in this key vault.` : `A secret with (name/id) ${name} was not found in this key vault.`,
      );
    }
    return found;
  }

  /** Updates the attributes of one version (PATCH). */
  async update(
    name: string,
    version: string | undefined,
    patch: { contentType?: string | null; tags?: Record<string, string>; enabled?: boolean } & VersionLimits,
  ): Promise<StoredVersion> {
    const current = this.get(name, version);
    const next: StoredVersion = {
      ...current,
      contentType: patch.contentType === undefined ? current.contentType : patch.contentType,
      tags: patch.tags === undefined ? current.tags : { ...patch.tags },
      enabled: patch.enabled ?? current.enabled,
      notBefore: patch.notBefore ?? current.notBefore,
      expires: patch.expires ?? current.expires,
      updated: this.options.now(),
    };
    const versions = this.live.get(name.toLowerCase());
    const at = versions?.findIndex((v) => v.version === current.version) ?? -1;
    if (versions && at >= 0) versions[at] = next;
    await this.save();
    return next;
  }

  /** Latest version of every live secret, in name order. */
  list(): StoredVersion[] {
    return [...this.live.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, versions]) => versions.at(-1))
      .filter((v): v is StoredVersion => v !== undefined);
  }

  /** Every version of one secret, oldest first. Throws `not-found`. */
  versions(name: string): StoredVersion[] {
    const versions = this.live.get(name.toLowerCase());
    if (!versions) throw new VaultStoreError("not-found", `A secret with (name/id) ${name} was not found in this key vault.`);
    return [...versions];
  }

  /** Soft-deletes all versions. Throws `not-found`. */
  async delete(name: string): Promise<DeletedSecret> {
    const key = name.toLowerCase();
    const versions = this.live.get(key);
    if (!versions?.[0]) throw new VaultStoreError("not-found", `A secret with (name/id) ${name} was not found in this key vault.`);
    const now = this.options.now();
    const deleted: DeletedSecret = {
      name: versions[0].name,
      versions,
      deletedDate: now,
      scheduledPurgeDate: now + RECOVERABLE_DAYS * 86_400,
    };
    this.live.delete(key);
    this.deleted.set(key, deleted);
    await this.save();
    return deleted;
  }

  /** A soft-deleted secret. Throws `not-found`. */
  getDeleted(name: string): DeletedSecret {
    this.purgeExpired();
    const found = this.deleted.get(name.toLowerCase());
    if (!found) throw new VaultStoreError("not-found", `Deleted Secret not found: ${name}`);
    return found;
  }

  /** Soft-deleted secrets, in name order. */
  listDeleted(): DeletedSecret[] {
    this.purgeExpired();
    return [...this.deleted.values()].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
  }

  /** Permanently removes a soft-deleted secret. Throws `not-found`. */
  async purge(name: string): Promise<void> {
    this.getDeleted(name);
    this.deleted.delete(name.toLowerCase());
    await this.save();
  }

  /** Restores a soft-deleted secret with all its versions. Throws `not-found`. */
  async recover(name: string): Promise<StoredVersion> {
    const found = this.getDeleted(name);
    const key = name.toLowerCase();
    this.deleted.delete(key);
    this.live.set(key, found.versions);
    await this.save();
    return this.get(name);
  }

  /** Forgets everything (memory and data file). */
  async clear(): Promise<void> {
    this.live.clear();
    this.deleted.clear();
    await this.save();
  }

  private purgeExpired(): void {
    const now = this.options.now();
    for (const [key, d] of this.deleted) if (d.scheduledPurgeDate <= now) this.deleted.delete(key);
  }

  private load(): void {
    if (this.file === undefined) return;
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
      throw err;
    }
    const data = JSON.parse(text) as PersistedVault;
    if (data.format !== "samkit-emulator-keyvault/1") throw new Error(`${this.file}: not a samkit emulator vault file`);
    for (const s of data.secrets) this.live.set(s.name.toLowerCase(), s.versions);
    for (const d of data.deleted) this.deleted.set(d.name.toLowerCase(), d);
  }

  private async save(): Promise<void> {
    if (this.file === undefined || this.options.dataDir === undefined) return;
    mkdirSync(this.options.dataDir, { recursive: true, mode: 0o700 });
    const data: PersistedVault = {
      format: "samkit-emulator-keyvault/1",
      secrets: [...this.live.values()]
        .filter((versions) => versions[0] !== undefined)
        .map((versions) => ({ name: versions[0]!.name, versions })),
      deleted: [...this.deleted.values()],
    };
    await writeFileAtomic(this.file, JSON.stringify(data), { mode: 0o600 });
  }
}
