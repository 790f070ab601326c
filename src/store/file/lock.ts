import * as fs from "node:fs";
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SamkitError } from "../../errors/index.js";

/**
 * Cross-process lock on the store file (docs/storage.md §3): proper-lockfile's `<file>.lock`
 * directory (atomic mkdir, mtime refreshed while held, stale after {@link LOCK_STALE_MS}), plus
 * fast stale detection: every lock directory is born with its `owner.json` (pid, host, process
 * start time, nonce) — built in a temporary directory and renamed into place — and a waiter on
 * the same host that finds that pid dead (or a zombie, or a different process with the same pid)
 * treats the lock as stale at once. Locks are removed by renaming them to a unique tomb first, so
 * a crash never leaves an owner-less lock directory and two waiters never both remove a live lock.
 */

/** proper-lockfile, loaded on the first lock: it patches `fs` through graceful-fs at import, and read-only runs never lock. */
let loaded: Promise<typeof import("proper-lockfile")> | undefined;
function properLockfile(): Promise<typeof import("proper-lockfile")> {
  loaded ??= import("proper-lockfile").then((m) => m.default);
  return loaded;
}

/** proper-lockfile's staleness threshold, ms (its mtime is refreshed every half of it). */
export const LOCK_STALE_MS = 10_000;
const OWNER_FILE = "owner.json";

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly start: string | null;
  readonly nonce: string;
  readonly acquiredAt: string;
}

/** Nonces of the locks this process holds right now. */
const heldNonces = new Set<string>();
/** Nonce of the lock just created by `lockFs.mkdir`, per lock directory, until `acquireFileLock` takes it. */
const pendingNonce = new Map<string, string>();

/** Linux process start time (field 22 of /proc/<pid>/stat), to tell a reused pid apart. */
function processStart(pid: number): { start: string | null; zombie: boolean } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const after = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { start: after[19] ?? null, zombie: after[0] === "Z" || after[0] === "X" };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT" && fs.existsSync("/proc/self/stat")) return undefined; // no such process
    return { start: null, zombie: false }; // no procfs: unknown
  }
}

const selfStart = processStart(process.pid)?.start ?? null;

/** True when the process that wrote `owner` is certainly gone (same host only). */
function ownerIsDead(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return !heldNonces.has(owner.nonce);
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ESRCH") return true;
  }
  const info = processStart(owner.pid);
  if (info === undefined) return true;
  if (info.zombie) return true;
  return owner.start !== null && info.start !== null && info.start !== owner.start;
}

function readOwner(lockDir: string): LockOwner | undefined {
  try {
    const o = JSON.parse(fs.readFileSync(`${lockDir}/${OWNER_FILE}`, "utf8")) as Partial<LockOwner>;
    if (typeof o.pid === "number" && typeof o.host === "string" && typeof o.nonce === "string")
      return o as LockOwner;
  } catch {
    // missing (a fresh lock whose holder has not written it yet) or half-written
  }
  return undefined;
}

function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

function elocked(dir: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`Lock ${dir} is held`), { code: "ELOCKED" });
}

/** Whether the lock directory may be removed by someone who is not its holder. */
function isStale(dir: string, owner: LockOwner | undefined, mtimeMs: number | undefined): boolean {
  if (owner !== undefined && ownerIsDead(owner)) return true;
  return mtimeMs !== undefined && mtimeMs < Date.now() - LOCK_STALE_MS;
}

/**
 * Removes the lock directory: at once when this process holds it; otherwise only if it is stale,
 * through an atomic rename to a tomb whose owner is then re-checked (put back if it changed).
 */
