import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { join } from "node:path";
import type { CachedToken, TokenCacheStore } from "./cache-types.js";

const MAGIC = Buffer.from("SKT1", "ascii");
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** Options for {@link DiskTokenCache}. */
export interface DiskTokenCacheOptions {
  /** Folder for the entries (created 0700). One file per key: `<sha256(key)>.tok`. */
  readonly dir: string;
  /**
   * 32-byte AES key file (created 0600 on first use, atomically, exclusive). Default `<dir>/key`.
   * Separate from the secret store's key so a cached access token never needs the store.
   */
  readonly keyFile?: string;
}

/**
 * Encrypted on-disk access-token cache, so separate CLI runs reuse tokens.
 *
 * - One file per key, named by the SHA-256 of the key: a lookup reads exactly one file, whatever
 *   the number of cached tenants (no index, no scan).
 * - AES-256-GCM (node:crypto) with a random 96-bit IV per write; the key string is the GCM
 *   additional data, so an entry copied onto another key's file fails authentication.
 * - Files are written atomically with mode 0600 (write-file-atomic); the folder is 0700.
 * - Unreadable, truncated or tampered entries read as a miss; the broker then redeems again.
 *
 * Holds access tokens only (never refresh tokens or client secrets).
 * @see https://nvlpubs.nist.gov/nistpubs/Legacy/SP/nistspecialpublication800-38d.pdf (GCM)
 */
export class DiskTokenCache implements TokenCacheStore {
  readonly dir: string;
  readonly keyFile: string;
  private keyPromise: Promise<Buffer> | undefined;
  private dirReady: Promise<void> | undefined;

  constructor(options: DiskTokenCacheOptions) {
    this.dir = options.dir;
    this.keyFile = options.keyFile ?? join(options.dir, "key");
  }

  /** The file holding `key`'s entry. */
  pathFor(key: string): string {
    return join(this.dir, `${createHash("sha256").update(key, "utf8").digest("hex")}.tok`);
  }

  async get(key: string): Promise<CachedToken | undefined> {
    let blob: Buffer;
    try {
      blob = await fs.readFile(this.pathFor(key));
    } catch {
      return undefined;
    }
    const aesKey = await this.readKey(false);
    if (aesKey === undefined) return undefined;
    return decrypt(blob, aesKey, key);
  }

  async set(key: string, entry: CachedToken): Promise<void> {
    const aesKey = await this.readKey(true);
    if (aesKey === undefined) return;
    const blob = encrypt(entry, aesKey, key);
    const { default: writeFileAtomic } = await import("write-file-atomic");
    await writeFileAtomic(this.pathFor(key), blob, { mode: 0o600 });
  }

  async delete(key: string): Promise<void> {
    await fs.rm(this.pathFor(key), { force: true });
  }

  /** Remove every cached token (e.g. after a new consent). The key file stays. */
  async clear(): Promise<void> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return;
    }
    await Promise.all(names.filter((n) => n.endsWith(".tok")).map((n) => fs.rm(join(this.dir, n), { force: true })));
  }

  private ensureDir(): Promise<void> {
    this.dirReady ??= fs.mkdir(this.dir, { recursive: true, mode: 0o700 }).then(() => undefined);
    return this.dirReady;
  }

  /** Read the key; with `create`, make it first if missing. `undefined` when absent or malformed. */
  private async readKey(create: boolean): Promise<Buffer | undefined> {
    if (this.keyPromise !== undefined) return this.keyPromise;
    const existing = await readKeyFile(this.keyFile);
    if (existing !== undefined) {
      this.keyPromise = Promise.resolve(existing);
      return existing;
    }
    if (!create) return undefined;
    this.keyPromise = this.createKey();
    return this.keyPromise;
  }

  /**
   * Create the key file exclusively and atomically: write a private temp file, then `link` it to
   * the final name (fails if another process won the race, in which case its key is used).
   */
  private async createKey(): Promise<Buffer> {
    await this.ensureDir();
    const tmp = `${this.keyFile}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    const key = randomBytes(KEY_BYTES);
    await fs.writeFile(tmp, key, { mode: 0o600, flag: "wx" });
    try {
      await fs.link(tmp, this.keyFile);
      return key;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const theirs = await readKeyFile(this.keyFile);
      if (theirs === undefined) throw new Error(`token cache key file ${this.keyFile} is malformed`, { cause: e });
      return theirs;
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }
}

async function readKeyFile(path: string): Promise<Buffer | undefined> {
  try {
    const b = await fs.readFile(path);
    return b.length === KEY_BYTES ? b : undefined;
  } catch {
    return undefined;
  }
}

function encrypt(entry: CachedToken, key: Buffer, aad: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const plain = Buffer.from(
    JSON.stringify({ t: entry.token, e: entry.expiresOnMs, s: entry.scopes, tid: entry.tenantId }),
    "utf8",
  );
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
}

function decrypt(blob: Buffer, key: Buffer, aad: string): CachedToken | undefined {
  const head = MAGIC.length + IV_BYTES + TAG_BYTES;
  if (blob.length <= head || !blob.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, blob.subarray(MAGIC.length, MAGIC.length + IV_BYTES));
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(blob.subarray(MAGIC.length + IV_BYTES, head));
    const plain = Buffer.concat([decipher.update(blob.subarray(head)), decipher.final()]);
    const v = JSON.parse(plain.toString("utf8")) as { t?: unknown; e?: unknown; s?: unknown; tid?: unknown };
    if (typeof v.t !== "string" || typeof v.e !== "number" || !Array.isArray(v.s) || typeof v.tid !== "string") {
      return undefined;
    }
    return { token: v.t, expiresOnMs: v.e, scopes: v.s.filter((x): x is string => typeof x === "string"), tenantId: v.tid };
  } catch {
    return undefined;
  }
}
