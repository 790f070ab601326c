/**
 * The emulator's seeded world: a partner tenant, its users and the ready-made SAM app, Microsoft's
 * first-party apps, and N customer tenants with GDAP relationships and app consents — including
 * the deliberately broken states of CONTRACTS §9. Deterministic: every id is derived from the seed.
 *
 * All lookups are O(1) through index maps, so 10,000 customers stay fast. Customer users are
 * created lazily on first access (`usersIn`, `userByUpn`).
 *
 * Mutations (new apps, consents, secrets) go through the methods here so the indexes stay right.
 * `EmulatorServer.reset()` replaces the whole `World` object: services must read `ctx.world` on
 * every request rather than keeping a reference.
 */
import { seededGuid, seededInt, seededSecret } from "./ids.js";
import { APP_IDS, DIRECTORY_ROLES, RESOURCE_PERMISSIONS, RESOURCE_URIS } from "./well-known.js";
import type {
  Application,
  CustomerRecord,
  GdapRelationship,
  Grant,
  PasswordCredential,
  ServicePrincipal,
  Tenant,
  User,
  VaultSecretVersion,
} from "./world-types.js";

/** Options for {@link World.build}. */
export interface WorldOptions {
  /** Seed for every id in the world. Default `"samkit"`. */
  readonly seed?: string;
  /** Number of customer tenants (0..10,000+). Default 25. */
  readonly customers?: number;
  /**
   * Epoch seconds that seeded timestamps (createdDateTime, GDAP end dates, secret expiry) are
   * relative to. Default: now (the emulator passes its clock's start).
   */
  readonly epochSeconds?: number;
}

/** Passwords of the seeded partner users (fixed, documented in docs/emulator.md). */
export const SEEDED_PASSWORDS = {
  service: "Sam-Service-Pa55!",
  admin: "Sam-Admin-Pa55!",
  nomfa: "Sam-NoMfa-Pa55!",
  customerAdmin: "Customer-Admin-Pa55!",
} as const;

/** Order in which broken customers are seeded (customer index 1..5; index 0 and 6+ are healthy). */
export const BROKEN_CUSTOMER_STATES = [
  "no-consent",
  "no-gdap",
  "conditional-access",
  "no-relationship",
  "national-cloud",
] as const satisfies readonly CustomerRecord["seededState"][];

const ADJECTIVES = ["Blue", "Northwind", "Fabrikam", "Contoso", "Adventure", "Tailspin", "Litware", "Proseware", "Wide World", "Coho", "Alpine", "Lucerne", "Margie's", "Trey", "Woodgrove", "Humongous"];
const NOUNS = ["Traders", "Works", "Systems", "Logistics", "Health", "Foods", "Energy", "Travel", "Bank", "Winery", "Research", "Toys", "Publishing", "Insurance", "Studios", "Labs"];

/** Values shared by every seeded customer (computed once per build). */
interface CustomerSeedShared {
  readonly samGrants: readonly { resourceAppId: string; scopes: string[]; roles: string[] }[];
  readonly gdapCreated: string;
  readonly gdapEnd: string;
  readonly gdapExpiredEnd: string;
}

/** Key of a (tenant, app) pair in the service-principal index. */
const spKey = (tenantId: string, appId: string): string => `${tenantId}/${appId}`;

/**
 * The world: plain world-types objects plus indexes. Construct with {@link World.build}.
 */
export class World {
  readonly seed: string;
  readonly epochSeconds: number;
  readonly partnerTenantId: string;
  /** The ready-made SAM app (multi-tenant, secret, `isFallbackPublicClient`, `http://localhost`). */
  readonly samAppId: string;
  readonly samAppSecret: string;
  /** UPNs of the seeded partner users. */
  readonly serviceAccountUpn: string;
  readonly adminUpn: string;
  readonly noMfaUpn: string;