function removeLockDir(dir: string): void {
  const owner = readOwner(dir);
  if (owner !== undefined && owner.pid === process.pid && heldNonces.has(owner.nonce)) {
    heldNonces.delete(owner.nonce);
    const tomb = `${dir}.released-${owner.nonce}`;
    fs.renameSync(dir, tomb);
    removeDir(tomb);
    return;
  }
  let mtimeMs: number | undefined;
  try {
    mtimeMs = fs.statSync(dir).mtimeMs;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  if (!isStale(dir, owner, mtimeMs)) throw elocked(dir);
  const tomb = `${dir}.stale-${randomBytes(6).toString("hex")}`;
  try {
    fs.renameSync(dir, tomb);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return;
    throw e;
  }
  const moved = readOwner(tomb);
  const sameLock =
    owner !== undefined
      ? moved?.nonce === owner.nonce
      : moved === undefined && fs.statSync(tomb).mtimeMs < Date.now() - LOCK_STALE_MS;
  if (sameLock) {
    removeDir(tomb);
    return;
  }
  // Someone else's fresh lock moved in between our check and the rename: give it back.
  try {
    fs.renameSync(tomb, dir);
  } catch {
    removeDir(tomb);
  }
  throw elocked(dir);
}

/**
 * The `fs` proper-lockfile uses: node:fs, with `stat` reporting a lock whose holder is dead as
 * ancient (so proper-lockfile deems it stale at once) and `rmdir` going through {@link removeLockDir}.
 */
const lockFs = {
  ...fs,
  mkdir(p: fs.PathLike, cb: (err: NodeJS.ErrnoException | null) => void): void {
    const dir = String(p);
    // Cheap check first: waiters poll, and building a candidate lock costs four syscalls.
    if (fs.existsSync(dir)) return cb(Object.assign(new Error(`Lock ${dir} exists`), { code: "EEXIST" }));
    const nonce = randomBytes(12).toString("hex");
    const tmp = `${dir}.tmp-${nonce}`;
    const owner: LockOwner = {
      pid: process.pid,
      host: hostname(),
      start: selfStart,
      nonce,
      acquiredAt: new Date().toISOString(),
    };
    try {
      fs.mkdirSync(tmp, { mode: 0o700 });
      fs.writeFileSync(`${tmp}/${OWNER_FILE}`, JSON.stringify(owner), { mode: 0o600 });
      heldNonces.add(nonce);
      // rename(2) onto an existing non-empty directory fails: this is the atomic "create".
      fs.renameSync(tmp, dir);
      pendingNonce.set(dir, nonce);
      cb(null);
    } catch (e) {
      heldNonces.delete(nonce);
      removeDir(tmp);
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOTEMPTY" || code === "EEXIST")
        return cb(Object.assign(new Error(`Lock ${dir} exists`), { code: "EEXIST" }));
      cb(e as NodeJS.ErrnoException);
    }
  },
  stat(p: fs.PathLike, cb: (err: NodeJS.ErrnoException | null, stat?: fs.Stats) => void): void {
    fs.stat(p, (err, st) => {
      if (err) return cb(err);
      const owner = readOwner(String(p));
      if (owner !== undefined && ownerIsDead(owner)) {
        const old = Object.assign(Object.create(Object.getPrototypeOf(st) as object) as fs.Stats, st, {
          mtime: new Date(0),
          mtimeMs: 0,
        });
        return cb(null, old);
      }
      cb(null, st);
    });
  },
  rmdir(p: fs.PathLike, cb: (err: NodeJS.ErrnoException | null) => void): void {
    try {
      removeLockDir(String(p));
      cb(null);
    } catch (e) {
      cb(e as NodeJS.ErrnoException);
    }
  },
  rmdirSync(p: fs.PathLike): void {
    removeLockDir(String(p));
  },
};

/** Removes tombs and abandoned temporary lock directories left by crashed processes. */
function sweepTombs(lockDir: string): void {
  const parent = path.dirname(lockDir);
  const base = `${path.basename(lockDir)}.`;
  let entries: string[];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return;
  }
  for (const e of entries) {
    if (!e.startsWith(base)) continue;
    const full = path.join(parent, e);
    const rest = e.slice(base.length);
    if (rest.startsWith("stale-") || rest.startsWith("released-")) {
      removeDir(full);
    } else if (rest.startsWith("tmp-")) {
      try {
        if (fs.statSync(full).mtimeMs < Date.now() - 60_000) removeDir(full);
      } catch {
        // gone already
      }
    }
  }
}

/** A held lock. */
export interface HeldLock {
  /** Throws `SAMKIT_STORE_LOCK_LOST` when the lock was compromised since it was taken. */
  assertHeld(): void;
  release(): Promise<void>;
}

/** Options of {@link acquireFileLock}. */
export interface AcquireLockOptions {
  /** Give up after this many milliseconds of waiting. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Takes the cross-process lock on `file` (`<file>.lock`), polling every 10-40 ms until
 * `timeoutMs`. The folder of `file` must exist.
 * @throws SamkitError `SAMKIT_STORE_LOCK_TIMEOUT`, `SAMKIT_STORE_IO`; the signal's reason when aborted
 */
export async function acquireFileLock(file: string, options: AcquireLockOptions): Promise<HeldLock> {
  const lockDir = `${file}.lock`;
  const deadline = Date.now() + options.timeoutMs;
  let compromised: Error | undefined;
  for (;;) {
    options.signal?.throwIfAborted();
    let release: (() => Promise<void>) | undefined;
    try {
      release = await (await properLockfile()).lock(file, {
        realpath: false,
        stale: LOCK_STALE_MS,
        retries: 0,
        fs: lockFs,
        onCompromised: (err: Error) => {
          compromised = err;
        },
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ELOCKED" && code !== "EEXIST" && code !== "ENOENT") {
        throw new SamkitError("SAMKIT_STORE_IO", {
          params: { operation: "lock", path: lockDir, reason: code ?? (e as Error).message },
          cause: e,
        });
      }
    }
    if (release !== undefined) {
      const nonce = pendingNonce.get(lockDir) ?? "";
      pendingNonce.delete(lockDir);
      sweepTombs(lockDir);
      const rel = release;
      return {
        assertHeld() {
          if (compromised !== undefined) {
            throw new SamkitError("SAMKIT_STORE_LOCK_LOST", {
              params: { path: lockDir },
              cause: compromised,
            });
          }
        },
        async release() {
          try {
            await rel();
          } catch {
            // Already released or compromised: nothing left to remove that is ours.
          } finally {
            heldNonces.delete(nonce);
          }
        },
      };
    }
    if (Date.now() >= deadline) {
      throw new SamkitError("SAMKIT_STORE_LOCK_TIMEOUT", {
        params: { path: lockDir, timeoutMs: options.timeoutMs },
      });
    }
    await sleep(
      10 + Math.floor(Math.random() * 30),
      undefined,
      options.signal ? { signal: options.signal } : {},
    );
  }
}
