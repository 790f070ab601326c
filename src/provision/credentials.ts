/**
 * New app credentials: a client secret via Graph `addPassword`, or a self-signed certificate
 * (RSA 2048, SHA-256) whose public part goes into `keyCredentials` and whose private key goes
 * only to the secret store.
 *
 * @see https://learn.microsoft.com/graph/api/application-addpassword
 * @see https://learn.microsoft.com/entra/identity-platform/certificate-credentials
 */
import { randomUUID, X509Certificate } from "node:crypto";
import { generate } from "selfsigned";
import { nowMs } from "../clock.js";
import { certificateThumbprints } from "../oauth/client-auth.js";
import { SamkitError } from "../errors/index.js";
import { addPassword, getApplicationKeys, removePassword, updateApplication, type GraphClient, type KeyCredentialInfo } from "../graph/index.js";

/** A credential just added to the app (secret values live only in memory until stored). */
export type AddedCredential =
  | { readonly kind: "secret"; readonly keyId: string; readonly secret: string; readonly expiresAt: string }
  | {
      readonly kind: "certificate";
      readonly keyId: string;
      readonly certificate: { readonly privateKeyPem: string; readonly certificatePem: string; readonly thumbprintSha256: string };
      readonly expiresAt: string;
    };

/** Certificate validity in days (default 730 = 2 years, the portal's longest secret lifetime). */
export const CERTIFICATE_DAYS = 730;

/** Display name samkit gives its credentials (date-stamped, so rotations are visible in the portal). */
export function credentialLabel(): string {
  return `samkit ${new Date(nowMs()).toISOString().slice(0, 10)}`;
}

/** Adds a client secret to the app. */
export async function addSecretCredential(graph: GraphClient, objectId: string): Promise<AddedCredential> {
  const added = await addPassword(graph, objectId, credentialLabel());
  return { kind: "secret", keyId: added.keyId, secret: added.secretText, expiresAt: added.endDateTime };
}

/**
 * The app's current `keyCredentials` with their `key` values, ready to PATCH back (Graph replaces
 * the whole collection). Graph returns `key` only for `$select=keyCredentials` on one object;
 * where it is missing, samkit fills it from the certificates it holds (`knownCertificatePems`,
 * matched by SHA-1 thumbprint). A certificate it cannot fill is never dropped silently.
 * @throws SamkitError `SAMKIT_APP_GRAPH_FAILED` when a key value is missing and unknown
 */
async function currentKeys(graph: GraphClient, objectId: string, knownCertificatePems: readonly string[]): Promise<KeyCredentialInfo[]> {
  const known = new Map(knownCertificatePems.map((pem) => [certificateThumbprints(pem).sha1Hex, new X509Certificate(pem).raw.toString("base64")]));
  const out: KeyCredentialInfo[] = [];
  for (const k of await getApplicationKeys(graph, objectId)) {
    if (typeof k.key === "string" && k.key !== "") {
      out.push(k);
      continue;
    }
    const key = known.get((k.customKeyIdentifier ?? "").toUpperCase());
    if (key === undefined) {
      throw new SamkitError("SAMKIT_APP_GRAPH_FAILED", {
        params: {
          operation: "reading the app's certificates",
          detail: `Graph did not return the public key of certificate ${k.keyId ?? k.customKeyIdentifier ?? "?"}, so it could not be kept; add the new certificate in the portal instead`,
        },
      });
    }
    out.push({
      ...(k.keyId !== undefined ? { keyId: k.keyId } : {}),
      type: k.type,
      usage: k.usage,
      key,
      ...(k.displayName != null ? { displayName: k.displayName } : {}),
      ...(k.endDateTime != null ? { endDateTime: k.endDateTime } : {}),
    });
  }
  return out;
}

/**
 * Generates a certificate and appends it to the app's `keyCredentials`.
 * @param knownCertificatePems certificates samkit already holds for this app (to keep them when Graph omits `key`)
 */
export async function addCertificateCredential(graph: GraphClient, objectId: string, appName: string, knownCertificatePems: readonly string[] = []): Promise<AddedCredential> {
  const notBefore = new Date(nowMs() - 5 * 60 * 1000);
  const notAfter = new Date(notBefore.getTime() + CERTIFICATE_DAYS * 24 * 3600 * 1000);
  const pems = await generate([{ name: "commonName", value: appName.slice(0, 64) }], { keySize: 2048, algorithm: "sha256", notBeforeDate: notBefore, notAfterDate: notAfter });
  const der = new X509Certificate(pems.cert).raw;
  const thumbs = certificateThumbprints(pems.cert);
  const existing = await currentKeys(graph, objectId, knownCertificatePems);
  const keyId = randomUUID();
  const entry: KeyCredentialInfo = {
    keyId,
    type: "AsymmetricX509Cert",
    usage: "Verify",
    key: der.toString("base64"),
    displayName: credentialLabel(),
    endDateTime: notAfter.toISOString(),
  };
  await updateApplication(graph, objectId, { keyCredentials: [...existing, entry] });
  return {
    kind: "certificate",
    keyId,
    certificate: { privateKeyPem: pems.private, certificatePem: pems.cert, thumbprintSha256: thumbs.sha256Hex },
    expiresAt: notAfter.toISOString(),
  };
}

/**
 * Removes a credential by key ID (secret via `removePassword`, certificate by rewriting `keyCredentials`).
 * @param knownCertificatePems certificates samkit holds for this app (see {@link addCertificateCredential})
 */
export async function removeCredential(graph: GraphClient, objectId: string, kind: "secret" | "certificate", keyId: string, knownCertificatePems: readonly string[] = []): Promise<void> {
  if (kind === "secret") {
    await removePassword(graph, objectId, keyId);
    return;
  }
  const existing = await currentKeys(graph, objectId, knownCertificatePems);
  await updateApplication(graph, objectId, { keyCredentials: existing.filter((k) => (k.keyId ?? "").toLowerCase() !== keyId.toLowerCase()) });
}
