/**
 * Graph resource shapes rendered from the world (v1.0 property names).
 * @see https://learn.microsoft.com/graph/api/resources/application
 * @see https://learn.microsoft.com/graph/api/resources/serviceprincipal
 * @see https://learn.microsoft.com/graph/api/resources/user
 * @see https://learn.microsoft.com/graph/api/resources/delegatedadminrelationship
 */
import { seededGuid } from "../ids.js";
import type { World } from "../world.js";
import type { Application, CustomerRecord, GdapRelationship, KeyCredential, PasswordCredential, ServicePrincipal, Tenant, User } from "../world-types.js";
import type { ApplicationExtras, GraphGroup } from "./state.js";

type Json = Record<string, unknown>;

/** `passwordCredential` as Graph lists it (never the secret text). */
export function passwordCredential(p: PasswordCredential, withSecret = false): Json {
  return {
    customKeyIdentifier: null,
    displayName: p.displayName,
    endDateTime: p.endDateTime,
    hint: p.hint,
    keyId: p.keyId,
    secretText: withSecret ? p.secretText : null,
    startDateTime: p.startDateTime,
  };
}

/** `keyCredential` as Graph lists it (`key` is only returned with `$select=keyCredentials`; here null). */
export function keyCredential(k: KeyCredential): Json {
  return {
    customKeyIdentifier: Buffer.from(k.thumbprintSha1, "base64url").toString("hex").toUpperCase(),
    displayName: k.displayName,
    endDateTime: k.endDateTime,
    key: null,
    keyId: k.keyId,
    startDateTime: k.startDateTime,
    type: k.type,
    usage: k.usage,
  };
}

/** `application`. */
export function application(a: Application, extras: ApplicationExtras | undefined): Json {
  return {
    "@odata.type": "#microsoft.graph.application",
    id: a.objectId,
    appId: a.appId,
    displayName: a.displayName,
    createdDateTime: a.createdDateTime,
    deletedDateTime: null,
    publisherDomain: null,
    signInAudience: a.signInAudience,
    isFallbackPublicClient: a.isFallbackPublicClient,
    identifierUris: a.identifierUris,
    tags: extras?.tags ?? [],
    api: {
      requestedAccessTokenVersion: null,
      oauth2PermissionScopes: a.oauth2PermissionScopes.map((s) => ({ id: s.id, value: s.value, isEnabled: true, type: "User" })),
    },
    appRoles: a.appRoles.map((r) => ({ id: r.id, value: r.value, isEnabled: true, allowedMemberTypes: ["Application"] })),
    publicClient: { redirectUris: a.publicClientRedirectUris },
    web: {
      homePageUrl: null,
      logoutUrl: null,
      redirectUris: a.webRedirectUris,
      implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
    },
    spa: { redirectUris: [] },
    requiredResourceAccess: a.requiredResourceAccess,
    passwordCredentials: a.passwordCredentials.map((p) => passwordCredential(p)),
    keyCredentials: a.keyCredentials.map(keyCredential),
    servicePrincipalLockConfiguration: extras?.servicePrincipalLockConfiguration ?? null,
  };
}

/** `servicePrincipal`. */
export function servicePrincipal(world: World, sp: ServicePrincipal): Json {
  const app = world.application(sp.appId);
  return {
    "@odata.type": "#microsoft.graph.servicePrincipal",
    id: sp.objectId,
    appId: sp.appId,
    displayName: sp.displayName,
    accountEnabled: sp.accountEnabled,
    appOwnerOrganizationId: app?.homeTenantId ?? null,
    servicePrincipalType: "Application",
    signInAudience: app?.signInAudience ?? "AzureADMultipleOrgs",
    servicePrincipalNames: [sp.appId, ...(app?.identifierUris ?? [])],
    appRoles: (app?.appRoles ?? []).map((r) => ({ id: r.id, value: r.value, isEnabled: true, allowedMemberTypes: ["Application"] })),
    oauth2PermissionScopes: (app?.oauth2PermissionScopes ?? []).map((s) => ({ id: s.id, value: s.value, isEnabled: true, type: "User" })),
  };
}

/** Properties Graph returns for a user without `$select`. */
export const USER_DEFAULT_PROPERTIES = [
  "businessPhones",
  "displayName",
  "givenName",
  "jobTitle",
  "mail",
  "mobilePhone",
  "officeLocation",
  "preferredLanguage",
  "surname",
  "userPrincipalName",
  "id",
] as const;

