import { z } from "zod/v3";
import { nowMs } from "../clock.js";
import { SamkitError } from "../errors/index.js";
import {
  DEFAULT_PROFILE,
  PART_TAG,
  SECRET_PARTS,
  TAGS,
  assertProfileName,
  canonicalName,
  profilePrefix,
  profileSecretNames,
  type ProfileSecretNames,
  type SecretPart,
} from "./names.js";
import type {
  PartnerProfile,
  ProfileMetadata,
  SecretStore,
  SecretStoreCallOptions,
  StoredSecret,
} from "./types.js";
import { isUnsetValue, validateSecretValue, type SecretKind } from "./validate.js";

/**
 * The profile layer (docs/storage.md §1, §2, §5): a {@link PartnerProfile} as a handful of secrets
 * whose names existing SAM Key Vaults already use, plus the rotation-time rule for refresh tokens.
 */

/** Options shared by the profile functions. */
export interface ProfileOptions extends SecretStoreCallOptions {
  /** Secret-name prefix of the profile; default `""` for `default`, `"<profile>-"` otherwise. */
  readonly secretPrefix?: string;
  /** Cloud to report when the store has no samkit metadata (a vault another tool filled). Default `global`. */
  readonly defaultCloud?: string;
}

/** Options of {@link writeProfile}. */
export interface WriteProfileOptions extends ProfileOptions {
  /**
   * `false` (default): parts absent from the profile (secret, certificate, refresh token) are
   * left as stored. `true`: they are deleted, so the store holds exactly this profile.
   */
  readonly replace?: boolean;
}

/** One entry of {@link listProfiles}. */
export interface ProfileListEntry {
  readonly profile: string;
  readonly secretPrefix: string;
  /** `samkit`: has a `SamkitProfile` metadata secret; `foreign`: unprefixed secrets another SAM tool wrote. */
  readonly origin: "samkit" | "foreign";
}

/** Current format of the `SamkitProfile` metadata secret. */
export const PROFILE_METADATA_FORMAT = 1;

const metadataSchema = z.object({
  format: z.literal(PROFILE_METADATA_FORMAT),
  profile: z.string(),
  cloud: z.string().min(1),
  secretPrefix: z.string(),
  metadata: z
    .object({
      consentedAt: z.string().optional(),
      consentedBy: z.string().optional(),
      mfaAtConsent: z.boolean().optional(),
      secretExpiresAt: z.string().optional(),
      secretKeyId: z.string().optional(),
    })
    .passthrough(),
});
type MetadataDocument = z.infer<typeof metadataSchema>;

const certificateSchema = z.object({
  privateKeyPem: z.string().min(1),
  certificatePem: z.string().min(1),
  thumbprintSha256: z.string().min(1),
});

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Parses an ISO 8601 time to epoch ms, or `undefined`. */
function parseIso(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}

/** Rotation time of a stored refresh token, epoch ms: its `samkitRotatedAt` tag, else its update time. */
export function storedRotationMs(secret: StoredSecret): number {
  return parseIso(secret.tags[TAGS.rotatedAt]) ?? secret.updatedOn;
}

function tagsFor(profile: string, part: SecretPart, extra?: Record<string, string>): Record<string, string> {
  return { [TAGS.profile]: profile, [TAGS.part]: PART_TAG[part], ...extra };
}

function parseMetadata(name: string, secret: StoredSecret): MetadataDocument {
  let json: unknown;
  try {
    json = JSON.parse(secret.value);
  } catch {
    throw new SamkitError("SAMKIT_STORE_METADATA_INVALID", { params: { name, reason: "it is not JSON" } });
  }
  const parsed = metadataSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const reason = first ? `${first.path.join(".") || "value"}: ${first.message}` : "unexpected shape";
    throw new SamkitError("SAMKIT_STORE_METADATA_INVALID", { params: { name, reason } });
  }
  return parsed.data;
}

async function getAll(
  store: SecretStore,
  names: ProfileSecretNames,
  options?: SecretStoreCallOptions,
): Promise<Record<SecretPart, StoredSecret | undefined>> {
  const parts = Object.keys(SECRET_PARTS) as SecretPart[];
  const values = await Promise.all(parts.map((p) => store.get(names[p], options)));
  const out = {} as Record<SecretPart, StoredSecret | undefined>;
  parts.forEach((p, i) => {
    out[p] = values[i];
  });
  return out;
}

