/**
 * `samkit app rotate-secret`: add a new credential, store it, prove it with a client-credentials
 * request, then remove the old credential. Any failure before the old one is removed rolls back:
 * the stored profile is restored and the new credential is removed from the app.
 *
 * @see https://learn.microsoft.com/graph/api/application-addpassword
 */
import type { CloudDefinition } from "../cloud/types.js";
import { SamkitError, isSamkitError } from "../errors/index.js";
import { findApplicationByAppId, type GraphClient } from "../graph/index.js";
import type { HttpClient } from "../http/types.js";
import { clientCredentials, type ClientCredentials } from "../oauth/index.js";
import { readProfile, writeProfile } from "../store/profile.js";
import type { PartnerProfile, SecretStore } from "../store/types.js";
import { addCertificateCredential, addSecretCredential, removeCredential, type AddedCredential } from "./credentials.js";

/** Options of {@link rotateAppCredential}. */
export interface RotateOptions {
  readonly graph: GraphClient;
  readonly store: SecretStore;
  readonly cloud: CloudDefinition;
  readonly http: HttpClient;
  readonly profile: string;
  readonly secretPrefix?: string;
  /** Credential kind to add; default: the kind the profile uses now. */
  readonly credential?: "secret" | "certificate";
  /** Attempts to prove the new credential (replication can lag), default 5, with `proofDelayMs` between. */
  readonly proofAttempts?: number;
  /** Milliseconds between proof attempts (default 3000). */
  readonly proofDelayMs?: number;
  readonly abortSignal?: AbortSignal;
}

/** What a rotation did (no secret values unless `secret` is printed on request). */
export interface RotateResult {
  readonly clientId: string;
  readonly kind: "secret" | "certificate";
  readonly newKeyId: string;
  readonly expiresAt: string;
  /** The removed credential's key ID; `undefined` when samkit did not know which one was stored. */
  readonly removedKeyId: string | undefined;
  readonly warnings: readonly string[];
  /** The new secret value (only for `kind: "secret"`; print only with `--show-secret`). */
  readonly secret: string | undefined;
}

function credsOf(p: PartnerProfile, added: AddedCredential): ClientCredentials {
  return added.kind === "secret"
    ? { clientId: p.clientId, clientSecret: added.secret }
    : { clientId: p.clientId, certificate: { privateKeyPem: added.certificate.privateKeyPem, certificatePem: added.certificate.certificatePem } };
}

/**
 * @throws SamkitError `SAMKIT_CONSENT_NO_APP` (no profile), `SAMKIT_APP_NOT_FOUND`,
 *   `SAMKIT_APP_CREDENTIAL_PROOF_FAILED` (rolled back), `SAMKIT_APP_GRAPH_FAILED`, store errors
 */
export async function rotateAppCredential(o: RotateOptions): Promise<RotateResult> {
  const profileOptions = { ...(o.secretPrefix !== undefined ? { secretPrefix: o.secretPrefix } : {}), defaultCloud: o.cloud.name };
  const old = await readProfile(o.store, o.profile, profileOptions);
  if (old === undefined) throw new SamkitError("SAMKIT_CONSENT_NO_APP", { params: { profile: o.profile } });
  const app = await findApplicationByAppId(o.graph, old.clientId);
  if (app === undefined) throw new SamkitError("SAMKIT_APP_NOT_FOUND", { params: { clientId: old.clientId, tenant: old.tenantId } });
  const oldKind: "secret" | "certificate" = old.certificate !== undefined && old.clientSecret === undefined ? "certificate" : "secret";
  const kind = o.credential ?? oldKind;

  const oldPems = old.certificate !== undefined ? [old.certificate.certificatePem] : [];
  const added = kind === "secret" ? await addSecretCredential(o.graph, app.id) : await addCertificateCredential(o.graph, app.id, app.displayName, oldPems);
  const knownPems = [...oldPems, ...(added.kind === "certificate" ? [added.certificate.certificatePem] : [])];
  const rollback = async (): Promise<void> => {
    await writeProfile(o.store, old, { ...profileOptions, replace: true }).catch(() => undefined);
    await removeCredential(o.graph, app.id, added.kind, added.keyId, knownPems).catch(() => undefined);
  };

  const next: PartnerProfile = {
    profile: old.profile,
    cloud: old.cloud,
    tenantId: old.tenantId,
    clientId: old.clientId,
    ...(added.kind === "secret" ? { clientSecret: added.secret } : { certificate: added.certificate }),
    ...(old.refreshToken !== undefined ? { refreshToken: old.refreshToken } : {}),
    metadata: { ...old.metadata, secretExpiresAt: added.expiresAt, secretKeyId: added.keyId },
  };
  try {
    await writeProfile(o.store, next, { ...profileOptions, replace: true });
  } catch (err) {
    await rollback();
    throw err;
  }

  const attempts = Math.max(1, o.proofAttempts ?? 5);
  let lastError: unknown;
  for (let i = 0; i < attempts; i += 1) {
    try {
      await clientCredentials(
        { cloud: o.cloud, tenant: old.tenantId, client: credsOf(old, added), http: o.http, ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}) },
        [`${o.cloud.resources.graph.resourceId}/.default`],
      );
      lastError = undefined;
      break;
    } catch (err) {
      lastError = err;
      if (i + 1 < attempts) await new Promise((r) => setTimeout(r, o.proofDelayMs ?? 3000));
    }
  }
  if (lastError !== undefined) {
    await rollback();
    const detail = isSamkitError(lastError) ? `${lastError.code}${lastError.aadsts !== undefined ? ` AADSTS${lastError.aadsts}` : ""}` : lastError instanceof Error ? lastError.message : "unknown error";
    throw new SamkitError("SAMKIT_APP_CREDENTIAL_PROOF_FAILED", { params: { clientId: old.clientId, detail }, cause: lastError });
  }

  const warnings: string[] = [];
  const oldKeyId = old.metadata.secretKeyId;
  let removedKeyId: string | undefined;
  if (oldKeyId === undefined) {
    warnings.push("samkit did not know which credential was stored before, so none was removed; remove old secrets in the portal if they are unused.");
  } else {
    try {
      await removeCredential(o.graph, app.id, oldKind, oldKeyId, knownPems);
      removedKeyId = oldKeyId;
    } catch (err) {
      warnings.push(`the old credential ${oldKeyId} could not be removed (${isSamkitError(err) ? err.message : String(err)}); remove it in the portal.`);
    }
  }
  return { clientId: old.clientId, kind, newKeyId: added.keyId, expiresAt: added.expiresAt, removedKeyId, warnings, secret: added.kind === "secret" ? added.secret : undefined };
}