/** `user` with every property the emulator knows (project with `$select` / the defaults). */
export function user(u: User): Json {
  const [given, ...rest] = u.displayName.split(" ");
  return {
    "@odata.type": "#microsoft.graph.user",
    id: u.objectId,
    businessPhones: [],
    displayName: u.displayName,
    givenName: given ?? null,
    surname: rest.length > 0 ? rest.join(" ") : null,
    jobTitle: null,
    mail: u.userPrincipalName,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: "en-US",
    userPrincipalName: u.userPrincipalName,
    accountEnabled: true,
    userType: "Member",
    mailNickname: u.userPrincipalName.split("@")[0],
  };
}

/** `organization`. */
export function organization(t: Tenant, world: World): Json {
  return {
    "@odata.type": "#microsoft.graph.organization",
    id: t.tenantId,
    displayName: t.displayName,
    tenantType: "AAD",
    countryLetterCode: "US",
    createdDateTime: world.iso(-86_400 * 1000),
    verifiedDomains: [{ capabilities: "Email, OfficeCommunicationsOnline", isDefault: true, isInitial: true, name: t.domain, type: "Managed" }],
    partnerTenantType: t.kind === "partner" ? "ResellerPartnerDelegatedAdmin" : null,
  };
}

/** `domain` (the tenant's initial domain, the only one seeded). */
export function domain(t: Tenant): Json {
  return {
    id: t.domain,
    authenticationType: "Managed",
    isAdminManaged: true,
    isDefault: true,
    isInitial: true,
    isRoot: true,
    isVerified: true,
    supportedServices: ["Email", "OfficeCommunicationsOnline"],
  };
}

/** `group`. */
export function group(g: GraphGroup): Json {
  return {
    "@odata.type": "#microsoft.graph.group",
    id: g.id,
    displayName: g.displayName,
    description: g.description,
    createdDateTime: g.createdDateTime,
    groupTypes: [],
    mailEnabled: false,
    mailNickname: g.displayName,
    securityEnabled: true,
    isAssignableToRole: false,
  };
}

/** The status Graph reports, given the emulator clock (an active relationship past its end is expired). */
function gdapStatus(r: GdapRelationship, nowSeconds: number): string {
  if (r.status === "active" && Date.parse(r.endDateTime) / 1000 <= nowSeconds) return "expired";
  return r.status;
}

/** `delegatedAdminRelationship`. */
export function delegatedAdminRelationship(world: World, r: GdapRelationship, nowSeconds: number): Json {
  const customer = world.customers.get(r.customerTenantId);
  return {
    "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
    id: r.id,
    displayName: r.displayName,
    duration: "P730D",
    customer: { tenantId: r.customerTenantId, displayName: customer?.companyName ?? null },
    accessDetails: { unifiedRoles: r.roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
    status: gdapStatus(r, nowSeconds),
    autoExtendDuration: r.autoExtendDuration,
    createdDateTime: r.createdDateTime,
    lastModifiedDateTime: r.createdDateTime,
    activatedDateTime: r.createdDateTime,
    endDateTime: r.endDateTime,
  };
}

/** `delegatedAdminAccessAssignment` (the relationship's roles mapped to AdminAgents). */
export function accessAssignment(world: World, r: GdapRelationship, adminAgentsId: string): Json {
  return {
    "@odata.type": "#microsoft.graph.delegatedAdminAccessAssignment",
    id: seededGuid(world.seed, `gdap-assignment:${r.id}`),
    status: "active",
    createdDateTime: r.createdDateTime,
    lastModifiedDateTime: r.createdDateTime,
    accessContainer: { accessContainerId: adminAgentsId, accessContainerType: "securityGroup" },
    accessDetails: { unifiedRoles: r.roles.map((roleDefinitionId) => ({ roleDefinitionId })) },
  };
}

/** `delegatedAdminCustomer`. */
export function delegatedAdminCustomer(c: CustomerRecord): Json {
  return {
    "@odata.type": "#microsoft.graph.delegatedAdminCustomer",
    id: c.tenantId,
    tenantId: c.tenantId,
    displayName: c.companyName,
  };
}

/** `contract` (legacy DAP customer list). */
export function contract(world: World, c: CustomerRecord): Json {
  return {
    "@odata.type": "#microsoft.graph.contract",
    id: seededGuid(world.seed, `contract:${c.tenantId}`),
    contractType: "ResellerPartner",
    customerId: c.tenantId,
    defaultDomainName: c.domain,
    displayName: c.companyName,
  };
}
