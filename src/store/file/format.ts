import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { SamkitError } from "../../errors/index.js";

/**
 * The encrypted store file, format version 1 (docs/storage.md §3): a 34-byte header
 * (magic, version, algorithm, key check, nonce, ciphertext length) authenticated as AES-256-GCM
 * additional data, then the ciphertext and the 16-byte tag. Pure functions, no I/O.
 * @see https://nvlpubs.nist.gov/nistpubs/Legacy/SP/nistspecialpublication800-38d.pdf (GCM, 96-bit nonces)
 */

export const MAGIC = Buffer.from("SAMKITST", "ascii");
export const FORMAT_VERSION = 1;
export const ALG_AES_256_GCM = 1;
export const HEADER_LENGTH = 34;
const KEY_CHECK_LENGTH = 8;
const NONCE_LENGTH = 12;
const TAG_LENGTH = 16;
/** Key length in bytes (AES-256). */
export const KEY_LENGTH = 32;

/** Where errors say the key came from, e.g. `SAMKIT_STORE_KEY` or the key file path. */
export interface DecryptContext {
  readonly path: string;
  readonly keySource: string;
}

/** First 8 bytes of HMAC-SHA256(key, "samkit-store-key-check"): tells a wrong key from tampering. */
export function keyCheck(key: Buffer): Buffer {
  return createHmac("sha256", key).update("samkit-store-key-check").digest().subarray(0, KEY_CHECK_LENGTH);
}

/**
 * Encrypts `plaintext` into a complete store file with a fresh random nonce.
 * @param key 32 bytes
 */
export function encryptStoreFile(key: Buffer, plaintext: Buffer): Buffer {
  if (key.length !== KEY_LENGTH) throw new RangeError("store key must be 32 bytes");
  const header = Buffer.alloc(HEADER_LENGTH);
  MAGIC.copy(header, 0);
  header.writeUInt8(FORMAT_VERSION, 8);
  header.writeUInt8(ALG_AES_256_GCM, 9);
  keyCheck(key).copy(header, 10);
  const nonce = randomBytes(NONCE_LENGTH);
  nonce.copy(header, 18);
  header.writeUInt32BE(plaintext.length, 30); // GCM ciphertext length = plaintext length
  const cipher = createCipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_LENGTH });
  cipher.setAAD(header);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
}

/**
 * Checks and decrypts a store file. Checks run in the order of docs/storage.md §3 so each failure
 * has its own code; nothing about the plaintext is revealed in errors.
 * @throws SamkitError `SAMKIT_STORE_FILE_TRUNCATED`, `SAMKIT_STORE_FILE_TAMPERED`,
 *   `SAMKIT_STORE_VERSION_UNSUPPORTED`, `SAMKIT_STORE_KEY_MISMATCH`
 */
export function decryptStoreFile(key: Buffer, file: Buffer, ctx: DecryptContext): Buffer {
  const size = file.length;
  const prefix = Math.min(size, MAGIC.length);
  if (!file.subarray(0, prefix).equals(MAGIC.subarray(0, prefix))) {
    throw new SamkitError("SAMKIT_STORE_FILE_TAMPERED", {
      params: { path: ctx.path, reason: "it does not start with the samkit store magic" },
    });
  }
  if (size < HEADER_LENGTH)
    throw new SamkitError("SAMKIT_STORE_FILE_TRUNCATED", { params: { path: ctx.path, size } });
  const version = file.readUInt8(8);
  const alg = file.readUInt8(9);
  if (version !== FORMAT_VERSION || alg !== ALG_AES_256_GCM) {
    throw new SamkitError("SAMKIT_STORE_VERSION_UNSUPPORTED", {
      params: { path: ctx.path, version: `${version}/${alg}` },
    });
  }
  const length = file.readUInt32BE(30);
  const expected = HEADER_LENGTH + length + TAG_LENGTH;
  if (size < expected)
    throw new SamkitError("SAMKIT_STORE_FILE_TRUNCATED", { params: { path: ctx.path, size } });
  if (size > expected) {
    throw new SamkitError("SAMKIT_STORE_FILE_TAMPERED", {
      params: { path: ctx.path, reason: "it has bytes after the authentication tag" },
    });
  }
  if (!timingSafeEqual(file.subarray(10, 10 + KEY_CHECK_LENGTH), keyCheck(key))) {
    throw new SamkitError("SAMKIT_STORE_KEY_MISMATCH", { params: { path: ctx.path, source: ctx.keySource } });
  }
  const header = file.subarray(0, HEADER_LENGTH);
  const nonce = file.subarray(18, 18 + NONCE_LENGTH);
  const body = file.subarray(HEADER_LENGTH, HEADER_LENGTH + length);
  const tag = file.subarray(HEADER_LENGTH + length);
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: TAG_LENGTH });
    decipher.setAAD(header);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch (e) {
    throw new SamkitError("SAMKIT_STORE_FILE_TAMPERED", {
      params: { path: ctx.path, reason: "the authentication tag does not match" },
      cause: e,
    });
  }
}
