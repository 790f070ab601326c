/**
 * Secret-store contract (DESIGN.md "Secret store"). Implementations: EncryptedFileStore (embedded
 * default) and KeyVaultStore. Every call takes an optional `abortSignal` and has a timeout;
 * failures are SamkitErrors with `SAMKIT_STORE_*` codes. Stores fail closed: never fall back.
 */
export interface SecretStoreCallOptions {
  readonly abortSignal?: AbortSignal;
}

/** Options of {@link SecretStore.delete}. */
export interface SecretStoreDeleteOptions extends SecretStoreCallOptions {
  /**
   * Key Vault only: after deleting, purge the soft-deleted secret so its name can be reused at
   * once (needs the purge permission). Ignored by the file store, which deletes outright.
   */
  readonly purge?: boolean;
}

/** A secret value plus the non-secret metadata kept beside it. */
export interface StoredSecret {
  readonly name: string;
  readonly value: string;
  /** Non-secret tags (Key Vault tags / file-store metadata). */
  readonly tags: Readonly<Record<string, string>>;
  /** Last update, epoch milliseconds. */
  readonly updatedOn: number;
}

export interface SecretStore {
  /** Which store answered, for `samkit status` (e.g. `file:/home/u/.config/samkit/store.enc`, `keyvault:https://v.vault.azure.net`). */
  readonly description: string;
  /** Which implementation this is (`file`, `keyvault`, or `memory` for tests). Added by issue 5. */
  readonly kind?: "file" | "keyvault" | "memory";
  /** `undefined` when the secret does not exist. */
  get(name: string, options?: SecretStoreCallOptions): Promise<StoredSecret | undefined>;
  set(
    name: string,
    value: string,
    tags?: Readonly<Record<string, string>>,
    options?: SecretStoreCallOptions,
  ): Promise<void>;
  /** Deleting a missing secret is not an error. */
  delete(name: string, options?: SecretStoreDeleteOptions): Promise<void>;
  /** Names only, never values. */
  list(options?: SecretStoreCallOptions): Promise<string[]>;
  /**
   * Run `fn` while holding the store's cross-process lock (read-modify-write; strict rotation,
   * CONTRACTS §3). Key Vault stores lock locally only (documented race across machines).
   */
  withLock<T>(fn: () => Promise<T>, options?: SecretStoreCallOptions): Promise<T>;
}

/**
 * One partner profile as samkit stores it (docs/storage.md). Secret parts are separate secrets so
 * Key Vaults filled by other SAM tools (`ApplicationID`, `ApplicationSecret`, `TenantID`,
 * `RefreshToken`) work as they are.
 */
export interface PartnerProfile {
  readonly profile: string;
  readonly cloud: string;
  readonly tenantId: string;
  readonly clientId: string;
  /** Client secret value, if the app uses one. */
  readonly clientSecret?: string;
  /** PEM private key + certificate, if the app uses a certificate (`private_key_jwt`). */
  readonly certificate?: {
    readonly privateKeyPem: string;
    readonly certificatePem: string;
    readonly thumbprintSha256: string;
  };
  readonly refreshToken?: string;
  readonly metadata: ProfileMetadata;
}

/** Non-secret facts about the profile, shown by `samkit status`. Times are ISO 8601 strings. */
export interface ProfileMetadata {
  readonly consentedAt?: string;
  readonly consentedBy?: string;
  readonly mfaAtConsent?: boolean;
  /** When the stored refresh token was minted by a redemption (rotation time, CONTRACTS §3). */
  readonly refreshTokenRotatedAt?: string;
  /** When the stored refresh token was last written to the store (its secret's update time). Added by issue 5. */
  readonly refreshTokenPersistedAt?: string;
  readonly secretExpiresAt?: string;
  readonly secretKeyId?: string;
}
