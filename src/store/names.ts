import { SamkitError } from "../errors/index.js";

/**
 * Secret names of a profile (docs/storage.md §1). The unprefixed names are the ones existing
 * Secure Application Model deployments use in Key Vault (CIPP `Get-CIPPAuthentication.ps1`,
 * facts/partner-center.md §7), so samkit and those tools can share a vault.
 */
export const SECRET_PARTS = {
  clientId: "ApplicationID",
  clientSecret: "ApplicationSecret",
  tenantId: "TenantID",
  refreshToken: "RefreshToken",
  certificate: "SamkitCertificate",
  profile: "SamkitProfile",
} as const;

/** One part of a profile, as named in {@link SECRET_PARTS}. */
export type SecretPart = keyof typeof SECRET_PARTS;

/** Value of the `samkitPart` tag for each part. */
export const PART_TAG: Readonly<Record<SecretPart, string>> = {
  clientId: "client-id",
  clientSecret: "client-secret",
  tenantId: "tenant-id",
  refreshToken: "refresh-token",
  certificate: "certificate",
  profile: "profile",
};

/** Tag names samkit writes on every secret it owns. */
export const TAGS = {
  profile: "samkitProfile",
  part: "samkitPart",
  rotatedAt: "samkitRotatedAt",
} as const;

/** The profile used when none is given (CONTRACTS §6 `SAMKIT_PROFILE`). */
export const DEFAULT_PROFILE = "default";

const PROFILE_RE = /^[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/;
const PREFIX_RE = /^[0-9A-Za-z-]{0,64}$/;
const SECRET_NAME_RE = /^[0-9A-Za-z-]{1,127}$/;

/**
 * Checks a profile name (`^[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?$`).
 * @throws SamkitError `SAMKIT_STORE_INVALID_PROFILE_NAME`
 */
export function assertProfileName(profile: string): void {
  if (!PROFILE_RE.test(profile)) {
    throw new SamkitError("SAMKIT_STORE_INVALID_PROFILE_NAME", {
      params: { profile: JSON.stringify(profile.slice(0, 40)) },
    });
  }
}

/**
 * Checks a secret name against Key Vault's rule (letters, digits, dashes; 1-127 characters), which
 * both stores enforce so a profile can always move between them.
 * @see https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#objects-identifiers-and-versioning
 * @throws SamkitError `SAMKIT_STORE_INVALID_NAME`
 */
export function assertSecretName(name: string): void {
  if (!SECRET_NAME_RE.test(name)) {
    throw new SamkitError("SAMKIT_STORE_INVALID_NAME", {
      params: { detail: `Secret name ${JSON.stringify(name.slice(0, 130))} is not valid.` },
    });
  }
}

/** Canonical (lower-case) form of a secret name: Key Vault names are case-insensitive. */
export function canonicalName(name: string): string {
  return name.toLowerCase();
}

/**
 * The secret-name prefix of a profile: `""` for `default`, `"<profile>-"` otherwise, unless an
 * explicit prefix is given.
 * @throws SamkitError `SAMKIT_STORE_INVALID_PROFILE_NAME`, `SAMKIT_STORE_INVALID_NAME`
 */
export function profilePrefix(profile: string, secretPrefix?: string): string {
  assertProfileName(profile);
  if (secretPrefix !== undefined) {
    if (!PREFIX_RE.test(secretPrefix)) {
      throw new SamkitError("SAMKIT_STORE_INVALID_NAME", {
        params: { detail: `Secret prefix ${JSON.stringify(secretPrefix.slice(0, 70))} is not valid.` },
      });
    }
    return secretPrefix;
  }
  return profile === DEFAULT_PROFILE ? "" : `${profile}-`;
}

/** Every secret name of one profile, keyed by part. */
export type ProfileSecretNames = Readonly<Record<SecretPart, string>>;

/**
 * The secret names of `profile` (docs/storage.md §1), e.g. `contoso-RefreshToken`.
 * @throws SamkitError `SAMKIT_STORE_INVALID_PROFILE_NAME`, `SAMKIT_STORE_INVALID_NAME`
 */
export function profileSecretNames(profile: string, secretPrefix?: string): ProfileSecretNames {
  const prefix = profilePrefix(profile, secretPrefix);
  const out = {} as Record<SecretPart, string>;
  for (const part of Object.keys(SECRET_PARTS) as SecretPart[]) {
    const name = `${prefix}${SECRET_PARTS[part]}`;
    assertSecretName(name);
    out[part] = name;
  }
  return out;
}
