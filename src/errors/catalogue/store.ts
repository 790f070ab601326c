import type { CatalogueEntry } from "../types.js";

/**
 * Secret-store errors (src/store, `samkit store`, `samkit profile`). Layout and file format:
 * docs/storage.md. Messages name secrets and files, never secret values.
 */
export const storeErrors = {
  SAMKIT_STORE_INVALID_NAME: {
    message: "{detail}",
    nextStep: "Use letters, digits and dashes only (Key Vault secret name rules), at most 127 characters.",
    action: "fix-input",
  },
  SAMKIT_STORE_INVALID_PROFILE_NAME: {
    message: "Profile name {profile} is not valid: use 1-32 lower-case letters, digits and inner dashes.",
    nextStep: "Pick a name like `default` or `contoso` (pass --profile or set SAMKIT_PROFILE).",
    action: "fix-input",
  },
  SAMKIT_STORE_UNKNOWN_KIND: {
    message: "Unknown secret store {kind}: samkit supports `file` and `keyvault`.",
    nextStep: "Set SAMKIT_STORE (or config `store`) to `file` or `keyvault`.",
    action: "fix-input",
  },
  SAMKIT_STORE_SECRET_INVALID: {
    message: "The stored secret {name} is not a valid {what}: {reason}.",
    nextStep:
      "Rewrite {name} with the exact value (no quotes, no line breaks), or run `samkit consent` to store a fresh one.",
    action: "fix-input",
    exitCode: 1,
  },
  SAMKIT_STORE_PROFILE_INCOMPLETE: {
    message: "Profile {profile} in {store} is incomplete: secret {name} is missing.",
    nextStep:
      "Store {name} (for example with `samkit app create` or `samkit consent`), or delete the profile with `samkit profile delete {profile}`.",
    action: "fix-input",
    exitCode: 1,
  },
  SAMKIT_STORE_PROFILE_NOT_FOUND: {
    message: "Profile {profile} does not exist in {store}.",
    nextStep: "Run `samkit profile list` to see the stored profiles.",
    action: "fix-input",
  },
  SAMKIT_STORE_METADATA_INVALID: {
    message: "The profile metadata secret {name} is not valid samkit JSON: {reason}.",
    nextStep: "Delete {name} (samkit rewrites it at the next `samkit consent`), or restore it from a backup.",
    action: "none",
  },
  SAMKIT_STORE_TIMEOUT: {
    message: "The secret store {store} did not answer within {timeoutMs} ms ({operation}).",
    nextStep:
      "Check the store is reachable (disk, network, vault) and retry; raise the store timeout if it is slow.",
    action: "retry-later",
  },
  SAMKIT_STORE_ABORTED: {
    message: "The secret store call was cancelled ({operation}).",
    nextStep: "Run the command again.",
    action: "none",
  },
  SAMKIT_STORE_IO: {
    message: "samkit could not {operation} {path}: {reason}.",
    nextStep: "Check the folder exists, is yours and has free space (SAMKIT_HOME), then retry.",
    action: "none",
  },
  SAMKIT_STORE_INSECURE_PERMISSIONS: {
    message: "{path} can be read by other users (mode {mode}); samkit will not use it.",
    nextStep: "Run `chmod 600 {path}` (and `chmod 700` on its folder), then retry.",
    action: "fix-input",
    exitCode: 1,
  },
  SAMKIT_STORE_KEY_INVALID: {
    message: "The store key from {source} is not valid: it must be base64 of exactly 32 bytes.",
    nextStep:
      "Set SAMKIT_STORE_KEY to the output of `openssl rand -base64 32` that encrypted this store, or unset it to use the key file.",
    action: "fix-input",
    exitCode: 1,
  },
  SAMKIT_STORE_KEY_MISSING: {
    message:
      "The store file {path} exists but its key is missing (no SAMKIT_STORE_KEY and no key file {keyPath}).",
    nextStep:
      "Restore the key file or set SAMKIT_STORE_KEY to the key that encrypted it; samkit will not create a new key over existing data.",
    action: "fix-input",
    exitCode: 1,
  },
  SAMKIT_STORE_KEY_MISMATCH: {
    message: "The store file {path} was encrypted with a different key than {source}.",
    nextStep:
      "Use the key that encrypted this store (SAMKIT_STORE_KEY or the key file beside it); the file was not changed.",
    action: "fix-input",
    exitCode: 1,
  },
  SAMKIT_STORE_FILE_TRUNCATED: {
    message: "The store file {path} is truncated ({size} bytes); samkit will not read or overwrite it.",
    nextStep:
      "Restore {path} from a backup, or move it away, then `samkit app use` (existing app) or `samkit app create`, then `samkit consent` to store the profile again.",
    action: "none",
  },
  SAMKIT_STORE_FILE_TAMPERED: {
    message:
      "The store file {path} failed its integrity check ({reason}); samkit will not read or overwrite it.",
    nextStep:
      "Restore {path} from a backup, or move it away, then `samkit app use` (existing app) or `samkit app create`, then `samkit consent` to store the profile again.",
    action: "none",
  },
  SAMKIT_STORE_VERSION_UNSUPPORTED: {
    message: "The store file {path} has format version {version}, which this samkit does not know.",
    nextStep: "Upgrade samkit to the version that wrote this file; the file was not changed.",
    action: "none",
  },
  SAMKIT_STORE_LOCK_TIMEOUT: {
    message: "Another samkit process held the store lock {path} for more than {timeoutMs} ms.",
    nextStep: "Wait for the other samkit command to finish and retry; if none is running, remove {path}.",
    action: "retry-later",
  },
  SAMKIT_STORE_LOCK_LOST: {
    message: "samkit lost the store lock {path} while holding it; the pending write was not made.",
    nextStep: "Retry the command; make sure no other tool removes files under SAMKIT_HOME.",
    action: "retry-later",
  },
  SAMKIT_STORE_VAULT_URL_MISSING: {
    message: "The Key Vault store needs a vault URL.",
    nextStep: "Pass --vault-url https://<vault>.vault.azure.net (or set SAMKIT_VAULT_URL).",
    action: "fix-input",
  },
  SAMKIT_STORE_VAULT_URL_INVALID: {
    message: "The vault URL {url} is not valid: {reason}.",
    nextStep: "Pass the vault's origin, for example https://<vault>.vault.azure.net (no path).",
    action: "fix-input",
  },
  SAMKIT_STORE_KV_UNAUTHENTICATED: {
    message: "samkit could not get a token for Key Vault {vault}: {reason}.",
    nextStep:
      "Sign in with `az login` (or set AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET, or use a managed identity), then retry.",
    action: "none",
  },
  SAMKIT_STORE_KV_FORBIDDEN: {
    message: "Key Vault {vault} refused the {operation} of secret {name} (403 Forbidden).",
    nextStep:
      'Grant the signed-in identity the "Key Vault Secrets Officer" role on the vault (or an access policy with get, list, set, delete), then retry.',
    action: "none",
  },
  SAMKIT_STORE_KV_VAULT_NOT_FOUND: {
    message: "Key Vault {vault} could not be reached: {reason}.",
    nextStep: "Check the vault URL (--vault-url / SAMKIT_VAULT_URL), the cloud, and your network or proxy.",
    action: "fix-input",
    exitCode: 1,
  },
  SAMKIT_STORE_KV_SOFT_DELETED: {
    message:
      "Secret {name} in Key Vault {vault} is deleted but still recoverable (soft delete), so it cannot be written.",
    nextStep:
      "Recover it (`az keyvault secret recover --vault-name <vault> --name {name}`) or purge it (`az keyvault secret purge …`), then retry.",
    action: "none",
  },
  SAMKIT_STORE_KV_THROTTLED: {
    message: "Key Vault {vault} is throttling requests (429).",
    nextStep: "Wait {retryAfterSeconds} s and retry; reduce parallel samkit runs against the vault.",
    action: "retry-later",
  },
  SAMKIT_STORE_KV_UNAVAILABLE: {
    message: "Key Vault {vault} failed the {operation} of {name}: {reason}.",
    nextStep: "Retry later; check https://status.azure.com and your network or proxy.",
    action: "retry-later",
  },
  SAMKIT_STORE_MIGRATE_SAME_STORE: {
    message: "The profile already lives in the {kind} store{where}.",
    nextStep: "Pass --to with the other store (`file` or `keyvault`).",
    action: "fix-input",
  },
  SAMKIT_STORE_MIGRATE_TARGET_EXISTS: {
    message: "{store} already holds profile {profile}{state}.",
    nextStep: "Pass --force to overwrite it with the copy from {from}, or migrate another --profile.",
    action: "fix-input",
  },
  SAMKIT_STORE_MIGRATE_VERIFY_FAILED: {
    message:
      "The copy of profile {profile} in {store} did not read back the same ({name} differs); the configuration was not changed.",
    nextStep: "Check the target store (`samkit status`) and run `samkit store migrate` again.",
    action: "none",
  },
} as const satisfies Record<string, CatalogueEntry>;
