/**
 * `samkit app create` as a library: read what exists (Graph + the secret store), print a plan,
 * then apply only the differences. Re-running with the same inputs plans nothing.
 *
 * @see facts/partner-center.md §5 (the Graph calls), CONTRACTS §4 (the app's shape)
 */
import { SamkitError, isSamkitError } from "../errors/index.js";
import type { CloudDefinition } from "../cloud/types.js";
import {
  addGroupMember,
  createApplication,
  createServicePrincipal,
  findApplicationsByName,
  findGroupByName,
  findServicePrincipal,
  isGroupMember,
  updateApplication,
  type ApplicationPatch,
  type GraphApplication,
  type GraphClient,
  type RequiredResourceAccess,
} from "../graph/index.js";
import { certificateThumbprints } from "../oauth/client-auth.js";
import { readProfile, writeProfile } from "../store/profile.js";
import type { PartnerProfile, SecretStore } from "../store/types.js";
import {
  DEFAULT_APP_NAME,
  DEFAULT_REQUIRED_ACCESS,
  LEGACY_AAD_GRAPH_ACCESS,
  LEGACY_OOB_REDIRECT_URI,
  LOOPBACK_REDIRECT_URI,
  isGuid,
  mergeRequiredAccess,
  missingAccess,
  type PermissionSpec,
} from "./app-spec.js";
import { addCertificateCredential, addSecretCredential, removeCredential, type AddedCredential } from "./credentials.js";
import { grantAdminConsent, planAdminConsent, type AdminConsentPlan } from "./admin-consent.js";

/** Name of the partner's legacy DAP admin group. */
export const ADMIN_AGENTS_GROUP = "AdminAgents";

/** Inputs of {@link planApp} / {@link applyAppPlan}. */
export interface AppCreateOptions {
  readonly graph: GraphClient;
  readonly store: SecretStore;
  readonly cloud: CloudDefinition;
  readonly profile: string;
  readonly secretPrefix?: string;
  /** Partner tenant GUID (from the admin token / `GET /organization`). */
  readonly tenantId: string;
  /** Display name (default {@link DEFAULT_APP_NAME}). */
  readonly name?: string;
  /** `secret` (default) or `certificate`. */
  readonly credential?: "secret" | "certificate";
  readonly preconsent?: boolean;
  readonly legacyAadGraph?: boolean;
  readonly legacyOob?: boolean;
  readonly permissions?: readonly PermissionSpec[];
  /**
   * Grant tenant-wide admin consent for the app's permissions in the partner tenant: delegated
   * ones as `oauth2PermissionGrant`s, application ones as app role assignments (see
   * {@link grantAdminConsent}). Default true; `--no-admin-consent` turns both off.
   */
  readonly adminConsent?: boolean;
  readonly abortSignal?: AbortSignal;
}

/** One planned change. */
export interface PlanChange {
  readonly action: "create" | "update" | "add";
  /**
   * What is changed: `application`, `servicePrincipal`, `credential`, `adminConsent` (delegated
   * permission grants), `appRoleAssignments` (application permissions), `adminAgents`, `profile`.
   */
  readonly target: string;
  readonly detail: string;
}

/** What exists and what would change. `changes` empty ⇒ nothing to do. */
export interface AppPlan {
  readonly tenantId: string;
  readonly displayName: string;
  /** The existing app, if any. */
  readonly app: { readonly objectId: string; readonly appId: string } | undefined;
  /** Human lines about what already exists and is right. */
  readonly exists: readonly string[];
  readonly changes: readonly PlanChange[];
  /** Notes to print (e.g. GDAP needs per-customer consent). */
  readonly notes: readonly string[];
  /** @internal details for {@link applyAppPlan}. */
  readonly internal: {
    readonly createBody?: ApplicationPatch;
    readonly patch?: ApplicationPatch;
    readonly createSp: boolean;
    readonly resourceSps: readonly string[];
    readonly credential: "secret" | "certificate" | undefined;
    readonly adminAgentsGroupId: string | undefined;
    /** Grant admin consent (delegated grants and app role assignments) on apply. */
    readonly adminConsent: boolean;
    /** The stored profile points at another app: its refresh token is dropped. */
    readonly replaceProfile: boolean;
    readonly storedProfile: PartnerProfile | undefined;
  };
}

