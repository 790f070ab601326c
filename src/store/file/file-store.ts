import * as fsp from "node:fs/promises";
import * as path from "node:path";
import { z } from "zod/v3";
import { nowMs } from "../../clock.js";
import { SamkitError, isSamkitError } from "../../errors/index.js";
import { DEFAULT_FILE_TIMEOUT_MS, withDeadline } from "../deadline.js";
import { LocalMutex } from "../local-mutex.js";
import { assertSecretName, canonicalName } from "../names.js";
import type {
  SecretStore,
  SecretStoreCallOptions,
  SecretStoreDeleteOptions,
  StoredSecret,
} from "../types.js";
import { decryptStoreFile, encryptStoreFile } from "./format.js";
import { createKeyFile, decodeKey, readKeyFile, type StoreKey } from "./key.js";
import { acquireFileLock, type HeldLock } from "./lock.js";

/** Options of {@link EncryptedFileStore}. */
export interface EncryptedFileStoreOptions {
  /** The folder holding the store and its key file (`$SAMKIT_HOME`); created 0700 on first write. */
  readonly home: string;
  /** Base64 of a 32-byte key (`SAMKIT_STORE_KEY`); when set, no key file is read or created. */
  readonly storeKey?: string | undefined;
  /** Store file name inside `home`. Default `store.enc`. */
  readonly fileName?: string;
  /** Key file name inside `home`. Default `store.key`. */
  readonly keyFileName?: string;
  /** Per-call timeout in milliseconds, lock wait included. Default 10 000. */
  readonly timeoutMs?: number;
}

/** Decrypted content of the store file (docs/storage.md §3). */
const documentSchema = z.object({
  format: z.literal(1),
  writtenAt: z.number(),
  secrets: z.record(
    z.string(),
    z.object({
      name: z.string(),
      value: z.string(),
      tags: z.record(z.string(), z.string()),
      updatedOn: z.number(),
    }),
  ),
});
type StoreDocument = z.infer<typeof documentSchema>;

/** One in-process mutex and held lock per store file, shared by every instance on that file. */
interface PathState {
  readonly mutex: LocalMutex;
  held: HeldLock | undefined;
}
const states = new Map<string, PathState>();
function stateFor(file: string): PathState {
  let s = states.get(file);
  if (!s) {
    s = { mutex: new LocalMutex(), held: undefined };
    states.set(file, s);
  }
  return s;
}

/** Slack added to the call deadline so a lock wait ends with `SAMKIT_STORE_LOCK_TIMEOUT`, ms. */
const LOCK_GRACE_MS = 1_000;

/**
 * The embedded default {@link SecretStore} (docs/storage.md §3): every secret of every profile in
 * one AES-256-GCM file, `store.enc`, beside its key file `store.key` under `$SAMKIT_HOME`.
 * Writes are read-modify-write under a cross-process lock and replace the file atomically
 * (write-file-atomic, fsync, 0600); a file that fails to read is never overwritten.
 */
export class EncryptedFileStore implements SecretStore {
  readonly kind = "file" as const;
  readonly description: string;
  /** Absolute path of the encrypted store file. */
  readonly path: string;
  /** Absolute path of the key file (used only when no `storeKey` is given). */
  readonly keyPath: string;
  /** `env` when the key comes from `SAMKIT_STORE_KEY`, `file` for the key file. */
  readonly keySource: "env" | "file";
  readonly #home: string;
  readonly #storeKey: string | undefined;
  readonly #timeoutMs: number;
  readonly #state: PathState;
  #key: StoreKey | undefined;

