/**
 * Deterministic identifiers for the seeded world: every GUID, secret and name is a pure function
 * of the seed and a label, so two emulators started with the same seed describe the same world.
 */
import { createHash, randomBytes } from "node:crypto";

/** SHA-256 of `seed:label` as bytes. */
function digest(seed: string, label: string): Buffer {
  return createHash("sha256").update(seed).update("\u0000").update(label).digest();
}

/**
 * cyrb128: a fast, well-mixed 128-bit non-cryptographic string hash (four 32-bit lanes). Seeded
 * ids need determinism and spread, not secrecy; SHA-256 per id made 10,000 customers slow.
 */
function cyrb128(str: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < str.length; i++) {
    const k = str.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

const hex8 = (n: number): string => n.toString(16).padStart(8, "0");

/** A version-4-shaped lower-case GUID derived from `seed` and `label` (deterministic). */
export function seededGuid(seed: string, label: string): string {
  const [a, b, c, d] = cyrb128(`${seed}\u0000${label}`);
  const h = hex8(a) + hex8(b) + hex8(c) + hex8(d);
  const v = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${v}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A URL-safe secret-looking string (Entra client secrets are ~40 chars with a `~`). */
export function seededSecret(seed: string, label: string): string {
  const b = digest(seed, label).toString("base64url").replace(/[-_]/g, "x");
  return `${b.slice(0, 3)}8Q~${b.slice(3, 40)}`;
}

/** A deterministic integer in [0, n). */
export function seededInt(seed: string, label: string, n: number): number {
  return cyrb128(`${seed}\u0000${label}`)[0] % n;
}

/** A random lower-case GUID (non-deterministic: trace ids, request ids). */
export function randomGuid(): string {
  return crypto.randomUUID();
}

/** A random opaque token string of `bytes` bytes, base64url. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
