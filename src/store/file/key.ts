import { randomBytes } from "node:crypto";
import * as fsp from "node:fs/promises";
import { SamkitError } from "../../errors/index.js";
import { KEY_LENGTH } from "./format.js";

/**
 * The store key (docs/storage.md §3 "Key"): `SAMKIT_STORE_KEY` (base64 of 32 bytes) wins;
 * otherwise the key file beside the store, generated only when neither it nor the store exists.
 */

/** A loaded key and where it came from (for `samkit status` and error messages). */
export interface StoreKey {
  readonly key: Buffer;
  /** `SAMKIT_STORE_KEY` or `key file <path>`. */
  readonly source: string;
}

const B64_RE = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Decodes a base64 (standard or url-safe) key of exactly 32 bytes.
 * @throws SamkitError `SAMKIT_STORE_KEY_INVALID`
 */
export function decodeKey(text: string, source: string): Buffer {
  const t = text.trim();
  const key = B64_RE.test(t)
    ? Buffer.from(t.replace(/-/g, "+").replace(/_/g, "/"), "base64")
    : Buffer.alloc(0);
  if (key.length !== KEY_LENGTH) throw new SamkitError("SAMKIT_STORE_KEY_INVALID", { params: { source } });
  return key;
}

/**
 * Reads the key file, checking that only its owner can read it (POSIX).
 * @returns `undefined` when the file does not exist
 * @throws SamkitError `SAMKIT_STORE_KEY_INVALID`, `SAMKIT_STORE_INSECURE_PERMISSIONS`, `SAMKIT_STORE_IO`
 */
export async function readKeyFile(keyPath: string): Promise<StoreKey | undefined> {
  let text: string;
  try {
    const st = await fsp.stat(keyPath);
    if (process.platform !== "win32" && (st.mode & 0o077) !== 0) {
      throw new SamkitError("SAMKIT_STORE_INSECURE_PERMISSIONS", {
        params: { path: keyPath, mode: (st.mode & 0o777).toString(8).padStart(4, "0") },
      });
    }
    text = await fsp.readFile(keyPath, "utf8");
  } catch (e) {
    if (e instanceof SamkitError) throw e;
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new SamkitError("SAMKIT_STORE_IO", {
      params: { operation: "read", path: keyPath, reason: (e as NodeJS.ErrnoException).code ?? "error" },
      cause: e,
    });
  }
  const source = `key file ${keyPath}`;
  return { key: decodeKey(text, source), source };
}

/**
 * Creates the key file atomically and exclusively: the key is written to a temporary file
 * (0600, fsync) and hard-linked into place, so a crash never leaves a partial key and two
 * processes racing never end up with different keys (the loser reads the winner's).
 * @throws SamkitError `SAMKIT_STORE_IO`, and {@link readKeyFile}'s errors for the winner's file
 */
export async function createKeyFile(keyPath: string): Promise<StoreKey> {
  const tmp = `${keyPath}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const key = randomBytes(KEY_LENGTH);
  try {
    const fh = await fsp.open(tmp, "wx", 0o600);
    try {
      await fh.writeFile(`${key.toString("base64")}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await fsp.link(tmp, keyPath);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const winner = await readKeyFile(keyPath);
      if (winner) return winner;
      throw e;
    }
  } catch (e) {
    if (e instanceof SamkitError) throw e;
    throw new SamkitError("SAMKIT_STORE_IO", {
      params: { operation: "create", path: keyPath, reason: (e as NodeJS.ErrnoException).code ?? "error" },
      cause: e,
    });
  } finally {
    await fsp.rm(tmp, { force: true });
  }
  return { key, source: `key file ${keyPath}` };
}