  /** Tenants by id (lower-case GUID). */
  readonly tenants = new Map<string, Tenant>();
  /** Tenants by domain (lower-case). */
  readonly tenantsByDomain = new Map<string, Tenant>();
  /** Users by objectId. */
  readonly users = new Map<string, User>();
  /** Users by UPN (lower-case). */
  readonly usersByUpn = new Map<string, User>();
  /** Users per tenant id (materialized lazily for customers). */
  private readonly usersByTenant = new Map<string, User[]>();
  /** Applications by appId. */
  readonly applications = new Map<string, Application>();
  /** Applications by object id. */
  readonly applicationsByObjectId = new Map<string, Application>();
  /** Service principals by `${tenantId}/${appId}`. */
  private readonly sps = new Map<string, ServicePrincipal>();
  /** Service principals by object id. */
  readonly servicePrincipalsByObjectId = new Map<string, ServicePrincipal>();
  /** Non-first-party service principals per tenant. */
  private readonly spsByTenant = new Map<string, Map<string, ServicePrincipal>>();
  /** Grants per tenant, keyed `${clientAppId}/${resourceAppId}`. */
  private readonly grantsByTenant = new Map<string, Map<string, Grant>>();
  /** GDAP relationships by id and per customer tenant. */
  readonly gdapById = new Map<string, GdapRelationship>();
  private readonly gdapByCustomer = new Map<string, GdapRelationship[]>();
  /** Customers in seeded order, and by tenant id. */
  readonly customerList: CustomerRecord[] = [];
  readonly customers = new Map<string, CustomerRecord>();
  /** Emulated Key Vault secrets: name (lower-case) → versions, oldest first. */
  readonly vaultSecrets = new Map<string, VaultSecretVersion[]>();

  private constructor(seed: string, epochSeconds: number) {
    this.seed = seed;
    this.epochSeconds = epochSeconds;
    this.partnerTenantId = seededGuid(seed, "tenant:partner");
    this.samAppId = seededGuid(seed, "app:sam");
    this.samAppSecret = seededSecret(seed, "secret:sam");
    const domain = "samkitpartner.onmicrosoft.com";
    this.serviceAccountUpn = `sam@${domain}`;
    this.adminUpn = `admin@${domain}`;
    this.noMfaUpn = `user@${domain}`;
  }

  /** Build the deterministic world for `options.seed` with `options.customers` customers. */
  static build(options: WorldOptions = {}): World {
    const w = new World(options.seed ?? "samkit", options.epochSeconds ?? Math.floor(Date.now() / 1000));
    w.seedPartner();
    w.seedFirstPartyApps();
    w.seedSamApp();
    const n = Math.max(0, Math.floor(options.customers ?? 25));
    const shared: CustomerSeedShared = {
      samGrants: w.grantsFor(w.application(w.samAppId)!),
      gdapCreated: w.iso(-86400 * 400),
      gdapEnd: w.iso(86400 * 330),
      gdapExpiredEnd: w.iso(-86400 * 35),
    };
    for (let i = 0; i < n; i++) w.seedCustomer(i, shared);
    return w;
  }

  /** ISO 8601 for an offset (seconds) from the world's epoch. */
  iso(offsetSeconds = 0): string {
    return new Date((this.epochSeconds + offsetSeconds) * 1000).toISOString();
  }

  // ----- lookups ----------------------------------------------------------------------------

  /** Tenant by GUID or domain (case-insensitive); undefined when unknown. */
  resolveTenant(idOrDomain: string): Tenant | undefined {
    const k = idOrDomain.toLowerCase();
    return this.tenants.get(k) ?? this.tenantsByDomain.get(k);
  }

  /** The partner tenant. */
  get partner(): Tenant {
    return this.tenants.get(this.partnerTenantId)!;
  }

  /** User by UPN (case-insensitive); materializes a customer's users on first access. */
  userByUpn(upn: string): User | undefined {
    const k = upn.toLowerCase();
    const hit = this.usersByUpn.get(k);
    if (hit) return hit;
    const domain = k.split("@")[1];
    const t = domain ? this.tenantsByDomain.get(domain) : undefined;
    if (!t) return undefined;
    this.usersIn(t.tenantId);
    return this.usersByUpn.get(k);
  }

  /** User by object id. Customer users exist once their tenant's users were materialized. */
  userById(objectId: string): User | undefined {
    return this.users.get(objectId.toLowerCase());
  }

  /** All users of a tenant (customer users are created on first call). */
  usersIn(tenantId: string): User[] {
    const tid = tenantId.toLowerCase();
    let list = this.usersByTenant.get(tid);
    if (list) return list;
    list = [];
    this.usersByTenant.set(tid, list);
    const t = this.tenants.get(tid);
    if (t?.kind === "customer") {
      this.addUser(t, "admin", "Customer Admin", SEEDED_PASSWORDS.customerAdmin, true, [DIRECTORY_ROLES.globalAdministrator]);
      this.addUser(t, "alex", "Alex Wilber", SEEDED_PASSWORDS.customerAdmin, false, []);
    }
    return list;
  }

