import type { TokenCredential } from "@azure/core-auth";
import type { SecretClient, SecretClientOptions } from "@azure/keyvault-secrets";
import { SamkitError } from "../../errors/index.js";
import { DEFAULT_VAULT_TIMEOUT_MS, withDeadline } from "../deadline.js";
import { LocalMutex } from "../local-mutex.js";
import { PART_TAG, TAGS, assertSecretName } from "../names.js";
import type {
  SecretStore,
  SecretStoreCallOptions,
  SecretStoreDeleteOptions,
  StoredSecret,
} from "../types.js";
import { isSecretNotFound, mapVaultError } from "./errors.js";

/** How to reach an emulated vault (docs/storage.md §4 "Emulator"). Never used for real clouds. */
export interface VaultEmulatorOptions {
  /** PEM of the CA that signed the emulator's HTTPS certificate (its `caCertPath`). */
  readonly ca?: string | Buffer | undefined;
}

/** Options of {@link KeyVaultStore}. */
export interface KeyVaultStoreOptions {
  /** The vault's origin, e.g. `https://contoso-sam.vault.azure.net` (no path). */
  readonly vaultUrl: string;
  /**
   * Credential for `https://vault.azure.net/.default`. Default: `DefaultAzureCredential` from
   * `@azure/identity`, imported on first use.
   */
  readonly credential?: TokenCredential | undefined;
  /**
   * Set for the emulator cloud: disables the challenge-resource check, allows `http://`, trusts
   * `ca`. @see facts/sdk-interop.md §3
   */
  readonly emulator?: VaultEmulatorOptions | boolean | undefined;
  /** Per-call timeout in milliseconds (token, HTTP and SDK retries). Default 30 000. */
  readonly timeoutMs?: number;
  /** Test seam: use this client instead of building one. */
  readonly client?: SecretClient;
}

/**
 * Checks and normalises a vault URL: an `https` origin (or `http` for the emulator), no path,
 * query or credentials. The SDK parses secret IDs as `{origin}/secrets/{name}/{version}`, so a
 * path prefix cannot work (facts/sdk-interop.md "Key Vault URL must be an origin root").
 * @throws SamkitError `SAMKIT_STORE_VAULT_URL_MISSING`, `SAMKIT_STORE_VAULT_URL_INVALID`
 */
export function normaliseVaultUrl(raw: string | undefined, allowHttp = false): string {
  if (raw === undefined || raw.trim() === "") throw new SamkitError("SAMKIT_STORE_VAULT_URL_MISSING");
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new SamkitError("SAMKIT_STORE_VAULT_URL_INVALID", {
      params: { url: raw.slice(0, 200), reason: "it is not a URL" },
    });
  }
  const bad = (reason: string) =>
    new SamkitError("SAMKIT_STORE_VAULT_URL_INVALID", { params: { url: u.origin, reason } });
  if (u.protocol !== "https:" && !(allowHttp && u.protocol === "http:"))
    throw bad("it must start with https://");
  if (u.username !== "" || u.password !== "") throw bad("it must not contain credentials");
  if ((u.pathname !== "/" && u.pathname !== "") || u.search !== "" || u.hash !== "")
    throw bad("it must be the vault's origin, without a path");
  return u.origin;
}

function contentTypeFor(tags: Readonly<Record<string, string>>): string {
  const part = tags[TAGS.part];
  return part === PART_TAG.profile || part === PART_TAG.certificate ? "application/json" : "text/plain";
}

/**
 * A {@link SecretStore} on Azure Key Vault (docs/storage.md §4), through the official
 * `@azure/keyvault-secrets` client (imported on first use). Names are case-insensitive (the
 * service's rule). `withLock` is in-process only: Key Vault has no conditional writes.
 * @see https://learn.microsoft.com/azure/key-vault/secrets/about-secrets
 */
export class KeyVaultStore implements SecretStore {
  readonly kind = "keyvault" as const;
  readonly description: string;
  readonly vaultUrl: string;
  readonly #credential: TokenCredential | undefined;
  readonly #emulator: VaultEmulatorOptions | undefined;
  readonly #timeoutMs: number;
  readonly #mutex = new LocalMutex();
  #client: Promise<SecretClient> | undefined;