/** What {@link applyAppPlan} did. */
export interface AppApplyResult {
  readonly tenantId: string;
  readonly clientId: string;
  readonly objectId: string;
  readonly displayName: string;
  readonly changes: readonly PlanChange[];
  /** Set only when a new secret was added (print only with `--show-secret`). */
  readonly secret: string | undefined;
  readonly credentialExpiresAt: string | undefined;
  readonly credentialKeyId: string | undefined;
}

async function resolvePermissions(graph: GraphClient, specs: readonly PermissionSpec[]): Promise<RequiredResourceAccess[]> {
  const out: RequiredResourceAccess[] = [];
  for (const spec of specs) {
    let id = spec.permission;
    if (!isGuid(id)) {
      const sp = await findServicePrincipal(graph, spec.resourceAppId);
      const list = spec.type === "Scope" ? sp?.oauth2PermissionScopes : sp?.appRoles;
      const found = (list ?? []).find((p) => p.value.toLowerCase() === spec.permission.toLowerCase());
      if (found === undefined) {
        throw new SamkitError("SAMKIT_USAGE", {
          params: {
            detail: `--permission: ${spec.type === "Scope" ? "delegated scope" : "app role"} '${spec.permission}' is not offered by resource ${spec.resourceAppId} in this tenant.`,
            command: "app create",
          },
        });
      }
      id = found.id;
    }
    out.push({ resourceAppId: spec.resourceAppId, resourceAccess: [{ id: id.toLowerCase(), type: spec.type }] });
  }
  return out;
}

function credentialPresent(kind: "secret" | "certificate", app: GraphApplication, p: PartnerProfile | undefined): boolean {
  if (p === undefined || p.clientId.toLowerCase() !== app.appId.toLowerCase()) return false;
  const keyId = p.metadata.secretKeyId?.toLowerCase();
  if (kind === "secret") {
    if (p.clientSecret === undefined) return false;
    return keyId === undefined || (app.passwordCredentials ?? []).some((c) => c.keyId.toLowerCase() === keyId);
  }
  if (p.certificate === undefined) return false;
  const sha1 = certificateThumbprints(p.certificate.certificatePem, p.clientId).sha1Hex;
  return (app.keyCredentials ?? []).some((k) => (k.keyId !== undefined && k.keyId.toLowerCase() === keyId) || (k.customKeyIdentifier ?? "").toUpperCase() === sha1);
}

/**
 * Reads the tenant and the store and plans the changes. Makes no changes.
 * @throws SamkitError `SAMKIT_APP_GRAPH_FAILED`, `SAMKIT_USAGE` (unknown `--permission`),
 *   `SAMKIT_INVALID_INPUT` (several apps with the name), store errors
 */