  /** Application by appId (client id). */
  application(appId: string): Application | undefined {
    return this.applications.get(appId.toLowerCase());
  }

  /**
   * Resource application for a resource identifier: an App ID URI (`https://graph.microsoft.com`,
   * trailing slash ignored, case-insensitive host) or an appId GUID.
   */
  resourceApp(resource: string): Application | undefined {
    const r = resource.trim().replace(/\/+$/, "").toLowerCase();
    const byId = this.applications.get(r);
    if (byId) return byId;
    return this.resourceByUri.get(r);
  }
  private readonly resourceByUri = new Map<string, Application>();

  /**
   * The service principal of `appId` in `tenantId`. First-party apps have one in every tenant
   * (materialized on demand); other apps only where created (home tenant, or by consent).
   */
  servicePrincipal(tenantId: string, appId: string): ServicePrincipal | undefined {
    const tid = tenantId.toLowerCase();
    const aid = appId.toLowerCase();
    const hit = this.sps.get(spKey(tid, aid));
    if (hit) return hit;
    const app = this.applications.get(aid);
    if (app?.firstParty && this.tenants.has(tid)) {
      return this.addServicePrincipal(tid, aid);
    }
    return undefined;
  }

  /** Service principals in a tenant (first-party ones included). */
  servicePrincipalsIn(tenantId: string): ServicePrincipal[] {
    const tid = tenantId.toLowerCase();
    for (const app of this.applications.values()) if (app.firstParty) this.servicePrincipal(tid, app.appId);
    return [...(this.spsByTenant.get(tid)?.values() ?? [])];
  }

  /** Grant of `clientAppId` on `resourceAppId` in `tenantId`, if any. */
  grant(tenantId: string, clientAppId: string, resourceAppId: string): Grant | undefined {
    return this.grantsByTenant.get(tenantId.toLowerCase())?.get(`${clientAppId.toLowerCase()}/${resourceAppId.toLowerCase()}`);
  }

  /** Every grant in a tenant. */
  grantsIn(tenantId: string): Grant[] {
    return [...(this.grantsByTenant.get(tenantId.toLowerCase())?.values() ?? [])];
  }

  /** GDAP relationships with one customer. */
  gdapFor(customerTenantId: string): GdapRelationship[] {
    return this.gdapByCustomer.get(customerTenantId.toLowerCase()) ?? [];
  }

  /**
   * The active GDAP relationship with a customer at `nowSeconds` (status active and end date in
   * the future), or undefined.
   */
  activeGdap(customerTenantId: string, nowSeconds: number): GdapRelationship | undefined {
    return this.gdapFor(customerTenantId).find(
      (r) => r.status === "active" && Date.parse(r.endDateTime) / 1000 > nowSeconds,
    );
  }

  /**
   * Whether `appId` is consented in `tenantId`: it has a service principal there (first-party
   * apps always do). This is what Partner Center `applicationconsents` creates.
   */
  isConsented(tenantId: string, appId: string): boolean {
    const app = this.application(appId);
    if (app?.firstParty) return true;
    return this.sps.has(spKey(tenantId.toLowerCase(), appId.toLowerCase()));
  }

  // ----- mutations --------------------------------------------------------------------------

  /** Add (or return the existing) service principal of `appId` in `tenantId`. */
  addServicePrincipal(tenantId: string, appId: string): ServicePrincipal {
    const tid = tenantId.toLowerCase();
    const aid = appId.toLowerCase();
    const key = spKey(tid, aid);
    const existing = this.sps.get(key);
    if (existing) return existing;
    const app = this.applications.get(aid);
    const sp: ServicePrincipal = {
      objectId: seededGuid(this.seed, `sp:${key}`),
      appId: aid,
      tenantId: tid,
      displayName: app?.displayName ?? aid,
      accountEnabled: true,
    };
    this.sps.set(key, sp);
    this.servicePrincipalsByObjectId.set(sp.objectId, sp);
    let m = this.spsByTenant.get(tid);
    if (!m) this.spsByTenant.set(tid, (m = new Map()));
    m.set(aid, sp);
    return sp;
  }

