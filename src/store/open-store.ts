import { readFile } from "node:fs/promises";
import type { TokenCredential } from "@azure/core-auth";
import { SamkitError } from "../errors/index.js";
import { EncryptedFileStore } from "./file/file-store.js";
import { decodeKey } from "./file/key.js";
import type { SecretStore } from "./types.js";

/** The store kinds samkit supports (`SAMKIT_STORE`, config `store`). */
export type StoreKind = "file" | "keyvault";

/**
 * Options of {@link openStore}: the store part of samkit's configuration (CONTRACTS §6), already
 * resolved by precedence (flag > `SAMKIT_*` > config.json > default).
 */
export interface OpenStoreOptions {
  /** `file` (default) or `keyvault`; any other value is `SAMKIT_STORE_UNKNOWN_KIND`. */
  readonly kind?: string | undefined;
  /** `$SAMKIT_HOME`: the folder of `store.enc` and `store.key`. Required for the file store. */
  readonly home?: string | undefined;
  /** `SAMKIT_STORE_KEY`: base64 of 32 bytes; replaces the key file. */
  readonly storeKey?: string | undefined;
  /** `--vault-url` / `SAMKIT_VAULT_URL`: the vault origin. Required for `keyvault`. */
  readonly vaultUrl?: string | undefined;
  /** Credential for Key Vault; default `DefaultAzureCredential` (lazy import of `@azure/identity`). */
  readonly credential?: TokenCredential | undefined;
  /**
   * The selected cloud. `emulator` turns on the emulator client options of docs/storage.md §4 and
   * points the default credential at `authorityHost`.
   */
  readonly cloud?: string | undefined;
  /** Emulator only: identity origin for the default credential (the cloud JSON's `authorityHost`). */
  readonly authorityHost?: string | undefined;
  /** Emulator only: the CA file of an HTTPS emulator (the cloud JSON's `caCertPath`). */
  readonly caCertPath?: string | null | undefined;
  /** Per-call timeout in milliseconds. Defaults: file 10 000, Key Vault 30 000. */
  readonly timeoutMs?: number | undefined;
}

/**
 * Opens the configured secret store. Fails closed: a bad kind, vault URL or key is the store's
 * own catalogue error, never a fall-back to another store. The Key Vault module and SDK are
 * imported only when `kind` is `keyvault`. Opening does no I/O for the file store; the file's
 * integrity is checked on first read.
 * @throws SamkitError `SAMKIT_STORE_UNKNOWN_KIND`, `SAMKIT_STORE_KEY_INVALID`, `SAMKIT_STORE_VAULT_URL_MISSING`,
 *   `SAMKIT_STORE_VAULT_URL_INVALID`, `SAMKIT_STORE_IO` (unreadable emulator CA file), `SAMKIT_INVALID_INPUT` (no home)
 */
export async function openStore(options: OpenStoreOptions): Promise<SecretStore> {
  const kind = options.kind === undefined || options.kind === "" ? "file" : options.kind.toLowerCase();
  const timeout = options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {};
  if (kind === "file") {
    if (options.home === undefined || options.home === "") {
      throw new SamkitError("SAMKIT_INVALID_INPUT", {
        params: { detail: "The file store needs SAMKIT_HOME (the samkit configuration folder)." },
      });
    }
    if (options.storeKey !== undefined && options.storeKey !== "")
      decodeKey(options.storeKey, "SAMKIT_STORE_KEY");
    return new EncryptedFileStore({ home: options.home, storeKey: options.storeKey, ...timeout });
  }
  if (kind === "keyvault") {
    const emulator = options.cloud === "emulator";
    let ca: string | undefined;
    if (emulator && options.caCertPath) {
      try {
        ca = await readFile(options.caCertPath, "utf8");
      } catch (e) {
        throw new SamkitError("SAMKIT_STORE_IO", {
          params: {
            operation: "read",
            path: options.caCertPath,
            reason: (e as NodeJS.ErrnoException).code ?? "error",
          },
          cause: e,
        });
      }
    }
    const { KeyVaultStore, normaliseVaultUrl } = await import("./keyvault/keyvault-store.js");
    normaliseVaultUrl(options.vaultUrl, emulator);
    let credential = options.credential;
    if (credential === undefined && emulator) {
      // The emulator's identity is not a real authority: point DefaultAzureCredential (its
      // AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET path) at it and trust its CA.
      const { DefaultAzureCredential } = await import("@azure/identity");
      credential = new DefaultAzureCredential({
        ...(options.authorityHost ? { authorityHost: options.authorityHost } : {}),
        disableInstanceDiscovery: true,
        ...(ca !== undefined ? { tlsOptions: { ca } } : {}),
      });
    }
    return new KeyVaultStore({
      vaultUrl: options.vaultUrl ?? "",
      credential,
      emulator: emulator ? { ca } : undefined,
      ...timeout,
    });
  }
  throw new SamkitError("SAMKIT_STORE_UNKNOWN_KIND", { params: { kind: JSON.stringify(kind.slice(0, 40)) } });
}
