/**
 * Partner Center resource shapes rendered from the world: Customer, Subscription, the partner's
 * organization profile, ApplicationConsent.
 * @see https://learn.microsoft.com/partner-center/developer/customer-resources
 * @see https://learn.microsoft.com/partner-center/developer/subscription-resources
 * @see shared/facts/partner-center.md §2, §4
 */
import type { CustomerRecord, Grant, Tenant } from "../world-types.js";

/** `Customer` (the list and `GET /v1/customers/{id}` use the same shape). */
export function customerResource(c: CustomerRecord): Record<string, unknown> {
  return {
    id: c.tenantId,
    commerceId: c.tenantId,
    companyProfile: {
      tenantId: c.tenantId,
      domain: c.domain,
      companyName: c.companyName,
      links: { self: { uri: `/customers/${c.tenantId}/profiles/company`, method: "GET", headers: [] } },
      attributes: { objectType: "CustomerCompanyProfile" },
    },
    billingProfile: {
      id: c.tenantId,
      companyName: c.companyName,
      culture: "en-US",
      language: "en",
      links: { self: { uri: `/customers/${c.tenantId}/profiles/billing`, method: "GET", headers: [] } },
      attributes: { objectType: "CustomerBillingProfile" },
    },
    relationshipToPartner: c.relationshipToPartner,
    allowDelegatedAccess: c.relationshipToPartner !== "none",
    customDomains: [],
    links: { self: { uri: `/customers/${c.tenantId}`, method: "GET", headers: [] } },
    attributes: { objectType: "Customer" },
  };
}

/** `Subscription`. */
export function subscriptionResource(c: CustomerRecord, s: CustomerRecord["subscriptions"][number], epochIso: string): Record<string, unknown> {
  return {
    id: s.id,
    offerId: "CFQ7TTC0LCHC:0002",
    offerName: s.offerName,
    friendlyName: s.offerName,
    quantity: s.quantity,
    unitType: "Licenses",
    creationDate: epochIso,
    effectiveStartDate: epochIso,
    commitmentEndDate: "9999-12-14T00:00:00Z",
    status: s.status,
    autoRenewEnabled: true,
    billingType: "license",
    billingCycle: "monthly",
    termDuration: "P1M",
    isTrial: false,
    links: { self: { uri: `/customers/${c.tenantId}/subscriptions/${s.id}`, method: "GET", headers: [] } },
    attributes: { objectType: "Subscription" },
  };
}

/** `OrganizationProfile` of the partner (`GET /v1/profiles/organization`). */
export function organizationProfile(partner: Tenant): Record<string, unknown> {
  return {
    id: partner.tenantId,
    tenantId: partner.tenantId,
    domain: partner.domain,
    companyName: partner.displayName,
    defaultAddress: { country: "US", region: "WA", city: "Redmond", addressLine1: "1 Emulator Way", postalCode: "98052" },
    email: `admin@${partner.domain}`,
    language: "en",
    culture: "en-US",
    profileType: "OrganizationProfile",
    links: { self: { uri: "/profiles/organization", method: "GET", headers: [] } },
    attributes: { objectType: "OrganizationProfile" },
  };
}

/** One grant inside an `ApplicationConsent`. */
export interface ApplicationGrant {
  enterpriseApplicationId: string;
  scope: string;
}

/** `ApplicationConsent` built from the grants `clientAppId` holds in a customer tenant. */
export function applicationConsent(clientAppId: string, displayName: string, grants: readonly Grant[]): Record<string, unknown> {
  return {
    applicationId: clientAppId,
    displayName,
    applicationGrants: grants.map(
      (g): ApplicationGrant => ({ enterpriseApplicationId: g.resourceAppId, scope: [...g.scopes, ...g.roles].join(",") }),
    ),
  };
}
