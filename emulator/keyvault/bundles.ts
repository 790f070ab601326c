/**
 * Wire shapes of the secrets API (SecretBundle, SecretItem, DeletedSecretBundle/Item). Every `id`
 * starts with the origin the client called, because `@azure/keyvault-secrets` parses ids as
 * `{origin}/secrets/{name}[/{version}]` (facts/sdk-interop.md §3).
 * @see https://learn.microsoft.com/rest/api/keyvault/secrets/get-secret/get-secret#secretbundle
 */
import { RECOVERABLE_DAYS, RECOVERY_LEVEL, type DeletedSecret, type StoredVersion } from "./store.js";

/** `SecretAttributes` (times in epoch seconds). */
export interface SecretAttributesWire {
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  recoveryLevel: string;
  recoverableDays: number;
}

function attributes(v: StoredVersion): SecretAttributesWire {
  const a: SecretAttributesWire = {
    enabled: v.enabled,
    created: v.created,
    updated: v.updated,
    recoveryLevel: RECOVERY_LEVEL,
    recoverableDays: RECOVERABLE_DAYS,
  };
  if (v.notBefore !== undefined) a.nbf = v.notBefore;
  if (v.expires !== undefined) a.exp = v.expires;
  return a;
}

function optional(v: StoredVersion): { contentType?: string; tags?: Record<string, string> } {
  const o: { contentType?: string; tags?: Record<string, string> } = {};
  if (v.contentType !== null) o.contentType = v.contentType;
  if (Object.keys(v.tags).length > 0) o.tags = v.tags;
  return o;
}

const enc = encodeURIComponent;

/** `SecretBundle`: value, versioned id, attributes. */
export function secretBundle(origin: string, v: StoredVersion): Record<string, unknown> {
  return { value: v.value, id: `${origin}/secrets/${enc(v.name)}/${v.version}`, ...optional(v), attributes: attributes(v) };
}

/** `SecretItem` in `GET /secrets` (unversioned id) or `GET /secrets/{name}/versions` (versioned). */
export function secretItem(origin: string, v: StoredVersion, versioned: boolean): Record<string, unknown> {
  const id = `${origin}/secrets/${enc(v.name)}${versioned ? `/${v.version}` : ""}`;
  return { id, ...optional(v), attributes: attributes(v) };
}

function deletedFields(origin: string, d: DeletedSecret): Record<string, unknown> {
  return {
    recoveryId: `${origin}/deletedsecrets/${enc(d.name)}`,
    deletedDate: d.deletedDate,
    scheduledPurgeDate: d.scheduledPurgeDate,
  };
}

/** `DeletedSecretBundle` (DELETE /secrets/{name}, GET /deletedsecrets/{name}); no value. */
export function deletedBundle(origin: string, d: DeletedSecret): Record<string, unknown> {
  const latest = d.versions.at(-1);
  if (!latest) return { ...deletedFields(origin, d), id: `${origin}/secrets/${enc(d.name)}` };
  return {
    ...deletedFields(origin, d),
    id: `${origin}/secrets/${enc(d.name)}/${latest.version}`,
    ...optional(latest),
    attributes: attributes(latest),
  };
}

/** `DeletedSecretItem` in `GET /deletedsecrets`. */
export function deletedItem(origin: string, d: DeletedSecret): Record<string, unknown> {
  const latest = d.versions.at(-1);
  return {
    ...deletedFields(origin, d),
    id: `${origin}/secrets/${enc(d.name)}`,
    ...(latest ? { ...optional(latest), attributes: attributes(latest) } : {}),
  };
}
