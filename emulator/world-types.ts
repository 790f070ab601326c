/**
 * The emulator's shared world model. Identity (issue 3) and the resource services (issue 4) read
 * and mutate the same objects; this file is the contract between them. Plain data, no behaviour:
 * `world.ts` builds it deterministically from a seed and holds the lookup indexes.
 */

/** A directory (tenant): the partner's or a customer's. */
export interface Tenant {
  readonly tenantId: string; // GUID, lower-case
  /** Initial domain, e.g. `contoso-042.onmicrosoft.com` (lower-case). */
  readonly domain: string;
  readonly displayName: string;
  readonly kind: "partner" | "customer";
  /** Which national cloud the tenant is homed in; redemption in another cloud → AADSTS90038. */
  readonly cloud: "global" | "usgov" | "china";
  /** Conditional Access blocks service-provider sign-ins here → AADSTS53003. */
  conditionalAccessBlock: boolean;
}

export interface User {
  readonly objectId: string;
  readonly tenantId: string;
  readonly userPrincipalName: string; // lower-case
  readonly displayName: string;
  password: string;
  /** Whether the user has an MFA method registered (sign-in then adds `mfa` to `amr`). */
  mfa: boolean;
  /** Directory roles (`wids`) such as Global Administrator `62e90394-69f5-4237-9190-012177145e10`. */
  roles: string[];
  /** Epoch seconds; refresh tokens issued before this are revoked (50173). */
  sessionsValidFromSeconds: number;
}

/** Password credential on an application (Graph `passwordCredential`). */
export interface PasswordCredential {
  readonly keyId: string;
  readonly displayName: string | null;
  /** The secret value; only ever returned once by Graph `addPassword`. */
  readonly secretText: string;
  readonly hint: string;
  readonly startDateTime: string; // ISO 8601
  readonly endDateTime: string; // ISO 8601
}

/** Certificate credential on an application (Graph `keyCredential`). */
export interface KeyCredential {
  readonly keyId: string;
  readonly displayName: string | null;
  readonly type: "AsymmetricX509Cert";
  readonly usage: "Verify";
  /** Base64 DER of the certificate. */
  readonly key: string;
  /** Base64url SHA-1 thumbprint (`x5t`) and SHA-256 (`x5t#S256`) of the DER. */
  readonly thumbprintSha1: string;
  readonly thumbprintSha256: string;
  readonly startDateTime: string;
  readonly endDateTime: string;
}

export interface RequiredResourceAccess {
  resourceAppId: string;
  resourceAccess: { id: string; type: "Scope" | "Role" }[];
}

/** An application object (lives in its home tenant). */
export interface Application {
  readonly objectId: string;
  readonly appId: string; // client ID
  readonly homeTenantId: string;
  displayName: string;
  signInAudience: "AzureADMyOrg" | "AzureADMultipleOrgs";
  isFallbackPublicClient: boolean;
  webRedirectUris: string[];
  publicClientRedirectUris: string[];
  requiredResourceAccess: RequiredResourceAccess[];
  passwordCredentials: PasswordCredential[];
  keyCredentials: KeyCredential[];
  /** Microsoft first-party apps (Azure CLI, Graph CLI, resource apps) are not editable. */
  readonly firstParty: boolean;
  /** App ID URI(s) for resource apps, e.g. `https://graph.microsoft.com`. */
  identifierUris: string[];
  /** Delegated scopes this app exposes as a resource (name → permission id). */
  oauth2PermissionScopes: { id: string; value: string }[];
  /** App roles this app exposes as a resource (name → permission id). */
  appRoles: { id: string; value: string }[];
  createdDateTime: string;
}

/** A service principal: the app's instance in one tenant. */
export interface ServicePrincipal {
  readonly objectId: string;
  readonly appId: string;
  readonly tenantId: string;
  displayName: string;
  accountEnabled: boolean;
}

/**
 * A consent in one tenant: delegated scopes (`oauth2PermissionGrant`, AllPrincipals) and/or app
 * roles (`appRoleAssignment`) granted to `clientAppId` on `resourceAppId`.
 */
export interface Grant {
  readonly tenantId: string;
  readonly clientAppId: string;
  readonly resourceAppId: string;
  scopes: string[]; // delegated scope values, e.g. ["Directory.Read.All", "User.Read"]
  roles: string[]; // app role values, e.g. ["Directory.Read.All"]
}

/** A GDAP relationship between the partner and a customer. */
export interface GdapRelationship {
  readonly id: string;
  readonly customerTenantId: string;
  displayName: string;
  status: "active" | "expired" | "terminated";
  /** Entra role definition IDs granted to the partner's AdminAgents-mapped users. */
  roles: string[];
  readonly createdDateTime: string;
  endDateTime: string;
  autoExtendDuration: string;
}

/** A customer as Partner Center knows it (CONTRACTS §7 shape is derived from this). */
export interface CustomerRecord {
  readonly tenantId: string;
  readonly companyName: string;
  readonly domain: string;
  relationshipToPartner: "reseller" | "advisor" | "none";
  /** The deliberately broken states of CONTRACTS §9, for docs and tests. */
  readonly seededState:
    | "healthy"
    | "no-consent"
    | "no-gdap"
    | "conditional-access"
    | "no-relationship"
    /** Homed in another national cloud (`Tenant.cloud` ≠ "global") → AADSTS90038 everywhere. */
    | "national-cloud";
  subscriptions: { id: string; offerName: string; quantity: number; status: "active" | "suspended" }[];
}

/** Secret stored in the emulated Key Vault (one version). */
export interface VaultSecretVersion {
  readonly name: string;
  readonly version: string; // 32 lower-case hex
  readonly value: string;
  readonly contentType: string | null;
  readonly tags: Record<string, string>;
  enabled: boolean;
  readonly created: number; // epoch seconds
  updated: number;
}
