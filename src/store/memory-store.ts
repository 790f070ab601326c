import { nowMs } from "../clock.js";
import { LocalMutex } from "./local-mutex.js";
import { assertSecretName, canonicalName } from "./names.js";
import type { SecretStore, SecretStoreCallOptions, SecretStoreDeleteOptions, StoredSecret } from "./types.js";

/**
 * An in-memory {@link SecretStore} for tests and dry runs: same name rules (Key Vault names,
 * case-insensitive) and semantics as the real stores, no persistence. `withLock` serialises
 * callers in this process and is re-entrant.
 */
export class MemoryStore implements SecretStore {
  readonly kind = "memory" as const;
  readonly description: string;
  readonly #secrets = new Map<string, StoredSecret>();
  readonly #mutex = new LocalMutex();

  constructor(description = "memory") {
    this.description = description;
  }

  get(name: string, _options?: SecretStoreCallOptions): Promise<StoredSecret | undefined> {
    assertSecretName(name);
    const s = this.#secrets.get(canonicalName(name));
    return Promise.resolve(s === undefined ? undefined : { ...s, tags: { ...s.tags } });
  }

  set(
    name: string,
    value: string,
    tags: Readonly<Record<string, string>> = {},
    _options?: SecretStoreCallOptions,
  ): Promise<void> {
    assertSecretName(name);
    this.#secrets.set(canonicalName(name), { name, value, tags: { ...tags }, updatedOn: nowMs() });
    return Promise.resolve();
  }

  delete(name: string, _options?: SecretStoreDeleteOptions): Promise<void> {
    assertSecretName(name);
    this.#secrets.delete(canonicalName(name));
    return Promise.resolve();
  }

  list(_options?: SecretStoreCallOptions): Promise<string[]> {
    return Promise.resolve([...this.#secrets.values()].map((s) => s.name).sort());
  }

  withLock<T>(fn: () => Promise<T>, _options?: SecretStoreCallOptions): Promise<T> {
    return this.#mutex.run(fn);
  }
}
