/** Secret stores and the profile layer (docs/storage.md). */
export type {
  SecretStore,
  SecretStoreCallOptions,
  SecretStoreDeleteOptions,
  StoredSecret,
  PartnerProfile,
  ProfileMetadata,
} from "./types.js";
export {
  readProfile,
  writeProfile,
  updateRefreshToken,
  deleteProfile,
  listProfiles,
  storedRotationMs,
  PROFILE_METADATA_FORMAT,
  type ProfileOptions,
  type WriteProfileOptions,
  type ProfileListEntry,
} from "./profile.js";
export {
  SECRET_PARTS,
  TAGS,
  DEFAULT_PROFILE,
  profileSecretNames,
  profilePrefix,
  assertProfileName,
  assertSecretName,
  type SecretPart,
  type ProfileSecretNames,
} from "./names.js";
export { trimSecret, isUnsetValue, validateSecretValue, type SecretKind } from "./validate.js";
export { MemoryStore } from "./memory-store.js";
export { EncryptedFileStore, type EncryptedFileStoreOptions } from "./file/file-store.js";
export {
  encryptStoreFile,
  decryptStoreFile,
  FORMAT_VERSION as STORE_FILE_FORMAT_VERSION,
} from "./file/format.js";
export {
  KeyVaultStore,
  normaliseVaultUrl,
  type KeyVaultStoreOptions,
  type VaultEmulatorOptions,
} from "./keyvault/keyvault-store.js";
export { openStore, type OpenStoreOptions, type StoreKind } from "./open-store.js";
export { copyProfile, type CopyProfileOptions, type CopyProfileResult } from "./migrate.js";