  constructor(options: EncryptedFileStoreOptions) {
    this.#home = path.resolve(options.home);
    this.path = path.join(this.#home, options.fileName ?? "store.enc");
    this.keyPath = path.join(this.#home, options.keyFileName ?? "store.key");
    this.#storeKey = options.storeKey === "" ? undefined : options.storeKey;
    this.keySource = this.#storeKey !== undefined ? "env" : "file";
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_FILE_TIMEOUT_MS;
    this.#state = stateFor(this.path);
    this.description = `file:${this.path} (key: ${this.keySource === "env" ? "SAMKIT_STORE_KEY" : `key file ${this.keyPath}`})`;
  }

  /**
   * @returns `undefined` when the secret (or the whole store) does not exist
   * @throws SamkitError `SAMKIT_STORE_INVALID_NAME`, the read errors of docs/storage.md §3, `SAMKIT_STORE_TIMEOUT`
   */
  get(name: string, options: SecretStoreCallOptions = {}): Promise<StoredSecret | undefined> {
    assertSecretName(name);
    return this.#deadline(`read ${name}`, options, async () => {
      const doc = await this.#read();
      const s = doc.secrets[canonicalName(name)];
      return s === undefined
        ? undefined
        : { name: s.name, value: s.value, tags: { ...s.tags }, updatedOn: s.updatedOn };
    });
  }