function present(s: StoredSecret | undefined): s is StoredSecret {
  return s !== undefined && !isUnsetValue(s.value);
}

/**
 * Reads one profile. Values are trimmed and validated: a refresh token with a stray newline or
 * quotes, or an ID that is not a GUID, is refused with an error naming the secret (not its value).
 * Template placeholders (`RefreshToken`, `LongApplicationId`…) read as unset.
 * @returns `undefined` when no secret of the profile exists
 * @throws SamkitError `SAMKIT_STORE_SECRET_INVALID`, `SAMKIT_STORE_PROFILE_INCOMPLETE` (client ID or
 *   tenant ID missing while other parts exist), `SAMKIT_STORE_METADATA_INVALID`, and the store's own errors
 */
export async function readProfile(
  store: SecretStore,
  profile: string,
  options: ProfileOptions = {},
): Promise<PartnerProfile | undefined> {
  const names = profileSecretNames(profile, options.secretPrefix);
  const s = await getAll(store, names, options);
  const parts = Object.keys(SECRET_PARTS) as SecretPart[];
  if (!parts.some((p) => present(s[p]))) return undefined;

  const meta = present(s.profile) ? parseMetadata(names.profile, s.profile) : undefined;
  /** A stored part's validated value, or `undefined` when it is absent or unset. */
  const valueOf = (part: "clientId" | "tenantId" | "clientSecret" | "refreshToken", label: SecretKind): string | undefined => {
    const stored = s[part];
    return present(stored) ? validateSecretValue(names[part], label, stored.value) : undefined;
  };
  const clientId = valueOf("clientId", "client ID");
  const tenantId = valueOf("tenantId", "tenant ID");
  const params = { profile, store: store.description };
  if (clientId === undefined)
    throw new SamkitError("SAMKIT_STORE_PROFILE_INCOMPLETE", { params: { ...params, name: names.clientId } });
  if (tenantId === undefined)
    throw new SamkitError("SAMKIT_STORE_PROFILE_INCOMPLETE", { params: { ...params, name: names.tenantId } });
  const clientSecret = valueOf("clientSecret", "client secret");
  const refreshToken = valueOf("refreshToken", "refresh token");

  let certificate: PartnerProfile["certificate"];
  if (present(s.certificate)) {
    let json: unknown;
    try {
      json = JSON.parse(s.certificate.value);
    } catch {
      json = undefined;
    }
    const parsed = certificateSchema.safeParse(json);
    if (!parsed.success) {
      throw new SamkitError("SAMKIT_STORE_SECRET_INVALID", {
        params: {
          name: names.certificate,
          what: "certificate",
          reason: "it is not samkit's certificate JSON",
        },
      });
    }
    certificate = parsed.data;
  }

  const metadata: { -readonly [K in keyof ProfileMetadata]: ProfileMetadata[K] } = {
    ...(meta?.metadata ?? {}),
  };
  if (refreshToken !== undefined && s.refreshToken) {
    metadata.refreshTokenRotatedAt = iso(storedRotationMs(s.refreshToken));
    metadata.refreshTokenPersistedAt = iso(s.refreshToken.updatedOn);
  }
  return {
    profile,
    cloud: meta?.cloud ?? options.defaultCloud ?? "global",
    tenantId,
    clientId,
    ...(clientSecret !== undefined ? { clientSecret } : {}),
    ...(certificate !== undefined ? { certificate } : {}),
    ...(refreshToken !== undefined ? { refreshToken } : {}),
    metadata,
  };
}

/**
 * Writes a profile (consent, app create, migrate) under the store lock. Every given part is
 * written unconditionally, with samkit's tags; the refresh token's rotation time is
 * `metadata.refreshTokenRotatedAt`, else now. Metadata is merged over what is stored.
 * Values are validated first, so nothing malformed is ever written.
 * @throws SamkitError `SAMKIT_STORE_SECRET_INVALID`, `SAMKIT_INVALID_INPUT`, and the store's own errors
 */
