import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { closeSync, futimesSync, openSync, promises as fs, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { join } from "node:path";
import { nowMs } from "../clock.js";
import type { CachedToken, TokenCacheStore } from "./cache-types.js";

const MAGIC = Buffer.from("SKT1", "ascii");
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
/** Most `.tok` files one prune pass looks at (a random sample of the folder): bounded work per write. */
export const PRUNE_SAMPLE = 256;
/** Most entry paths one cache instance remembers (key → file name). */
const PATH_MEMO_MAX = 20_000;
/** At most one prune pass per this many milliseconds per cache instance (10 min). */
export const PRUNE_INTERVAL_MS = 10 * 60_000;
/** An entry is pruned once its expiry is this far in the past (ms): covers a write whose mtime is not set yet. */
const PRUNE_GRACE_MS = 60_000;

/** Options for {@link DiskTokenCache}. */
export interface DiskTokenCacheOptions {
  /** Folder for the entries (created 0700). One file per key: `<sha256(key)>.tok`. */
  readonly dir: string;
  /**
   * 32-byte AES key file (created 0600 on first use, atomically, exclusive; a malformed one is
   * replaced on the next write, its entries then read as misses). Default `<dir>/key`.
   * Separate from the secret store's key so a cached access token never needs the store.
   */
  readonly keyFile?: string;
  /** Prune expired entries after writes (default true). */
  readonly prune?: boolean;
}

/**
 * Encrypted on-disk access-token cache, so separate CLI runs reuse tokens.
 *
 * - One file per key, named by the SHA-256 of the key: a lookup reads exactly one file, whatever
 *   the number of cached tenants (no index, no scan).
 * - AES-256-GCM (node:crypto) with a random 96-bit IV per write; the key string is the GCM
 *   additional data, so an entry copied onto another key's file fails authentication.
 * - Files are written atomically with mode 0600 (exclusive temp file + rename, no fsync: see
 *   {@link DiskTokenCache.set}); the folder is 0700.
 * - Entry reads and writes use synchronous file calls: a write is queued and a batch of them runs
 *   in one `setImmediate` turn, after the caller has its token. An entry is ~2 KB on local disk;
 *   each asynchronous call would be a thread-pool round trip, and on a fan-out those hand-offs
 *   cost several times the work itself (docs/performance.md). A very slow `SAMKIT_HOME` (a
 *   network share) therefore delays the event loop by its file-call latency per entry.
 * - Unreadable, truncated or tampered entries read as a miss; the broker then redeems again.
 * - Expired entries are pruned opportunistically after a write, never on a read: each file's
 *   mtime is set to its token's expiry, and at most every {@link PRUNE_INTERVAL_MS} a write
 *   stats a random sample of at most {@link PRUNE_SAMPLE} `.tok` files and deletes those whose
 *   expiry has passed (entries are encrypted with their key as AAD, so the expiry is not readable
 *   without the key; the mtime carries it). A file written without that mtime is pruned too (a miss).
 *
 * Holds access tokens only (never refresh tokens or client secrets).
 * @see https://nvlpubs.nist.gov/nistpubs/Legacy/SP/nistspecialpublication800-38d.pdf (GCM)
 */
export class DiskTokenCache implements TokenCacheStore {
  readonly dir: string;
  readonly keyFile: string;
  private keyPromise: Promise<Buffer> | undefined;
  private dirReady: Promise<void> | undefined;
  private readonly pruneEnabled: boolean;
  /** When the last prune pass started (samkit clock, epoch ms); `undefined` = none yet. */
  private lastPruneMs: number | undefined;

  constructor(options: DiskTokenCacheOptions) {
    this.dir = options.dir;
    this.keyFile = options.keyFile ?? join(options.dir, "key");
    this.pruneEnabled = options.prune ?? true;
  }

  /** Entry paths already computed (a SHA-256 each), dropped wholesale past {@link PATH_MEMO_MAX}. */
  private readonly paths = new Map<string, string>();

  /** The file holding `key`'s entry. */
  pathFor(key: string): string {
    let path = this.paths.get(key);
    if (path === undefined) {
      if (this.paths.size >= PATH_MEMO_MAX) this.paths.clear();
      path = join(this.dir, `${createHash("sha256").update(key, "utf8").digest("hex")}.tok`);
      this.paths.set(key, path);
    }
    return path;
  }

  async get(key: string): Promise<CachedToken | undefined> {
    const path = this.pathFor(key);
    // Read-your-writes inside this process, whichever instance wrote (no file call when none is pending).
    const pending = inFlight.get(path);
    if (pending !== undefined) await pending;
    let blob: Buffer;
    try {
      // A miss (the common case on a fan-out's first run) is answered without building an exception.
      if (statSync(path, { throwIfNoEntry: false }) === undefined) return undefined;
      blob = readFileSync(path);
    } catch {
      return undefined;
    }
    const aesKey = await this.readKey(false);
    if (aesKey === undefined) return undefined;
    return decrypt(blob, aesKey, key);
  }

  /**
   * Encrypt and write `key`'s entry: a private temp file (`<file>.<pid>.<random>.tmp`, created
   * exclusively with `O_EXCL` at mode 0600, its mtime set to the token's expiry) renamed over the
   * entry, so readers see the old entry or the new one, never a partial file. No `fsync`: after a
   * crash an entry may be missing or fail authentication, which reads as a miss and the token is
   * redeemed again (access tokens are re-obtainable; the secret store keeps its own durable writes).
   * Writes of one file in this process are ordered; a `get`/`delete` of that file waits for them.
   * The file calls run in the next batch of queued writes (see the class notes); the promise
   * settles when this entry's calls are done.
   */
  set(key: string, entry: CachedToken): Promise<void> {
    const path = this.pathFor(key);
    return track(path, () => this.write(path, key, entry));
  }

  private async write(path: string, key: string, entry: CachedToken): Promise<void> {
    const aesKey = await this.readKey(true);
    if (aesKey === undefined) return;
    await this.ensureDir();
    const blob = encrypt(entry, aesKey, key);
    await queueWrite(() => writeEntrySync(path, blob, entry.expiresOnMs));
    if (this.pruneEnabled) await this.pruneIfDue(path);
  }

  /**
   * Delete expired entries: stat a random sample of at most `sample` `.tok` files and remove those
   * whose expiry (mtime) is over a minute past, except the file `keep` (the one just written).
   * Returns how many were removed. Errors are ignored (another process may prune or rewrite the
   * same files).
   */
  async prune(sample = PRUNE_SAMPLE, keep?: string): Promise<number> {
    let names: string[];
    try {
      names = (await fs.readdir(this.dir)).filter((n) => n.endsWith(".tok") && join(this.dir, n) !== keep);
    } catch {
      return 0;
    }
    const cutoff = nowMs() - PRUNE_GRACE_MS;
    let removed = 0;
    await Promise.all(
      pickSample(names, sample).map(async (n) => {
        const path = join(this.dir, n);
        try {
          if ((await fs.stat(path)).mtimeMs < cutoff) {
            await fs.rm(path, { force: true });
            removed++;
          }
        } catch {
          // vanished or unreadable: nothing to do
        }
      }),
    );
    return removed;
  }

  /** Run {@link prune} when none ran in this instance for {@link PRUNE_INTERVAL_MS}. */
  private async pruneIfDue(keep: string): Promise<void> {
    const now = nowMs();
    if (this.lastPruneMs !== undefined && now - this.lastPruneMs < PRUNE_INTERVAL_MS) return;
    this.lastPruneMs = now;
    await this.prune(PRUNE_SAMPLE, keep);
  }

  /** Remove `key`'s entry (after any write of it in flight in this process, so that write cannot resurrect it). */
  async delete(key: string): Promise<void> {
    const path = this.pathFor(key);
    await track(path, () => fs.rm(path, { force: true }));
  }

  /** Wait for every entry write started in this process (any instance) to settle. Never rejects. */
  static async flush(): Promise<void> {
    while (inFlight.size > 0) await Promise.all([...inFlight.values()]);
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
    if (create) {
      // One read-or-create per instance, however many writes start before it settles.
      this.keyPromise = readKeyFile(this.keyFile).then((k) => k ?? this.createKey());
      this.keyPromise.catch(() => (this.keyPromise = undefined));
      return this.keyPromise;
    }
    // Reading only: remember a key once one exists (a later write may still create it).
    const existing = await readKeyFile(this.keyFile);
    if (existing !== undefined) this.keyPromise = Promise.resolve(existing);
    return existing;
  }

  /**
   * Create the key file exclusively and atomically: write a private temp file, then `link` it to
   * the final name (fails if another process won the race, in which case its key is used).
   *
   * A key file that exists but is malformed (e.g. truncated) is replaced: the private temp file is
   * `rename`d over it (atomic), so cached tokens — re-obtainable — become misses instead of the
   * cache being off for good. When processes replace it at the same time, the last rename wins
   * and each uses the key it then reads back; an entry written under a key that lost reads as a
   * miss, never as an error.
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
      if (theirs !== undefined) return theirs;
      await fs.rename(tmp, this.keyFile);
      return (await readKeyFile(this.keyFile)) ?? key;
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }
}

/**
 * Operations (write/delete) in flight per entry file in this process, across instances: the tail of
 * each file's chain. A new operation on a file starts after the previous one settles, so the last
 * write wins and a delete is never overtaken by an older write's rename.
 */
const inFlight = new Map<string, Promise<void>>();

function track(path: string, op: () => Promise<void>): Promise<void> {
  const prev = inFlight.get(path);
  const run = prev === undefined ? op() : prev.then(op);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  inFlight.set(path, tail);
  void tail.then(() => {
    if (inFlight.get(path) === tail) inFlight.delete(path);
  });
  return run;
}

/**
 * Write one entry file: a private temp file created exclusively (`O_EXCL`) at mode 0600, its
 * mtime set to the token's expiry (for pruning; a failure there only makes the entry prunable),
 * then renamed over the entry. The temp file is removed when any step fails.
 */
function writeEntrySync(path: string, blob: Buffer, expiresOnMs: number): void {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    const fd = openSync(tmp, "wx", 0o600);
    try {
      writeSync(fd, blob);
      try {
        futimesSync(fd, new Date(), new Date(expiresOnMs));
      } catch {
        // see above
      }
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/** Writes waiting for the next batch, and whether a batch is scheduled. */
let writeQueue: { run: () => void; done: (error?: Error) => void }[] = [];
let batchScheduled = false;

/** Run `run` in the next batch (one `setImmediate` turn for every write queued before it). */
function queueWrite(run: () => void): Promise<void> {
  return new Promise((resolve, reject) => {
    writeQueue.push({ run, done: (error) => (error === undefined ? resolve() : reject(error)) });
    if (batchScheduled) return;
    batchScheduled = true;
    setImmediate(() => {
      batchScheduled = false;
      const batch = writeQueue;
      writeQueue = [];
      for (const w of batch) {
        try {
          w.run();
          w.done();
        } catch (e) {
          w.done(e instanceof Error ? e : new Error(`token cache write failed: ${String(e)}`));
        }
      }
    });
  });
}

/** Up to `n` distinct names picked at random (partial Fisher–Yates; `names` is reordered). */
function pickSample(names: string[], n: number): string[] {
  const k = Math.min(n, names.length);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(Math.random() * (names.length - i));
    const t = names[i]!;
    names[i] = names[j]!;
    names[j] = t;
  }
  return names.slice(0, k);
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