export async function planApp(o: AppCreateOptions): Promise<AppPlan> {
  const displayName = o.name ?? DEFAULT_APP_NAME;
  const kind = o.credential ?? "secret";
  const stored = await readProfile(o.store, o.profile, {
    ...(o.secretPrefix !== undefined ? { secretPrefix: o.secretPrefix } : {}),
    defaultCloud: o.cloud.name,
    ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}),
  });
  const extra = await resolvePermissions(o.graph, o.permissions ?? []);
  const desiredAccess = mergeRequiredAccess(DEFAULT_REQUIRED_ACCESS, o.legacyAadGraph === true ? [LEGACY_AAD_GRAPH_ACCESS] : [], extra);
  const desiredWeb = [LOOPBACK_REDIRECT_URI];
  const desiredPublic = o.legacyOob === true ? [LEGACY_OOB_REDIRECT_URI] : [];

  const candidates = await findApplicationsByName(o.graph, displayName);
  let app: GraphApplication | undefined;
  if (candidates.length > 1) {
    app = candidates.find((a) => stored !== undefined && a.appId.toLowerCase() === stored.clientId.toLowerCase());
    if (app === undefined) {
      throw new SamkitError("SAMKIT_INVALID_INPUT", {
        params: { detail: `${candidates.length} app registrations are named '${displayName}' (${candidates.map((a) => a.appId).join(", ")}); pass --name with a unique name, or adopt one with \`samkit app use\`.` },
      });
    }
  } else {
    app = candidates[0];
  }

  const exists: string[] = [];
  const changes: PlanChange[] = [];
  const notes: string[] = [];
  let createBody: ApplicationPatch | undefined;
  let patch: ApplicationPatch | undefined;

  if (app === undefined) {
    createBody = {
      displayName,
      signInAudience: "AzureADMultipleOrgs",
      isFallbackPublicClient: true,
      web: { redirectUris: desiredWeb },
      ...(desiredPublic.length > 0 ? { publicClient: { redirectUris: desiredPublic } } : {}),
      requiredResourceAccess: desiredAccess,
    };
    changes.push({ action: "create", target: "application", detail: `multi-tenant app '${displayName}' with redirect ${[...desiredWeb, ...desiredPublic].join(", ")}, public client flows on, ${desiredAccess.reduce((n, r) => n + r.resourceAccess.length, 0)} permissions` });
  } else {
    exists.push(`application '${app.displayName}' (client ID ${app.appId})`);
    const p: { -readonly [K in keyof ApplicationPatch]: ApplicationPatch[K] } = {};
    if (app.signInAudience !== "AzureADMultipleOrgs") {
      p.signInAudience = "AzureADMultipleOrgs";
      changes.push({ action: "update", target: "application", detail: `signInAudience ${app.signInAudience ?? "unset"} → AzureADMultipleOrgs` });
    }
    if (app.isFallbackPublicClient !== true) {
      p.isFallbackPublicClient = true;
      changes.push({ action: "update", target: "application", detail: "allow public client flows (isFallbackPublicClient) → true" });
    }
    const web = [...(app.web?.redirectUris ?? [])];
    const addWeb = desiredWeb.filter((u) => !web.includes(u));
    if (addWeb.length > 0) {
      p.web = { redirectUris: [...web, ...addWeb] };
      changes.push({ action: "update", target: "application", detail: `add web redirect URI ${addWeb.join(", ")}` });
    }
    const pub = [...(app.publicClient?.redirectUris ?? [])];
    const addPub = desiredPublic.filter((u) => !pub.includes(u));
    if (addPub.length > 0) {
      p.publicClient = { redirectUris: [...pub, ...addPub] };
      changes.push({ action: "update", target: "application", detail: `add public-client redirect URI ${addPub.join(", ")}` });
    }
    const missing = missingAccess(app.requiredResourceAccess ?? [], desiredAccess);
    if (missing.length > 0) {
      p.requiredResourceAccess = mergeRequiredAccess(app.requiredResourceAccess ?? [], desiredAccess);
      changes.push({ action: "update", target: "application", detail: `add ${missing.reduce((n, r) => n + r.resourceAccess.length, 0)} required permission(s)` });
    }
    if (Object.keys(p).length > 0) patch = p;
    else exists.push("application settings, redirect URIs and permissions are as required");
  }

  let createSp = true;
  if (app !== undefined) {
    const sp = await findServicePrincipal(o.graph, app.appId);
    createSp = sp === undefined;
    if (sp !== undefined) exists.push(`service principal ${sp.id}`);
  }
  if (createSp) changes.push({ action: "create", target: "servicePrincipal", detail: "service principal of the app in the partner tenant" });

  const resourceSps: string[] = [];
  for (const rra of desiredAccess) {
    const sp = await findServicePrincipal(o.graph, rra.resourceAppId);
    if (sp === undefined) {
      resourceSps.push(rra.resourceAppId);
      changes.push({ action: "create", target: "servicePrincipal", detail: `service principal of resource app ${rra.resourceAppId}` });
    }
  }

  let credential: "secret" | "certificate" | undefined;
  if (app !== undefined && credentialPresent(kind, app, stored)) {
    exists.push(`${kind === "secret" ? "client secret" : "certificate"} in ${o.store.description} (key ${stored?.metadata.secretKeyId ?? "unknown"})`);
  } else {
    credential = kind;
    changes.push({ action: "add", target: "credential", detail: kind === "secret" ? "new client secret, stored in the secret store" : "new certificate (private key stored in the secret store)" });
  }

  const replaceProfile = stored !== undefined && app !== undefined ? stored.clientId.toLowerCase() !== app.appId.toLowerCase() : stored !== undefined;
  if (replaceProfile) notes.push(`profile ${o.profile} pointed at app ${stored?.clientId ?? "?"}; it will point at the new app and its refresh token will be removed (run \`samkit consent\` afterwards).`);
  if (credential === undefined && stored !== undefined && app !== undefined && stored.tenantId.toLowerCase() !== o.tenantId.toLowerCase()) {
    changes.push({ action: "update", target: "profile", detail: `partner tenant ${stored.tenantId} → ${o.tenantId}` });
  }

  let adminConsent = false;
  if (o.adminConsent !== false) {
    const count = (type: "Scope" | "Role"): number => desiredAccess.reduce((n, r) => n + r.resourceAccess.filter((a) => a.type === type).length, 0);
    const scopeCount = count("Scope");
    const roleCount = count("Role");
    let consent: AdminConsentPlan | undefined;
    if (app !== undefined) consent = await planAdminConsent({ graph: o.graph, clientAppId: app.appId, requiredResourceAccess: desiredAccess });
    // Delegated permissions: oauth2PermissionGrants (POST a new one, PATCH missing scopes in).
    const todo = consent?.items.filter((i) => i.action !== "none");
    if (consent !== undefined && todo !== undefined && todo.length === 0) {
      if (scopeCount > 0) exists.push(`admin consent in the partner tenant for ${scopeCount} delegated permission(s)`);
    } else if (scopeCount > 0) {
      adminConsent = true;
      const what = todo !== undefined ? todo.map((i) => `${i.action === "create" ? "grant" : "add"} ${i.missing.join(" ")} on ${i.resourceAppId}`).join("; ") : `${scopeCount} delegated permission(s)`;
      changes.push({ action: todo?.every((i) => i.action === "update") === true ? "update" : "add", target: "adminConsent", detail: `tenant-wide admin consent (AllPrincipals) in the partner tenant: ${what}` });
    }
    // Application permissions: one app role assignment per missing role.
    const rolesTodo = consent?.roleItems.filter((i) => i.missing.length > 0);
    if (consent !== undefined && rolesTodo !== undefined && rolesTodo.length === 0) {
      if (roleCount > 0) exists.push(`app role assignments in the partner tenant for ${roleCount} application permission(s)`);
    } else if (roleCount > 0) {
      adminConsent = true;
      const what = rolesTodo !== undefined ? rolesTodo.map((i) => `${i.missing.join(" ")} on ${i.resourceAppId}`).join("; ") : `${roleCount} application permission(s)`;
      changes.push({ action: "add", target: "appRoleAssignments", detail: `application permissions (app role assignments) in the partner tenant: ${what}` });
    }
  }

  let adminAgentsGroupId: string | undefined;
  if (o.preconsent === true) {
    const group = await findGroupByName(o.graph, ADMIN_AGENTS_GROUP);
    if (group === undefined) {
      throw new SamkitError("SAMKIT_APP_GRAPH_FAILED", {
        params: { operation: "finding the AdminAgents group", detail: "the partner tenant has no AdminAgents group (it exists only in partner tenants with DAP)" },
      });
    }
    const spId = app !== undefined ? (await findServicePrincipal(o.graph, app.appId))?.id : undefined;
    if (spId !== undefined && (await isGroupMember(o.graph, group.id, spId))) {
      exists.push("service principal is a member of AdminAgents (pre-consent)");
    } else {
      adminAgentsGroupId = group.id;
      changes.push({ action: "add", target: "adminAgents", detail: "service principal → AdminAgents group (legacy DAP pre-consent)" });
    }
    notes.push("Pre-consent through AdminAgents covers DAP customers only; GDAP customers need per-customer consent (Partner Center applicationconsents, `samkit customers consent`).");
  }

  return {
    tenantId: o.tenantId,
    displayName,
    app: app ? { objectId: app.id, appId: app.appId } : undefined,
    exists,
    changes,
    notes,
    internal: {
      ...(createBody ? { createBody } : {}),
      ...(patch ? { patch } : {}),
      createSp,
      resourceSps,
      credential,
      adminAgentsGroupId,
      adminConsent,
      replaceProfile,
      storedProfile: stored,
    },
  };
}

