/**
 * Microsoft's well-known first-party application IDs, resource URIs and permission IDs, as the
 * emulator seeds them. Values are Microsoft's real ones (CONTRACTS §1: resource identifiers stay
 * real in every cloud).
 * @see shared/facts/clouds.md §2 (app IDs, SAM seed permission GUIDs)
 */

/** First-party application IDs. */
export const APP_IDS = {
  azureCli: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
  graphCli: "14d82eec-204b-4c2f-b7e8-296a70dab67e",
  partnerCenter: "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd",
  microsoftGraph: "00000003-0000-0000-c000-000000000000",
  aadGraph: "00000002-0000-0000-c000-000000000000",
  azureServiceManagement: "797f4846-ba00-4fd7-ba43-dac1f8f63013",
  keyVault: "cfa8b339-82a2-471a-a3c9-0fc0be7a4093",
  exchangeOnline: "00000002-0000-0ff1-ce00-000000000000",
} as const;

/** Resource identifiers (token audiences / scope prefixes). */
export const RESOURCE_URIS = {
  partnerCenter: "https://api.partnercenter.microsoft.com",
  microsoftGraph: "https://graph.microsoft.com",
  aadGraph: "https://graph.windows.net",
  azureServiceManagement: "https://management.azure.com",
  azureServiceManagementLegacy: "https://management.core.windows.net",
  keyVault: "https://vault.azure.net",
  exchangeOnline: "https://outlook.office365.com",
} as const;

/** Entra directory role template IDs (`wids`). */
export const DIRECTORY_ROLES = {
  globalAdministrator: "62e90394-69f5-4237-9190-012177145e10",
  userAdministrator: "fe930be7-5e62-47db-91af-98c3a49a38b1",
  helpdeskAdministrator: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
  directoryReaders: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
  /** Every member user carries this `wids` entry. */
  defaultUser: "b79fbf4d-3ef9-4689-8143-76b194e85509",
} as const;

/** One permission a resource app exposes. */
export interface PermissionDef {
  readonly id: string;
  readonly value: string;
  /** Shown on the consent page. */
  readonly description: string;
}

/** Delegated scopes and app roles of each first-party resource app. */
export const RESOURCE_PERMISSIONS: Readonly<
  Record<string, { readonly scopes: readonly PermissionDef[]; readonly roles: readonly PermissionDef[] }>
> = {
  [APP_IDS.partnerCenter]: {
    scopes: [{ id: "1cebfa2a-fb4d-419e-b5f9-839b4383e05a", value: "user_impersonation", description: "Access Partner Center as the signed-in user" }],
    roles: [],
  },
  [APP_IDS.microsoftGraph]: {
    scopes: [
      { id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", value: "User.Read", description: "Sign in and read user profile" },
      { id: "06da0dbc-49e2-44d2-8312-53f166ab848a", value: "Directory.Read.All", description: "Read directory data" },
      { id: "0e263e50-5827-48a4-b97c-d940288653c7", value: "Directory.AccessAsUser.All", description: "Access directory as the signed-in user" },
      { id: "a154be20-db9c-4678-8ab7-66f6cc099a59", value: "User.Read.All", description: "Read all users' full profiles" },
      { id: "bdfbf15f-ee85-4955-8675-146e8e5296b5", value: "Application.ReadWrite.All", description: "Read and write all applications" },
      { id: "41ce6ca6-6826-4807-84f1-1c82854f7ee5", value: "DelegatedPermissionGrant.ReadWrite.All", description: "Manage all delegated permission grants" },
      { id: "84bccea3-f856-4a8a-967b-dbe0a3d53a64", value: "AppRoleAssignment.ReadWrite.All", description: "Manage app permission grants and app role assignments" },
      { id: "f6a3db3e-f7e8-4ed2-a414-557c8c9830be", value: "DelegatedAdminRelationship.Read.All", description: "Read Delegated Admin relationships with customers" },
      { id: "7427e0e9-2fba-42fe-b0c0-848c9e6a8182", value: "offline_access", description: "Maintain access to data you have given it access to" },
      { id: "37f7f235-527c-4136-accd-4a02d197296e", value: "openid", description: "Sign users in" },
      { id: "14dad69e-099b-42c9-810b-d002981feec1", value: "profile", description: "View users' basic profile" },
      { id: "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0", value: "email", description: "View users' email address" },
    ],
    roles: [
      { id: "7ab1d382-f21e-4acd-a863-ba3e13f7da61", value: "Directory.Read.All", description: "Read directory data" },
      { id: "bf394140-e372-4bf9-a898-299cfc7564e5", value: "SecurityEvents.Read.All", description: "Read your organization's security events" },
      { id: "df021288-bdef-4463-88db-98f22de89214", value: "User.Read.All", description: "Read all users' full profiles" },
      { id: "1bfefb4e-e0b5-418b-a88f-73c6d2a3f82d", value: "Application.ReadWrite.All", description: "Read and write all applications" },
      { id: "19dbc75e-c2e2-444c-a770-ec69d8559fc7", value: "Directory.ReadWrite.All", description: "Read and write directory data" },
    ],
  },
  [APP_IDS.aadGraph]: {
    scopes: [
      { id: "a42657d6-7f20-40e3-b6f0-cee03008a62a", value: "Directory.AccessAsUser.All", description: "Access the directory as the signed-in user" },
      { id: "311a71cc-e848-46a1-bdf8-97ff7156d8e6", value: "User.Read", description: "Sign in and read user profile" },
    ],
    roles: [{ id: "5778995a-e1bf-45b8-affa-663a9f3f4d04", value: "Directory.Read.All", description: "Read directory data" }],
  },
  [APP_IDS.azureServiceManagement]: {
    scopes: [{ id: "41094075-9dad-400e-a0bd-54e686782033", value: "user_impersonation", description: "Access Azure Service Management as organization users" }],
    roles: [],
  },
  [APP_IDS.keyVault]: {
    scopes: [{ id: "f53da476-18e3-4152-8e01-aec403e6edc0", value: "user_impersonation", description: "Have full access to the Azure Key Vault service" }],
    roles: [],
  },
  [APP_IDS.exchangeOnline]: {
    scopes: [{ id: "ab4f2b77-0b06-4fc1-a9de-02113fc2ab7c", value: "Exchange.Manage", description: "Manage Exchange Online" }],
    roles: [{ id: "dc50a0fb-09a3-484d-be87-e023b12c6440", value: "Exchange.ManageAsApp", description: "Manage Exchange As Application" }],
  },
};
