/**
 * Client authentication at the token endpoint: `client_secret_post` with a secret, or
 * `private_key_jwt` with a certificate (RFC 7523 §2.2). Entra ID identifies the certificate by
 * its thumbprint in the assertion header (`x5t`, SHA-1; `x5t#S256`, SHA-256) and wants `aud` =
 * the token endpoint.
 *
 * @see https://learn.microsoft.com/entra/identity-platform/certificate-credentials
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
import { createHash, createPrivateKey, X509Certificate } from "node:crypto";
import * as client from "openid-client";
import { importPKCS8 } from "jose";
import { SamkitError } from "../errors/index.js";
import type { ClientCredentials } from "./types.js";

/** SHA-1 and SHA-256 thumbprints of a PEM certificate, base64url (JWS `x5t` / `x5t#S256`). */
export interface CertificateThumbprints {
  readonly x5t: string;
  readonly x5tS256: string;
  /** SHA-256 thumbprint, upper-case hex (what `PartnerProfile.certificate.thumbprintSha256` stores). */
  readonly sha256Hex: string;
  /** SHA-1 thumbprint, upper-case hex (what Graph calls `customKeyIdentifier`). */
  readonly sha1Hex: string;
}

/**
 * Thumbprints of a PEM certificate.
 * @throws SamkitError `SAMKIT_OAUTH_BAD_CLIENT_CREDENTIALS` when the PEM is not a certificate.
 */
export function certificateThumbprints(certificatePem: string, clientId = "?"): CertificateThumbprints {
  let der: Buffer;
  try {
    der = new X509Certificate(certificatePem).raw;
  } catch (cause) {
    throw new SamkitError("SAMKIT_OAUTH_BAD_CLIENT_CREDENTIALS", {
      params: { clientId, detail: "the certificate is not a readable PEM X.509 certificate" },
      cause,
    });
  }
  const sha1 = createHash("sha1").update(der).digest();
  const sha256 = createHash("sha256").update(der).digest();
  return {
    x5t: sha1.toString("base64url"),
    x5tS256: sha256.toString("base64url"),
    sha256Hex: sha256.toString("hex").toUpperCase(),
    sha1Hex: sha1.toString("hex").toUpperCase(),
  };
}

async function importRsaKey(privateKeyPem: string, clientId: string): Promise<client.CryptoKey> {
  try {
    // Accept PKCS#1 ("RSA PRIVATE KEY") and PKCS#8; jose wants PKCS#8.
    const pkcs8 = createPrivateKey(privateKeyPem).export({ type: "pkcs8", format: "pem" }).toString();
    return await importPKCS8(pkcs8, "RS256");
  } catch (cause) {
    throw new SamkitError("SAMKIT_OAUTH_BAD_CLIENT_CREDENTIALS", {
      params: { clientId, detail: "the private key is not a readable PEM RSA key" },
      cause,
    });
  }
}

/** Imported certificate keys by PEM pair: a fan-out signs one assertion per tenant with the same key. */
const certificateKeys = new Map<string, Promise<{ thumbs: CertificateThumbprints; key: client.CryptoKey }>>();
/** Distinct certificates remembered at most (a process normally uses one or two). */
const CERTIFICATE_KEYS_MAX = 8;

/** Thumbprints and the imported private key of a certificate credential, imported once per process. */
function certificateKey(privateKeyPem: string, certificatePem: string, clientId: string): Promise<{ thumbs: CertificateThumbprints; key: client.CryptoKey }> {
  const id = `${certificatePem}\n${privateKeyPem}`;
  let entry = certificateKeys.get(id);
  if (entry === undefined) {
    if (certificateKeys.size >= CERTIFICATE_KEYS_MAX) certificateKeys.clear();
    entry = (async () => ({ thumbs: certificateThumbprints(certificatePem, clientId), key: await importRsaKey(privateKeyPem, clientId) }))();
    certificateKeys.set(id, entry);
    entry.catch(() => certificateKeys.delete(id)); // a bad key is reported again next time, not cached
  }
  return entry;
}

/**
 * The openid-client `ClientAuth` for `credentials`: certificate wins over secret when both
 * are given; neither ⇒ a public client (`none`, used by device-code and admin sign-in).
 *
 * @param tokenEndpoint Used as the assertion's `aud` (Entra ID requirement).
 * @throws SamkitError `SAMKIT_OAUTH_BAD_CLIENT_CREDENTIALS` for an unreadable key/certificate.
 */
export async function clientAuthFor(credentials: ClientCredentials, tokenEndpoint: string): Promise<client.ClientAuth> {
  if (credentials.certificate) {
    const { privateKeyPem, certificatePem } = credentials.certificate;
    const { thumbs, key } = await certificateKey(privateKeyPem, certificatePem, credentials.clientId);
    return client.PrivateKeyJwt(key, {
      [client.modifyAssertion]: (header, payload) => {
        header.x5t = thumbs.x5t;
        header["x5t#S256"] = thumbs.x5tS256;
        payload.aud = tokenEndpoint;
      },
    });
  }
  if (credentials.clientSecret !== undefined) return client.ClientSecretPost(credentials.clientSecret);
  return client.None();
}