  constructor(options: KeyVaultStoreOptions) {
    this.#emulator =
      options.emulator === true ? {} : options.emulator === false ? undefined : options.emulator;
    this.vaultUrl = normaliseVaultUrl(options.vaultUrl, this.#emulator !== undefined);
    this.#credential = options.credential;
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_VAULT_TIMEOUT_MS;
    if (options.client) this.#client = Promise.resolve(options.client);
    this.description = `keyvault:${this.vaultUrl}`;
  }

  /**
   * @returns `undefined` when the secret does not exist (404 `SecretNotFound`)
   * @throws SamkitError `SAMKIT_STORE_KV_*`, `SAMKIT_STORE_TIMEOUT`, `SAMKIT_STORE_INVALID_NAME`
   */
  async get(name: string, options: SecretStoreCallOptions = {}): Promise<StoredSecret | undefined> {
    assertSecretName(name);
    return this.#call("read", name, options, async (client, abortSignal) => {
      try {
        const s = await client.getSecret(name, { abortSignal });
        return {
          name: s.name,
          value: s.value ?? "",
          tags: { ...(s.properties.tags ?? {}) },
          updatedOn: (s.properties.updatedOn ?? s.properties.createdOn)?.getTime() ?? 0,
        };
      } catch (e) {
        if (isSecretNotFound(e)) return undefined;
        throw e;
      }
    });
  }

  /**
   * Creates a new version of the secret with these tags and a content type (`application/json`
   * for samkit's metadata and certificate parts, else `text/plain`).
   * @throws SamkitError as {@link get}; `SAMKIT_STORE_KV_SOFT_DELETED` when the name is soft-deleted
   */
  async set(
    name: string,
    value: string,
    tags: Readonly<Record<string, string>> = {},
    options: SecretStoreCallOptions = {},
  ): Promise<void> {
    assertSecretName(name);
    await this.#call("write", name, options, async (client, abortSignal) => {
      await client.setSecret(name, value, {
        tags: { ...tags },
        contentType: contentTypeFor(tags),
        abortSignal,
      });
    });
  }

  /**
   * Deletes the secret and waits until the deletion completes; with `purge`, also purges it.
   * A missing secret is not an error.
   * @throws SamkitError as {@link get}
   */
  async delete(name: string, options: SecretStoreDeleteOptions = {}): Promise<void> {
    assertSecretName(name);
    await this.#call("delete", name, options, async (client, abortSignal) => {
      try {
        const poller = await client.beginDeleteSecret(name, { abortSignal, intervalInMs: 200 });
        await poller.pollUntilDone({ abortSignal });
      } catch (e) {
        if (!isSecretNotFound(e)) throw e;
        if (!options.purge) return;
      }
      if (options.purge) {
        try {
          await client.purgeDeletedSecret(name, { abortSignal });
        } catch (e) {
          if (!isSecretNotFound(e)) throw e;
        }
      }
    });
  }

  /** Names of the vault's secrets (not the ones Key Vault manages for certificates), sorted. */
  async list(options: SecretStoreCallOptions = {}): Promise<string[]> {
    return this.#call("list", "*", options, async (client, abortSignal) => {
      const names: string[] = [];
      for await (const p of client.listPropertiesOfSecrets({ abortSignal })) {
        if (p.managed) continue;
        names.push(p.name);
      }
      return names.sort();
    });
  }

  /**
   * Runs `fn` holding this process's lock on the vault. There is no cross-machine lock: see the
   * race documented in docs/storage.md §2.
   */
  withLock<T>(fn: () => Promise<T>, options: SecretStoreCallOptions = {}): Promise<T> {
    return this.#mutex.run(fn, { signal: options.abortSignal });
  }

  async #call<T>(
    operation: string,
    name: string,
    options: SecretStoreCallOptions,
    fn: (client: SecretClient, signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return withDeadline(
      {
        operation: `${operation} ${name}`,
        store: this.description,
        timeoutMs: this.#timeoutMs,
        abortSignal: options.abortSignal,
      },
      async (signal) => {
        try {
          return await fn(await this.#getClient(), signal);
        } catch (e) {
          throw mapVaultError(e, { vault: this.vaultUrl, operation, name });
        }
      },
    );
  }

  #getClient(): Promise<SecretClient> {
    this.#client ??= this.#buildClient();
    return this.#client;
  }

  async #buildClient(): Promise<SecretClient> {
    const { SecretClient } = await import("@azure/keyvault-secrets");
    let credential = this.#credential;
    if (credential === undefined) {
      const { DefaultAzureCredential } = await import("@azure/identity");
      credential = new DefaultAzureCredential();
    }
    const options: SecretClientOptions & { tlsOptions?: { ca?: string | Buffer } } = {
      retryOptions: { maxRetries: 3 },
      userAgentOptions: { userAgentPrefix: "samkit" },
    };
    if (this.#emulator !== undefined) {
      options.disableChallengeResourceVerification = true;
      if (this.vaultUrl.startsWith("http:")) options.allowInsecureConnection = true;
      if (this.#emulator.ca !== undefined) options.tlsOptions = { ca: this.#emulator.ca };
    }
    return new SecretClient(this.vaultUrl, credential, options);
  }
}
