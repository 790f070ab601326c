/**
 * Secret-store contract (DESIGN.md "Secret store"). Implementations: EncryptedFileStore (embedded
 * default) and KeyVaultStore. Every call takes an optional `abortSignal` and has a timeout;
 * failures are SamkitErrors with `SAMKIT_STORE_*` codes. Stores fail closed: never fall back.
 */
export interface SecretStoreCallOptions {
  readonly abortSignal?: AbortSignal;
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
  /** `undefined` when the secret does not exist. */
  get(name: string, options?: SecretStoreCallOptions): Promise<StoredSecret | undefined>;
  set(name: string, value: string, tags?: Readonly<Record<string, string>>, options?: SecretStoreCallOptions): Promise<void>;
  delete(name: string, options?: SecretStoreCallOptions): Promise<void>;
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
  readonly certificate?: { readonly privateKeyPem: string; readonly certificatePem: string; readonly thumbprintSha256: string };
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
  readonly secretExpiresAt?: string;
  readonly secretKeyId?: string;
}