  /** Remove a service principal (and the app's grants in that tenant). */
  removeServicePrincipal(tenantId: string, appId: string): void {
    const tid = tenantId.toLowerCase();
    const aid = appId.toLowerCase();
    const sp = this.sps.get(spKey(tid, aid));
    if (!sp) return;
    this.sps.delete(spKey(tid, aid));
    this.servicePrincipalsByObjectId.delete(sp.objectId);
    this.spsByTenant.get(tid)?.delete(aid);
    const grants = this.grantsByTenant.get(tid);
    if (grants) for (const k of [...grants.keys()]) if (k.startsWith(`${aid}/`)) grants.delete(k);
  }

  /**
   * Add scopes/roles to the grant of `clientAppId` on `resourceAppId` in `tenantId` (merging
   * with an existing grant). Creates the client's service principal there too.
   */
  addGrant(tenantId: string, clientAppId: string, resourceAppId: string, scopes: readonly string[], roles: readonly string[] = []): Grant {
    const tid = tenantId.toLowerCase();
    const cid = clientAppId.toLowerCase();
    const rid = resourceAppId.toLowerCase();
    this.addServicePrincipal(tid, cid);
    let m = this.grantsByTenant.get(tid);
    if (!m) this.grantsByTenant.set(tid, (m = new Map()));
    const key = `${cid}/${rid}`;
    let g = m.get(key);
    if (!g) {
      g = { tenantId: tid, clientAppId: cid, resourceAppId: rid, scopes: [], roles: [] };
      m.set(key, g);
    }
    for (const s of scopes) if (!g.scopes.includes(s)) g.scopes.push(s);
    for (const r of roles) if (!g.roles.includes(r)) g.roles.push(r);
    return g;
  }

  /**
   * Consent `appId` in a customer tenant the way Partner Center `applicationconsents` does:
   * service principal plus the grants its `requiredResourceAccess` asks for.
   */
  consentApplication(tenantId: string, appId: string): void {
    const app = this.application(appId);
    this.addServicePrincipal(tenantId, appId);
    if (!app) return;
    for (const g of this.grantsFor(app)) this.addGrant(tenantId, appId, g.resourceAppId, g.scopes, g.roles);
  }

  /** Permission values an app's `requiredResourceAccess` asks for, per resource app. */
  grantsFor(app: Application): { resourceAppId: string; scopes: string[]; roles: string[] }[] {
    return app.requiredResourceAccess.map((rra) => {
      const perms = RESOURCE_PERMISSIONS[rra.resourceAppId.toLowerCase()];
      const res = this.application(rra.resourceAppId);
      const scopeDefs = res?.oauth2PermissionScopes ?? perms?.scopes ?? [];
      const roleDefs = res?.appRoles ?? perms?.roles ?? [];
      const scopes = rra.resourceAccess.filter((a) => a.type === "Scope").map((a) => scopeDefs.find((d) => d.id === a.id)?.value).filter((v): v is string => !!v);
      const roles = rra.resourceAccess.filter((a) => a.type === "Role").map((a) => roleDefs.find((d) => d.id === a.id)?.value).filter((v): v is string => !!v);
      return { resourceAppId: rra.resourceAppId.toLowerCase(), scopes, roles };
    });
  }

  /** Register an application (indexes it by appId and object id; App ID URIs for resources). */
  addApplication(app: Application): Application {
    this.applications.set(app.appId.toLowerCase(), app);
    this.applicationsByObjectId.set(app.objectId.toLowerCase(), app);
    for (const uri of app.identifierUris) this.resourceByUri.set(uri.replace(/\/+$/, "").toLowerCase(), app);
    return app;
  }

  /** Remove an application and its service principals everywhere. */
  removeApplication(appId: string): void {
    const aid = appId.toLowerCase();
    const app = this.applications.get(aid);
    if (!app) return;
    this.applications.delete(aid);
    this.applicationsByObjectId.delete(app.objectId.toLowerCase());
    for (const uri of app.identifierUris) this.resourceByUri.delete(uri.replace(/\/+$/, "").toLowerCase());
    for (const sp of [...this.sps.values()]) if (sp.appId === aid) this.removeServicePrincipal(sp.tenantId, aid);
  }

  /** Add a GDAP relationship (indexed per customer). */
  addGdap(rel: GdapRelationship): GdapRelationship {
    this.gdapById.set(rel.id, rel);
    const tid = rel.customerTenantId.toLowerCase();
    const list = this.gdapByCustomer.get(tid) ?? [];
    list.push(rel);
    this.gdapByCustomer.set(tid, list);
    return rel;
  }