function ignoreConflict(err: unknown): void {
  // Creating a service principal that already exists answers 409/400 "already exists" (CIPP ignores it).
  if (isSamkitError(err, "SAMKIT_APP_GRAPH_FAILED") && (err.status === 409 || /already exist/i.test(err.serviceMessage ?? ""))) return;
  throw err;
}

/**
 * Applies a plan from {@link planApp}. The new credential is written to the store before anything
 * else can fail; if storing fails the credential is removed from the app again.
 * @throws SamkitError `SAMKIT_APP_GRAPH_FAILED`, store errors
 */
export async function applyAppPlan(o: AppCreateOptions, plan: AppPlan): Promise<AppApplyResult> {
  const { internal } = plan;
  let objectId = plan.app?.objectId;
  let appId = plan.app?.appId;
  if (internal.createBody) {
    const created = await createApplication(o.graph, internal.createBody);
    objectId = created.id;
    appId = created.appId;
  } else if (internal.patch && objectId !== undefined) {
    await updateApplication(o.graph, objectId, internal.patch);
  }
  if (objectId === undefined || appId === undefined) throw new SamkitError("SAMKIT_INTERNAL", { params: { detail: "no application after apply" } });

  let spId: string | undefined;
  if (internal.createSp) {
    try {
      spId = (await createServicePrincipal(o.graph, appId)).id;
    } catch (err) {
      ignoreConflict(err);
    }
  }
  for (const resourceAppId of internal.resourceSps) {
    try {
      await createServicePrincipal(o.graph, resourceAppId);
    } catch (err) {
      ignoreConflict(err);
    }
  }

  let added: AddedCredential | undefined;
  if (internal.credential === "secret") added = await addSecretCredential(o.graph, objectId);
  else if (internal.credential === "certificate") {
    const held = internal.storedProfile?.certificate?.certificatePem;
    added = await addCertificateCredential(o.graph, objectId, plan.displayName, held !== undefined ? [held] : []);
  }

  const stored = internal.storedProfile;
  const keep = stored !== undefined && !internal.replaceProfile ? stored : undefined;
  const profile: PartnerProfile = {
    profile: o.profile,
    cloud: o.cloud.name,
    tenantId: o.tenantId,
    clientId: appId,
    ...(added?.kind === "secret" ? { clientSecret: added.secret } : keep?.clientSecret !== undefined && added === undefined ? { clientSecret: keep.clientSecret } : {}),
    ...(added?.kind === "certificate" ? { certificate: added.certificate } : keep?.certificate !== undefined && added === undefined ? { certificate: keep.certificate } : {}),
    ...(keep?.refreshToken !== undefined ? { refreshToken: keep.refreshToken } : {}),
    metadata: {
      ...(keep?.metadata ?? {}),
      ...(added !== undefined ? { secretExpiresAt: added.expiresAt, secretKeyId: added.keyId } : {}),
    },
  };
  if (added !== undefined || internal.replaceProfile || stored === undefined || stored.tenantId.toLowerCase() !== o.tenantId.toLowerCase()) {
    try {
      await writeProfile(o.store, profile, {
        replace: internal.replaceProfile || added !== undefined,
        ...(o.secretPrefix !== undefined ? { secretPrefix: o.secretPrefix } : {}),
        ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}),
      });
    } catch (err) {
      if (added !== undefined) {
        const pems = added.kind === "certificate" ? [added.certificate.certificatePem] : [];
        await removeCredential(o.graph, objectId, added.kind, added.keyId, pems).catch(() => undefined);
      }
      throw err;
    }
  }

  if (internal.adminConsent) await grantAdminConsent({ graph: o.graph, clientAppId: appId });

  if (internal.adminAgentsGroupId !== undefined) {
    spId ??= (await findServicePrincipal(o.graph, appId))?.id;
    if (spId !== undefined) await addGroupMember(o.graph, internal.adminAgentsGroupId, spId);
  }

  return {
    tenantId: o.tenantId,
    clientId: appId,
    objectId,
    displayName: plan.displayName,
    changes: plan.changes,
    secret: added?.kind === "secret" ? added.secret : undefined,
    credentialExpiresAt: added?.expiresAt,
    credentialKeyId: added?.keyId,
  };
}