export async function writeProfile(
  store: SecretStore,
  p: PartnerProfile,
  options: WriteProfileOptions = {},
): Promise<void> {
  assertProfileName(p.profile);
  const names = profileSecretNames(p.profile, options.secretPrefix);
  const clientId = validateSecretValue(names.clientId, "client ID", p.clientId);
  const tenantId = validateSecretValue(names.tenantId, "tenant ID", p.tenantId);
  if (clientId === undefined || tenantId === undefined) {
    throw new SamkitError("SAMKIT_INVALID_INPUT", {
      params: { detail: `Profile ${p.profile} needs a client ID and a tenant ID.` },
    });
  }
  const clientSecret =
    p.clientSecret === undefined
      ? undefined
      : validateSecretValue(names.clientSecret, "client secret", p.clientSecret);
  const refreshToken =
    p.refreshToken === undefined
      ? undefined
      : validateSecretValue(names.refreshToken, "refresh token", p.refreshToken);
  const { refreshTokenRotatedAt, refreshTokenPersistedAt: _persisted, ...rest } = p.metadata;
  const rotatedMs = refreshTokenRotatedAt === undefined ? nowMs() : parseIso(refreshTokenRotatedAt);
  if (rotatedMs === undefined) {
    throw new SamkitError("SAMKIT_INVALID_INPUT", {
      params: {
        detail: `refreshTokenRotatedAt ${JSON.stringify(refreshTokenRotatedAt)} is not an ISO 8601 time.`,
      },
    });
  }
  let certJson: string | undefined;
  if (p.certificate !== undefined) {
    const cert = certificateSchema.safeParse({ ...p.certificate });
    if (!cert.success) {
      throw new SamkitError("SAMKIT_INVALID_INPUT", {
        params: { detail: "The certificate needs a private key, a certificate and a SHA-256 thumbprint." },
      });
    }
    certJson = JSON.stringify(cert.data);
  }
  const prefix = profilePrefix(p.profile, options.secretPrefix);
  const call: SecretStoreCallOptions = options.abortSignal ? { abortSignal: options.abortSignal } : {};

  await store.withLock(async () => {
    const existing = await store.get(names.profile, call);
    let oldMeta: Record<string, unknown> = {};
    if (existing !== undefined && !isUnsetValue(existing.value)) {
      try {
        oldMeta = parseMetadata(names.profile, existing).metadata;
      } catch {
        oldMeta = {};
      }
    }
    const doc: MetadataDocument = {
      format: PROFILE_METADATA_FORMAT,
      profile: p.profile,
      cloud: p.cloud,
      secretPrefix: prefix,
      metadata: { ...(options.replace ? {} : oldMeta), ...stripUndefined(rest) },
    };
    const t = (part: SecretPart, extra?: Record<string, string>) => tagsFor(p.profile, part, extra);
    await store.set(names.clientId, clientId, t("clientId"), call);
    await store.set(names.tenantId, tenantId, t("tenantId"), call);
    if (clientSecret !== undefined)
      await store.set(names.clientSecret, clientSecret, t("clientSecret"), call);
    else if (options.replace) await store.delete(names.clientSecret, call);
    if (p.certificate !== undefined) {
      await store.set(names.certificate, certJson ?? "", t("certificate"), call);
    } else if (options.replace) await store.delete(names.certificate, call);
    if (refreshToken !== undefined) {
      await store.set(
        names.refreshToken,
        refreshToken,
        t("refreshToken", { [TAGS.rotatedAt]: iso(rotatedMs) }),
        call,
      );
    } else if (options.replace) await store.delete(names.refreshToken, call);
    await store.set(names.profile, JSON.stringify(doc), t("profile"), call);
  }, call);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Persists a rotated refresh token unless the stored one is as new or newer (CONTRACTS §3). Takes
 * the store lock, re-reads the stored token inside it just before writing, and compares rotation
 * times (`samkitRotatedAt` tag, else the secret's update time). Other tags on the secret are kept.
 * @param rotatedAtIso when this token was minted (ISO 8601), normally the redemption time
 * @returns `true` when it wrote, `false` when the stored token is as new or newer (or identical)
 * @throws SamkitError `SAMKIT_STORE_SECRET_INVALID` (malformed token: nothing written),
 *   `SAMKIT_INVALID_INPUT` (bad time), and the store's own errors (`SAMKIT_STORE_LOCK_TIMEOUT`…)
 */
export async function updateRefreshToken(
  store: SecretStore,
  profile: string,
  refreshToken: string,
  rotatedAtIso: string,
  options: ProfileOptions = {},
): Promise<boolean> {
  const names = profileSecretNames(profile, options.secretPrefix);
  const token = validateSecretValue(names.refreshToken, "refresh token", refreshToken);
  if (token === undefined) {
    throw new SamkitError("SAMKIT_STORE_SECRET_INVALID", {
      params: { name: names.refreshToken, what: "refresh token", reason: "it is empty" },
    });
  }
  const rotatedMs = parseIso(rotatedAtIso);
  if (rotatedMs === undefined) {
    throw new SamkitError("SAMKIT_INVALID_INPUT", {
      params: { detail: `rotatedAtIso ${JSON.stringify(rotatedAtIso)} is not an ISO 8601 time.` },
    });
  }
  const call: SecretStoreCallOptions = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  return store.withLock(async () => {
    const stored = await store.get(names.refreshToken, call);
    if (stored !== undefined && !isUnsetValue(stored.value)) {
      if (storedRotationMs(stored) >= rotatedMs) return false;
      if (stored.value.trim() === token) return false;
    }
    const tags = {
      ...(stored?.tags ?? {}),
      ...tagsFor(profile, "refreshToken", { [TAGS.rotatedAt]: iso(rotatedMs) }),
    };
    await store.set(names.refreshToken, token, tags, call);
    return true;
  }, call);
}

/**
 * Deletes every secret of a profile (the six names of docs/storage.md §1 with its prefix) and
 * nothing else. Missing secrets are skipped.
 * @returns the names that existed and were deleted
 * @throws SamkitError the store's own errors
 */
export async function deleteProfile(
  store: SecretStore,
  profile: string,
  options: ProfileOptions & { readonly purge?: boolean } = {},
): Promise<string[]> {
  const names = profileSecretNames(profile, options.secretPrefix);
  const call: SecretStoreCallOptions = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  return store.withLock(async () => {
    const deleted: string[] = [];
    for (const part of Object.keys(SECRET_PARTS) as SecretPart[]) {
      const existing = await store.get(names[part], call);
      if (existing === undefined) continue;
      await store.delete(names[part], { ...call, ...(options.purge ? { purge: true } : {}) });
      deleted.push(existing.name);
    }
    return deleted;
  }, call);
}

/**
 * Lists the profiles in a store: one per `…SamkitProfile` secret, plus `default` when unprefixed
 * `ApplicationID` or `RefreshToken` exist without samkit metadata (a vault another tool filled).
 * Reads only the metadata secrets, never other values. Sorted by name.
 * @throws SamkitError the store's own errors
 */
export async function listProfiles(
  store: SecretStore,
  options: SecretStoreCallOptions = {},
): Promise<ProfileListEntry[]> {
  const names = await store.list(options);
  const suffix = canonicalName(SECRET_PARTS.profile);
  const byName = new Map<string, ProfileListEntry>();
  for (const name of names) {
    const c = canonicalName(name);
    if (!c.endsWith(suffix)) continue;
    const prefix = name.slice(0, name.length - suffix.length);
    let profile: string | undefined;
    let secretPrefix = prefix;
    const secret = await store.get(name, options);
    if (secret !== undefined && !isUnsetValue(secret.value)) {
      try {
        const doc = parseMetadata(name, secret);
        profile = doc.profile;
        secretPrefix = doc.secretPrefix;
      } catch {
        profile = undefined;
      }
    }
    profile ??= prefix === "" ? DEFAULT_PROFILE : prefix.replace(/-$/, "").toLowerCase();
    byName.set(profile, { profile, secretPrefix, origin: "samkit" });
  }
  if (!byName.has(DEFAULT_PROFILE)) {
    const set = new Set(names.map(canonicalName));
    if (set.has(canonicalName(SECRET_PARTS.clientId)) || set.has(canonicalName(SECRET_PARTS.refreshToken))) {
      byName.set(DEFAULT_PROFILE, { profile: DEFAULT_PROFILE, secretPrefix: "", origin: "foreign" });
    }
  }
  return [...byName.values()].sort((a, b) => a.profile.localeCompare(b.profile));
}