  // ----- seeding ----------------------------------------------------------------------------

  private addTenant(t: Tenant): Tenant {
    this.tenants.set(t.tenantId, t);
    this.tenantsByDomain.set(t.domain, t);
    return t;
  }

  private addUser(t: Tenant, alias: string, displayName: string, password: string, mfa: boolean, roles: string[]): User {
    const upn = `${alias}@${t.domain}`;
    const u: User = {
      objectId: seededGuid(this.seed, `user:${upn}`),
      tenantId: t.tenantId,
      userPrincipalName: upn,
      displayName,
      password,
      mfa,
      roles,
      sessionsValidFromSeconds: 0,
    };
    this.users.set(u.objectId, u);
    this.usersByUpn.set(upn, u);
    let list = this.usersByTenant.get(t.tenantId);
    if (!list) this.usersByTenant.set(t.tenantId, (list = []));
    list.push(u);
    return u;
  }

  private seedPartner(): void {
    const t = this.addTenant({
      tenantId: this.partnerTenantId,
      domain: "samkitpartner.onmicrosoft.com",
      displayName: "Samkit Partner (emulated)",
      kind: "partner",
      cloud: "global",
      conditionalAccessBlock: false,
    });
    this.addUser(t, "sam", "SAM Service Account", SEEDED_PASSWORDS.service, true, [DIRECTORY_ROLES.globalAdministrator]);
    this.addUser(t, "admin", "Partner Admin", SEEDED_PASSWORDS.admin, true, [DIRECTORY_ROLES.globalAdministrator]);
    this.addUser(t, "user", "User Without MFA", SEEDED_PASSWORDS.nomfa, false, []);
  }

  private firstPartyApp(appId: string, displayName: string, opts: { publicClient?: boolean; uris?: string[]; redirects?: string[] } = {}): void {
    const perms = RESOURCE_PERMISSIONS[appId];
    this.addApplication({
      objectId: seededGuid(this.seed, `appobj:${appId}`),
      appId,
      homeTenantId: "f8cdef31-a31e-4b4a-93e4-5f571e91255a", // Microsoft Services tenant
      displayName,
      signInAudience: "AzureADMultipleOrgs",
      isFallbackPublicClient: opts.publicClient ?? false,
      webRedirectUris: [],
      publicClientRedirectUris: opts.redirects ?? [],
      requiredResourceAccess: [],
      passwordCredentials: [],
      keyCredentials: [],
      firstParty: true,
      identifierUris: opts.uris ?? [],
      oauth2PermissionScopes: (perms?.scopes ?? []).map((p) => ({ id: p.id, value: p.value })),
      appRoles: (perms?.roles ?? []).map((p) => ({ id: p.id, value: p.value })),
      createdDateTime: this.iso(-86400 * 3650),
    });
  }

  private seedFirstPartyApps(): void {
    const loopback = ["http://localhost", "https://login.microsoftonline.com/common/oauth2/nativeclient"];
    this.firstPartyApp(APP_IDS.azureCli, "Microsoft Azure CLI", { publicClient: true, redirects: loopback });
    this.firstPartyApp(APP_IDS.graphCli, "Microsoft Graph Command Line Tools", { publicClient: true, redirects: loopback });
    this.firstPartyApp(APP_IDS.partnerCenter, "Microsoft Partner Center", { uris: [RESOURCE_URIS.partnerCenter] });
    this.firstPartyApp(APP_IDS.microsoftGraph, "Microsoft Graph", { uris: [RESOURCE_URIS.microsoftGraph, "https://graph.microsoft.us", "https://canary.graph.microsoft.com"] });
    this.firstPartyApp(APP_IDS.aadGraph, "Windows Azure Active Directory", { uris: [RESOURCE_URIS.aadGraph] });
    this.firstPartyApp(APP_IDS.azureServiceManagement, "Windows Azure Service Management API", { uris: [RESOURCE_URIS.azureServiceManagement, RESOURCE_URIS.azureServiceManagementLegacy] });
    this.firstPartyApp(APP_IDS.keyVault, "Azure Key Vault", { uris: [RESOURCE_URIS.keyVault] });
    this.firstPartyApp(APP_IDS.exchangeOnline, "Office 365 Exchange Online", { uris: [RESOURCE_URIS.exchangeOnline, "https://outlook.office.com"] });
  }

