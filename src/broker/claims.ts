/**
 * Non-secret claims of an access token, for `samkit token --json` and the broker's tenant ID.
 * Decoding only (no signature check: Microsoft API tokens are opaque to clients and verified by
 * the resource). Claims are copied by allow-list; anything not listed is dropped.
 *
 * @see https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference
 */

/** Claims `samkit token --json` may print. */
export const PRINTABLE_CLAIMS = [
  "aud",
  "iss",
  "tid",
  "appid",
  "azp",
  "appidacr",
  "azpacr",
  "idtyp",
  "ver",
  "scp",
  "roles",
  "amr",
  "acr",
  "upn",
  "unique_name",
  "preferred_username",
  "oid",
  "iat",
  "nbf",
  "exp",
  "wids",
] as const;

/** jose's decoder, imported on first use (a warm `samkit token` without `--json` never needs it). */
let decoder: Promise<typeof import("jose/jwt/decode")> | undefined;

/** Decode a JWT's payload; `undefined` when `token` is not a JWT (opaque tokens are allowed). */
export async function decodeClaims(token: string): Promise<Record<string, unknown> | undefined> {
  decoder ??= import("jose/jwt/decode");
  const { decodeJwt } = await decoder;
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

/** The allow-listed claims of `token` (an empty object for an opaque token). */
export async function printableClaims(token: string): Promise<Record<string, unknown>> {
  const all = await decodeClaims(token);
  const out: Record<string, unknown> = {};
  if (all === undefined) return out;
  for (const name of PRINTABLE_CLAIMS) {
    if (all[name] !== undefined) out[name] = all[name];
  }
  return out;
}

/** The `tid` claim of `token`, when it is a JWT that has one. */
export async function tenantIdOf(token: string): Promise<string | undefined> {
  const tid = (await decodeClaims(token))?.["tid"];
  return typeof tid === "string" && tid !== "" ? tid.toLowerCase() : undefined;
}
