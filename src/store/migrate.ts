import { SamkitError, isSamkitError, type SamkitErrorCode } from "../errors/index.js";
import { profileSecretNames } from "./names.js";
import { readProfile, writeProfile, type ProfileOptions } from "./profile.js";
import type { PartnerProfile, SecretStore, SecretStoreCallOptions } from "./types.js";

/** Errors of reading a profile that is present but incomplete or invalid (overwritable with --force). */
const DAMAGED_PROFILE: ReadonlySet<SamkitErrorCode> = new Set<SamkitErrorCode>([
  "SAMKIT_STORE_PROFILE_INCOMPLETE",
  "SAMKIT_STORE_METADATA_INVALID",
  "SAMKIT_STORE_SECRET_INVALID",
]);

/** Options of {@link copyProfile}. */
export interface CopyProfileOptions extends SecretStoreCallOptions {
  /** Secret-name prefix of the profile in both stores (config `secretPrefix`). */
  readonly secretPrefix?: string | undefined;
  /** Cloud reported for a source profile without samkit metadata. */
  readonly defaultCloud?: string | undefined;
  /** Overwrite the profile if the target already holds it. Default false. */
  readonly overwrite?: boolean;
}

/** What {@link copyProfile} did. */
export interface CopyProfileResult {
  readonly profile: string;
  readonly from: string;
  readonly to: string;
  /** Secret names written to the target. */
  readonly secrets: readonly string[];
}

function sameProfile(
  a: PartnerProfile,
  b: PartnerProfile,
  names: ReturnType<typeof profileSecretNames>,
): string | undefined {
  if (a.clientId !== b.clientId) return names.clientId;
  if (a.tenantId !== b.tenantId) return names.tenantId;
  if (a.clientSecret !== b.clientSecret) return names.clientSecret;
  if (a.refreshToken !== b.refreshToken) return names.refreshToken;
  if (JSON.stringify(a.certificate ?? null) !== JSON.stringify(b.certificate ?? null))
    return names.certificate;
  if (a.cloud !== b.cloud) return names.profile;
  if (a.metadata.refreshTokenRotatedAt !== b.metadata.refreshTokenRotatedAt)
    return `${names.refreshToken} (rotation time)`;
  for (const k of ["consentedAt", "consentedBy", "mfaAtConsent", "secretExpiresAt", "secretKeyId"] as const) {
    if (a.metadata[k] !== b.metadata[k]) return names.profile;
  }
  return undefined;
}

/**
 * Copies one profile from `from` to `to` (`samkit store migrate`, docs/store.md): reads it (values
 * validated), writes every part to the target with the same names, tags and refresh-token
 * rotation time, then reads it back from the target and compares every field. The source is not
 * changed. Takes the target's lock while writing and verifying.
 * @throws SamkitError `SAMKIT_STORE_PROFILE_NOT_FOUND` (nothing in the source),
 *   `SAMKIT_STORE_MIGRATE_TARGET_EXISTS` (target already has the profile and `overwrite` is not
 *   set; exit 2), the target's access errors as they are (e.g. `SAMKIT_STORE_KV_UNAUTHENTICATED`),
 *   `SAMKIT_STORE_MIGRATE_VERIFY_FAILED`, and both stores' own errors
 */
export async function copyProfile(
  from: SecretStore,
  to: SecretStore,
  profile: string,
  options: CopyProfileOptions = {},
): Promise<CopyProfileResult> {
  const po: ProfileOptions = {
    ...(options.secretPrefix !== undefined ? { secretPrefix: options.secretPrefix } : {}),
    ...(options.defaultCloud !== undefined ? { defaultCloud: options.defaultCloud } : {}),
    ...(options.abortSignal !== undefined ? { abortSignal: options.abortSignal } : {}),
  };
  const source = await readProfile(from, profile, po);
  if (source === undefined) {
    throw new SamkitError("SAMKIT_STORE_PROFILE_NOT_FOUND", { params: { profile, store: from.description } });
  }
  return to.withLock(
    async () => {
      // Only a profile that is there (complete or damaged) needs --force; a target that cannot be
      // read at all (no credentials, no vault, I/O) fails with its own store error.
      const existing = await readProfile(to, profile, po).catch((err: unknown) => {
        if (isSamkitError(err) && DAMAGED_PROFILE.has(err.code)) return "damaged" as const;
        throw err;
      });
      if (existing !== undefined && !options.overwrite) {
        throw new SamkitError("SAMKIT_STORE_MIGRATE_TARGET_EXISTS", {
          params: { profile, store: to.description, from: from.description, state: existing === "damaged" ? " (incomplete or damaged)" : "" },
        });
      }
      const { refreshTokenPersistedAt: _p, ...metadata } = source.metadata;
      await writeProfile(to, { ...source, metadata }, { ...po, replace: true });
      const copy = await readProfile(to, profile, po);
      const names = profileSecretNames(profile, options.secretPrefix);
      const differs = copy === undefined ? names.clientId : sameProfile(source, copy, names);
      if (differs !== undefined) {
        throw new SamkitError("SAMKIT_STORE_MIGRATE_VERIFY_FAILED", {
          params: { profile, store: to.description, name: differs },
        });
      }
      const secrets = [
        names.clientId,
        names.tenantId,
        ...(source.clientSecret !== undefined ? [names.clientSecret] : []),
        ...(source.certificate !== undefined ? [names.certificate] : []),
        ...(source.refreshToken !== undefined ? [names.refreshToken] : []),
        names.profile,
      ];
      return { profile, from: from.description, to: to.description, secrets };
    },
    options.abortSignal ? { abortSignal: options.abortSignal } : {},
  );
}
