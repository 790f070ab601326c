/**
 * RS256 compact JWS for the emulator's hot path (every token it issues, every bearer token its
 * services check), with synchronous `node:crypto` sign/verify.
 *
 * Why not `jose` here: jose 6 signs and verifies through WebCrypto, and on Node 20 each WebCrypto
 * RSA operation is dispatched as a crypto job — measured in the emulator at ~0.5 ms per signature
 * and ~0.37 ms per verification against ~0.3 ms and ~0.02 ms for `crypto.sign`/`crypto.verify`
 * (docs/performance.md). jose stays the independent check: samkit, openid-client and MSAL verify
 * or decode these tokens in the tests. Client assertions (rare) are still verified with jose.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-3.1 (JWS compact serialization)
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-3.3 (RS256: RSASSA-PKCS1-v1_5 with SHA-256)
 */
import { sign, verify, type KeyObject } from "node:crypto";

/** A JSON object (JOSE header or JWT claims set). */
export type JsonObject = Record<string, unknown>;

const b64url = (o: JsonObject): string => Buffer.from(JSON.stringify(o), "utf8").toString("base64url");

/** Sign `payload` under `header` (its `alg` is set to RS256). Returns `header.payload.signature`. */
export function signRs256(header: JsonObject, payload: JsonObject, privateKey: KeyObject): string {
  const input = `${b64url({ ...header, alg: "RS256" })}.${b64url(payload)}`;
  return `${input}.${sign("sha256", Buffer.from(input, "ascii"), privateKey).toString("base64url")}`;
}

/** Why {@link verifyRs256} rejected a token. */
export type JwsFailure = "malformed" | "invalid_signature";

/**
 * Check a compact JWS: three base64url parts, a JSON header with `alg` RS256 and no `crit`, a
 * valid signature by `publicKey`, and a JSON object payload. Checks no claims (the caller does).
 */
export function verifyRs256(token: string, publicKey: KeyObject): { ok: true; header: JsonObject; payload: JsonObject } | { ok: false; reason: JwsFailure } {
  const parts = token.split(".");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return { ok: false, reason: "malformed" };
  const header = parseJson(parts[0]!);
  if (header === undefined || header["alg"] !== "RS256" || header["crit"] !== undefined) return { ok: false, reason: "malformed" };
  const valid = verify("sha256", Buffer.from(`${parts[0]}.${parts[1]}`, "ascii"), publicKey, Buffer.from(parts[2]!, "base64url"));
  if (!valid) return { ok: false, reason: "invalid_signature" };
  const payload = parseJson(parts[1]!);
  if (payload === undefined) return { ok: false, reason: "malformed" };
  return { ok: true, header, payload };
}

function parseJson(part: string): JsonObject | undefined {
  try {
    const v = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown;
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}