  private seedSamApp(): void {
    const secret: PasswordCredential = {
      keyId: seededGuid(this.seed, "secretid:sam"),
      displayName: "samkit emulator seed",
      secretText: this.samAppSecret,
      hint: this.samAppSecret.slice(0, 3),
      startDateTime: this.iso(-86400),
      endDateTime: this.iso(86400 * 365 * 2),
    };
    this.addApplication({
      objectId: seededGuid(this.seed, "appobj:sam"),
      appId: this.samAppId,
      homeTenantId: this.partnerTenantId,
      displayName: "Samkit SAM app (seeded)",
      signInAudience: "AzureADMultipleOrgs",
      isFallbackPublicClient: true,
      webRedirectUris: ["http://localhost"],
      publicClientRedirectUris: [],
      requiredResourceAccess: [
        { resourceAppId: APP_IDS.partnerCenter, resourceAccess: [{ id: "1cebfa2a-fb4d-419e-b5f9-839b4383e05a", type: "Scope" }] },
        {
          resourceAppId: APP_IDS.microsoftGraph,
          resourceAccess: [
            { id: "06da0dbc-49e2-44d2-8312-53f166ab848a", type: "Scope" },
            { id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d", type: "Scope" },
            { id: "7ab1d382-f21e-4acd-a863-ba3e13f7da61", type: "Role" },
            { id: "bf394140-e372-4bf9-a898-299cfc7564e5", type: "Role" },
          ],
        },
      ],
      passwordCredentials: [secret],
      keyCredentials: [],
      firstParty: false,
      identifierUris: [],
      oauth2PermissionScopes: [],
      appRoles: [],
      createdDateTime: this.iso(-86400),
    });
    // Admin-consented in the partner tenant (service principal + grants).
    this.consentApplication(this.partnerTenantId, this.samAppId);
  }

  private seedCustomer(i: number, shared: CustomerSeedShared): void {
    const n = String(i + 1).padStart(4, "0");
    const name = `${ADJECTIVES[seededInt(this.seed, `adj:${i}`, ADJECTIVES.length)]} ${NOUNS[seededInt(this.seed, `noun:${i}`, NOUNS.length)]} ${n}`;
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, "");
    const state: CustomerRecord["seededState"] = i >= 1 && i <= BROKEN_CUSTOMER_STATES.length ? BROKEN_CUSTOMER_STATES[i - 1]! : "healthy";
    const tenantId = seededGuid(this.seed, `tenant:customer:${i}`);
    const domain = `${slug}.onmicrosoft.com`;
    this.addTenant({
      tenantId,
      domain,
      displayName: name,
      kind: "customer",
      cloud: state === "national-cloud" ? "usgov" : "global",
      conditionalAccessBlock: state === "conditional-access",
    });
    const rec: CustomerRecord = {
      tenantId,
      companyName: name,
      domain,
      relationshipToPartner: state === "no-relationship" ? "none" : "reseller",
      seededState: state,
      subscriptions: [
        { id: seededGuid(this.seed, `sub:${i}:0`), offerName: "Microsoft 365 Business Premium", quantity: 1 + seededInt(this.seed, `qty:${i}`, 50), status: "active" },
      ],
    };
    this.customerList.push(rec);
    this.customers.set(tenantId, rec);
    if (state !== "no-relationship") {
      const expired = state === "no-gdap";
      this.addGdap({
        id: `${seededGuid(this.seed, `gdap:${i}`)}-${seededGuid(this.seed, `gdap2:${i}`)}`,
        customerTenantId: tenantId,
        displayName: `samkit-${n}`,
        status: expired ? "expired" : "active",
        roles: [DIRECTORY_ROLES.directoryReaders, DIRECTORY_ROLES.userAdministrator, DIRECTORY_ROLES.helpdeskAdministrator],
        createdDateTime: shared.gdapCreated,
        endDateTime: expired ? shared.gdapExpiredEnd : shared.gdapEnd,
        autoExtendDuration: "P180D",
      });
    }
    if (state !== "no-consent" && state !== "no-relationship") {
      this.addServicePrincipal(tenantId, this.samAppId);
      for (const g of shared.samGrants) this.addGrant(tenantId, this.samAppId, g.resourceAppId, g.scopes, g.roles);
    }
  }
}
