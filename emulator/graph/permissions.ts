/**
 * Which permission each emulated Graph route needs (any one listed). Values follow the Graph
 * reference "Permissions" tables; delegated writes also need a directory role, because the
 * emulated tenants have "Users can register applications" turned off.
 * @see https://learn.microsoft.com/graph/api/application-post-applications#permissions
 * @see https://learn.microsoft.com/graph/api/user-list#permissions
 * @see https://learn.microsoft.com/graph/api/tenantrelationship-list-delegatedadminrelationships#permissions
 */
import { DIRECTORY_ROLES } from "../well-known.js";
import type { Permission } from "./auth.js";

/** Application Administrator and Cloud Application Administrator role template ids. */
export const APPLICATION_ADMINISTRATOR = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
export const CLOUD_APPLICATION_ADMINISTRATOR = "158c047a-c907-4556-b7ef-446551a6b5f7";
export const GROUPS_ADMINISTRATOR = "fdd7a751-b60b-444a-984c-02652fe8fa1c";

const DIRECTORY_READ = ["Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All"];

export const USERS_READ: Permission = {
  delegated: ["User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", ...DIRECTORY_READ],
  application: ["User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
};

export const ME_READ: Permission = { delegated: ["User.Read", "User.ReadWrite", ...USERS_READ.delegated], application: [] };

export const ORGANIZATION_READ: Permission = {
  delegated: ["User.Read", "Organization.Read.All", "Organization.ReadWrite.All", ...DIRECTORY_READ],
  application: ["Organization.Read.All", "Organization.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
};

export const APPLICATIONS_READ: Permission = {
  delegated: ["Application.Read.All", "Application.ReadWrite.All", ...DIRECTORY_READ],
  application: ["Application.Read.All", "Application.ReadWrite.All", "Application.ReadWrite.OwnedBy", "Directory.Read.All", "Directory.ReadWrite.All"],
};

export const APPLICATIONS_WRITE: Permission = {
  delegated: ["Application.ReadWrite.All", "Directory.AccessAsUser.All"],
  application: ["Application.ReadWrite.All", "Application.ReadWrite.OwnedBy"],
  directoryRoles: [DIRECTORY_ROLES.globalAdministrator, APPLICATION_ADMINISTRATOR, CLOUD_APPLICATION_ADMINISTRATOR],
};

export const GRANTS_WRITE: Permission = {
  delegated: ["DelegatedPermissionGrant.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "Directory.AccessAsUser.All"],
  application: ["DelegatedPermissionGrant.ReadWrite.All", "AppRoleAssignment.ReadWrite.All", "Application.ReadWrite.All"],
  directoryRoles: [DIRECTORY_ROLES.globalAdministrator, APPLICATION_ADMINISTRATOR, CLOUD_APPLICATION_ADMINISTRATOR],
};

export const GROUPS_READ: Permission = {
  delegated: ["GroupMember.Read.All", "Group.Read.All", "Group.ReadWrite.All", ...DIRECTORY_READ],
  application: ["GroupMember.Read.All", "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"],
};

export const GROUP_MEMBERS_WRITE: Permission = {
  delegated: ["GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All"],
  application: ["GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"],
  directoryRoles: [DIRECTORY_ROLES.globalAdministrator, DIRECTORY_ROLES.userAdministrator, GROUPS_ADMINISTRATOR],
};

/**
 * GDAP reads. Microsoft documents only DelegatedAdminRelationship.*; the emulator also accepts
 * Directory.Read.All, the Graph scope SAM apps already carry (documented leniency).
 */
export const GDAP_READ: Permission = {
  delegated: ["DelegatedAdminRelationship.Read.All", "DelegatedAdminRelationship.ReadWrite.All", ...DIRECTORY_READ],
  application: ["DelegatedAdminRelationship.Read.All", "DelegatedAdminRelationship.ReadWrite.All", "Directory.Read.All"],
};

export const CONTRACTS_READ: Permission = { delegated: DIRECTORY_READ, application: ["Directory.Read.All", "Directory.ReadWrite.All"] };
