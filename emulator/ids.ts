/**
 * Deterministic identifiers for the seeded world: every GUID, secret and name is a pure function
 * of the seed and a label, so two emulators started with the same seed describe the same world.
 */
import { createHash, randomBytes } from "node:crypto";

/** SHA-256 of `seed:label` as bytes. */
function digest(seed: string, label: string): Buffer {
  return createHash("sha256").update(seed).update("\u0000").update(label).digest();
}

/** A version-4-shaped lower-case GUID derived from `seed` and `label`. */
export function seededGuid(seed: string, label: string): string {
  const b = digest(seed, label);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.subarray(0, 16).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** A URL-safe secret-looking string (Entra client secrets are ~40 chars with a `~`). */
export function seededSecret(seed: string, label: string): string {
  const b = digest(seed, label).toString("base64url").replace(/[-_]/g, "x");
  return `${b.slice(0, 3)}8Q~${b.slice(3, 40)}`;
}

/** A deterministic integer in [0, n). */
export function seededInt(seed: string, label: string, n: number): number {
  return digest(seed, label).readUInt32BE(0) % n;
}

/** A random lower-case GUID (non-deterministic: trace ids, request ids). */
export function randomGuid(): string {
  return crypto.randomUUID();
}

/** A random opaque token string of `bytes` bytes, base64url. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
