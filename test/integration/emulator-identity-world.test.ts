/**
 * The seeded world: deterministic from the seed, broken customers where CONTRACTS §9 puts them,
 * O(1) lookups by id, domain, appId and UPN (customer users created lazily).
 */
import { describe, expect, it } from "vitest";
import { BROKEN_CUSTOMER_STATES, SEEDED_PASSWORDS, World } from "../../emulator/world.js";
import { APP_IDS } from "../../emulator/well-known.js";

describe("seeded world", () => {
  it("is deterministic per seed and differs across seeds", () => {
    const a = World.build({ seed: "s1", customers: 30, epochSeconds: 1_800_000_000 });
    const b = World.build({ seed: "s1", customers: 30, epochSeconds: 1_800_000_000 });
    const c = World.build({ seed: "s2", customers: 30, epochSeconds: 1_800_000_000 });
    const ids = (w: World) => [w.partnerTenantId, w.samAppId, w.samAppSecret, ...w.customerList.map((x) => `${x.tenantId}|${x.domain}|${x.companyName}`)];
    expect(ids(a)).toEqual(ids(b));
    expect(ids(c)).not.toEqual(ids(a));
    expect(new Set(a.customerList.map((x) => x.tenantId)).size).toBe(30);
    expect(new Set(a.customerList.map((x) => x.domain)).size).toBe(30);
    for (const id of ids(a).slice(0, 2)) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it("seeds the partner users, first-party apps and the consented SAM app", () => {
    const w = World.build({ customers: 0 });
    expect(w.userByUpn("SAM@samkitpartner.onmicrosoft.com")).toMatchObject({ mfa: true, password: SEEDED_PASSWORDS.service });
    expect(w.userByUpn(w.adminUpn)?.mfa).toBe(true);
    expect(w.userByUpn(w.noMfaUpn)?.mfa).toBe(false);
    expect(w.application(APP_IDS.azureCli)).toMatchObject({ firstParty: true, isFallbackPublicClient: true });
    expect(w.resourceApp("https://graph.microsoft.com/")?.appId).toBe(APP_IDS.microsoftGraph);
    expect(w.resourceApp(APP_IDS.keyVault)?.identifierUris).toContain("https://vault.azure.net");
    const sam = w.application(w.samAppId)!;
    expect(sam).toMatchObject({ isFallbackPublicClient: true, webRedirectUris: ["http://localhost"], signInAudience: "AzureADMultipleOrgs" });
    expect(w.grant(w.partnerTenantId, w.samAppId, APP_IDS.partnerCenter)?.scopes).toEqual(["user_impersonation"]);
    expect(w.grant(w.partnerTenantId, w.samAppId, APP_IDS.microsoftGraph)).toMatchObject({ scopes: ["Directory.Read.All", "User.Read"], roles: ["Directory.Read.All", "SecurityEvents.Read.All"] });
  });

  it("puts the broken customers at 2..6 with the §9 properties", () => {
    const w = World.build({ customers: 8 });
    const now = Math.floor(Date.now() / 1000);
    expect(w.customerList.map((c) => c.seededState)).toEqual(["healthy", ...BROKEN_CUSTOMER_STATES, "healthy", "healthy"]);
    const by = (s: string) => w.customerList.find((c) => c.seededState === s)!.tenantId;
    expect([w.isConsented(by("healthy"), w.samAppId), w.activeGdap(by("healthy"), now) !== undefined]).toEqual([true, true]);
    expect([w.isConsented(by("no-consent"), w.samAppId), w.activeGdap(by("no-consent"), now) !== undefined]).toEqual([false, true]);
    expect([w.isConsented(by("no-gdap"), w.samAppId), w.gdapFor(by("no-gdap"))[0]?.status]).toEqual([true, "expired"]);
    expect(w.tenants.get(by("conditional-access"))?.conditionalAccessBlock).toBe(true);
    expect([w.gdapFor(by("no-relationship")), w.customers.get(by("no-relationship"))?.relationshipToPartner]).toEqual([[], "none"]);
    expect(w.tenants.get(by("national-cloud"))?.cloud).toBe("usgov");
    w.consentApplication(by("no-consent"), w.samAppId);
    expect(w.isConsented(by("no-consent"), w.samAppId)).toBe(true);
  });

  it("resolves 10,000 customers by id, domain and lazily created user UPN", () => {
    const w = World.build({ customers: 10_000 });
    const last = w.customerList.at(-1)!;
    expect(w.resolveTenant(last.tenantId)?.domain).toBe(last.domain);
    expect(w.resolveTenant(last.domain.toUpperCase())?.tenantId).toBe(last.tenantId);
    expect(w.users.size).toBe(3);
    const admin = w.userByUpn(`admin@${last.domain}`);
    expect(admin).toMatchObject({ tenantId: last.tenantId, mfa: true });
    expect(w.usersIn(last.tenantId)).toHaveLength(2);
    expect(w.userById(admin!.objectId)).toBe(admin);
    expect(w.resolveTenant("nowhere.example")).toBeUndefined();
  });
});
