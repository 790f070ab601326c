/**
 * The emulator's token-signing key: one RS256 key pair per process (generated once, reused by
 * every EmulatorServer in the process and across `reset()`), wrapped in a self-signed certificate
 * so the JWKS carries `x5c` and `x5t` like Entra's. `kid` = `x5t` (base64url SHA-1 of the DER), as
 * Entra does.
 * @see https://learn.microsoft.com/entra/identity-platform/access-tokens (signing keys)
 */
import { createHash, KeyObject, X509Certificate } from "node:crypto";
import { exportJWK, exportPKCS8, exportSPKI, generateKeyPair, type JWK } from "jose";
import { generate } from "selfsigned";

/** A signing key with its public JWK and certificate. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Public JWK (`kty`, `n`, `e`, `kid`, `x5t`, `x5c`, `use`, `alg`). */
  readonly jwk: JWK & { kid: string };
}

/** The key set: the active key (and room for rotation later). */
export interface EmulatorKeys {
  readonly active: SigningKey;
  /** JWKS document for `{authorityHost}`, cached per host (per-key `issuer` template). */
  jwks(authorityHost: string): string;
}

let shared: Promise<SigningKey> | undefined;

async function createSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true, modulusLength: 2048 });
  const pem = { privateKey: await exportPKCS8(privateKey), publicKey: await exportSPKI(publicKey) };
  const now = Date.now();
  const cert = await generate([{ name: "commonName", value: "samkit emulator token signing" }], {
    keyPair: pem,
    algorithm: "sha256",
    notBeforeDate: new Date(now - 86_400_000),
    notAfterDate: new Date(now + 5 * 365 * 86_400_000),
  });
  const der = new X509Certificate(cert.cert).raw;
  const x5t = createHash("sha1").update(der).digest("base64url");
  const jwk = await exportJWK(publicKey);
  return {
    kid: x5t,
    // node:crypto KeyObjects: jws.ts signs and verifies with synchronous crypto.sign/verify.
    privateKey: KeyObject.from(privateKey),
    publicKey: KeyObject.from(publicKey),
    jwk: { kty: "RSA", use: "sig", kid: x5t, x5t, n: jwk.n!, e: jwk.e!, x5c: [der.toString("base64")] },
  };
}

/**
 * The process-wide signing key (generated on first call, ~100 ms). Stable for the process
 * lifetime, so tokens stay valid across `EmulatorServer.reset()`.
 */
export function loadSigningKey(): Promise<SigningKey> {
  shared ??= createSigningKey();
  return shared;
}

/** Build the key set around a signing key. */
export function createKeys(active: SigningKey): EmulatorKeys {
  const cache = new Map<string, string>();
  return {
    active,
    jwks(authorityHost: string): string {
      let doc = cache.get(authorityHost);
      if (!doc) {
        doc = JSON.stringify({ keys: [{ ...active.jwk, issuer: `${authorityHost}/{tenantid}/v2.0` }] });
        cache.set(authorityHost, doc);
      }
      return doc;
    },
  };
}