  /**
   * Creates or replaces a secret (value and tags) under the lock.
   * @throws SamkitError as {@link get}, plus `SAMKIT_STORE_LOCK_TIMEOUT`, `SAMKIT_STORE_LOCK_LOST`, `SAMKIT_STORE_IO`
   */
  set(
    name: string,
    value: string,
    tags: Readonly<Record<string, string>> = {},
    options: SecretStoreCallOptions = {},
  ): Promise<void> {
    assertSecretName(name);
    return this.#mutate(`write ${name}`, options, (doc) => {
      doc.secrets[canonicalName(name)] = { name, value, tags: { ...tags }, updatedOn: nowMs() };
      return true;
    });
  }

  /** Deletes a secret; a missing one is not an error. Throws as {@link set}. */
  delete(name: string, options: SecretStoreDeleteOptions = {}): Promise<void> {
    assertSecretName(name);
    return this.#mutate(`delete ${name}`, options, (doc) => {
      const key = canonicalName(name);
      if (!(key in doc.secrets)) return false;
      delete doc.secrets[key];
      return true;
    });
  }

  /** Secret names (as first written), sorted; never values. Throws as {@link get}. */
  list(options: SecretStoreCallOptions = {}): Promise<string[]> {
    return this.#deadline("list", options, async () => {
      const doc = await this.#read();
      return Object.values(doc.secrets)
        .map((s) => s.name)
        .sort();
    });
  }

  /**
   * Runs `fn` holding the cross-process lock (re-entrant in the same async call chain). Only the
   * wait for the lock is bounded by the timeout, not `fn`.
   * @throws SamkitError `SAMKIT_STORE_LOCK_TIMEOUT`, `SAMKIT_STORE_ABORTED`, `SAMKIT_STORE_IO`, or what `fn` throws
   */
  withLock<T>(fn: () => Promise<T>, options: SecretStoreCallOptions = {}): Promise<T> {
    const state = this.#state;
    if (state.mutex.isHeld()) return fn();
    const deadline = Date.now() + this.#timeoutMs;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, timeout]) : timeout;
    const lockTimeout = () =>
      new SamkitError("SAMKIT_STORE_LOCK_TIMEOUT", {
        params: { path: `${this.path}.lock`, timeoutMs: this.#timeoutMs },
      });
    return state.mutex
      .run(fn, {
        signal,
        acquire: async () => {
          await this.#ensureHome();
          const held = await acquireFileLock(this.path, {
            timeoutMs: Math.max(0, deadline - Date.now()),
            signal,
          });
          state.held = held;
          return async () => {
            state.held = undefined;
            await held.release();
          };
        },
      })
      .catch((e: unknown) => {
        if (isSamkitError(e)) throw e;
        if (options.abortSignal?.aborted)
          throw new SamkitError("SAMKIT_STORE_ABORTED", { params: { operation: "lock" }, cause: e });
        if (timeout.aborted) throw lockTimeout();
        throw e;
      });
  }

  /** Which key the store uses and whether the store file exists, for `samkit status`. */
  async inspect(): Promise<{
    readonly path: string;
    readonly exists: boolean;
    readonly keySource: "env" | "file";
    readonly keyPath?: string;
  }> {
    const exists = await fileExists(this.path);
    return {
      path: this.path,
      exists,
      keySource: this.keySource,
      ...(this.keySource === "file" ? { keyPath: this.keyPath } : {}),
    };
  }

  #deadline<T>(
    operation: string,
    options: SecretStoreCallOptions,
    fn: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    return withDeadline(
      {
        operation,
        store: this.description,
        timeoutMs: this.#timeoutMs + LOCK_GRACE_MS,
        abortSignal: options.abortSignal,
      },
      fn,
    );
  }

  /** Read-modify-write under the lock; `change` returns whether anything changed. */
  #mutate(
    operation: string,
    options: SecretStoreCallOptions,
    change: (doc: StoreDocument) => boolean,
  ): Promise<void> {
    return this.#deadline(operation, options, (signal) =>
      this.withLock(
        async () => {
          const doc = await this.#read();
          if (!change(doc)) return;
          this.#state.held?.assertHeld();
          signal.throwIfAborted();
          await this.#write(doc);
        },
        { abortSignal: signal },
      ),
    );
  }

  async #loadKey(create: boolean): Promise<StoreKey | undefined> {
    if (this.#key) return this.#key;
    if (this.#storeKey !== undefined) {
      this.#key = { key: decodeKey(this.#storeKey, "SAMKIT_STORE_KEY"), source: "SAMKIT_STORE_KEY" };
      return this.#key;
    }
    const existing = await readKeyFile(this.keyPath);
    if (existing) {
      this.#key = existing;
      return existing;
    }
    if (await fileExists(this.path)) {
      throw new SamkitError("SAMKIT_STORE_KEY_MISSING", {
        params: { path: this.path, keyPath: this.keyPath },
      });
    }
    if (!create) return undefined;
    this.#key = await createKeyFile(this.keyPath);
    return this.#key;
  }

  /** Reads and decrypts the whole store; an absent file is an empty store. */
  async #read(): Promise<StoreDocument> {
    let bytes: Buffer;
    try {
      bytes = await fsp.readFile(this.path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return { format: 1, writtenAt: 0, secrets: {} };
      throw new SamkitError("SAMKIT_STORE_IO", {
        params: { operation: "read", path: this.path, reason: code ?? "error" },
        cause: e,
      });
    }
    const key = await this.#loadKey(false);
    if (!key)
      throw new SamkitError("SAMKIT_STORE_KEY_MISSING", {
        params: { path: this.path, keyPath: this.keyPath },
      });
    const plain = decryptStoreFile(key.key, bytes, { path: this.path, keySource: key.source });
    let json: unknown;
    try {
      json = JSON.parse(plain.toString("utf8"));
    } catch {
      json = undefined;
    }
    const parsed = documentSchema.safeParse(json);
    if (!parsed.success) {
      throw new SamkitError("SAMKIT_STORE_FILE_TAMPERED", {
        params: { path: this.path, reason: "its content is not a samkit store document" },
      });
    }
    return parsed.data;
  }

  async #write(doc: StoreDocument): Promise<void> {
    const key = await this.#loadKey(true);
    if (!key)
      throw new SamkitError("SAMKIT_INTERNAL", { params: { detail: "no store key after creating one" } });
    const out: StoreDocument = { format: 1, writtenAt: nowMs(), secrets: doc.secrets };
    const bytes = encryptStoreFile(key.key, Buffer.from(JSON.stringify(out), "utf8"));
    try {
      const { default: writeFileAtomic } = await import("write-file-atomic");
      await writeFileAtomic(this.path, bytes, { mode: 0o600, fsync: true });
      await fsyncDir(this.#home);
    } catch (e) {
      throw new SamkitError("SAMKIT_STORE_IO", {
        params: { operation: "write", path: this.path, reason: (e as NodeJS.ErrnoException).code ?? "error" },
        cause: e,
      });
    }
  }

  async #ensureHome(): Promise<void> {
    try {
      await fsp.mkdir(this.#home, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw new SamkitError("SAMKIT_STORE_IO", {
        params: {
          operation: "create",
          path: this.#home,
          reason: (e as NodeJS.ErrnoException).code ?? "error",
        },
        cause: e,
      });
    }
  }
}

async function fileExists(p: string): Promise<boolean> {
  try {
    await fsp.access(p);
    return true;
  } catch {
    return false;
  }
}

/** fsync a folder so a rename inside it survives a power cut (POSIX; a no-op elsewhere). */
async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === "win32") return;
  const fh = await fsp.open(dir, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
