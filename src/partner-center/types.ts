/**
 * Partner Center REST shapes samkit reads and writes. Field names are Partner Center's own
 * (camelCase JSON), so `customers list --json` prints customers exactly as the service returns
 * them (CONTRACTS §7). Unknown fields are kept: every model is open (`[key: string]: unknown`).
 *
 * @see https://learn.microsoft.com/partner-center/developer/get-a-list-of-customers
 * @see https://learn.microsoft.com/partner-center/developer/customer-resources
 * Facts: shared/facts/partner-center.md §2–§4.
 */
import type { TokenRequest } from "../broker/types.js";

/** `links.*` entry of a Partner Center resource: a URI relative to the API host plus headers to send. */
export interface PartnerCenterLink {
  readonly uri: string;
  readonly method?: string;
  readonly headers?: readonly { readonly key: string; readonly value: string }[];
}

/** A customer's company profile. */
export interface CustomerCompanyProfile {
  readonly tenantId: string;
  readonly domain: string;
  readonly companyName: string;
  readonly email?: string;
  readonly [key: string]: unknown;
}

/**
 * Relationship of the partner to a customer. Partner Center documents `unknown`, `reseller`,
 * `advisor`, `syndication`, `microsoftSupport`, `none`; other strings pass through unchanged.
 */
export type RelationshipToPartner = "unknown" | "reseller" | "advisor" | "syndication" | "microsoftSupport" | "none" | (string & {});

/** A customer as Partner Center returns it (`GET /v1/customers/{id}`). */
export interface Customer {
  readonly id: string;
  readonly commerceId?: string;
  readonly companyProfile: CustomerCompanyProfile;
  readonly relationshipToPartner?: RelationshipToPartner;
  readonly allowDelegatedAccess?: boolean;
  readonly customDomains?: readonly string[];
  readonly [key: string]: unknown;
}

/** One page of a Partner Center collection (`{totalCount, items, links, attributes}`). */
export interface ResourceCollection<T> {
  readonly totalCount?: number;
  readonly items: readonly T[];
  readonly links?: { readonly self?: PartnerCenterLink; readonly next?: PartnerCenterLink; readonly [key: string]: unknown };
  /** Some collections return a body continuation token instead of `links.next.headers`. */
  readonly continuationToken?: string;
  readonly [key: string]: unknown;
}

/** A customer's subscription (`GET /v1/customers/{id}/subscriptions`). */
export interface Subscription {
  readonly id: string;
  readonly offerName?: string;
  readonly friendlyName?: string;
  readonly quantity?: number;
  readonly status?: string;
  readonly [key: string]: unknown;
}

/** The partner's organization profile (`GET /v1/profiles/organization`). */
export interface OrganizationProfile {
  readonly id?: string;
  readonly tenantId?: string;
  readonly companyName?: string;
  readonly domain?: string;
  readonly culture?: string;
  readonly language?: string;
  readonly [key: string]: unknown;
}

/**
 * One grant of an application consent: delegated permission names on one resource app.
 * `scope` is a comma-separated list, e.g. `"Directory.Read.All,User.Read"`.
 */
export interface ApplicationGrant {
  /** The resource application's app ID (e.g. Microsoft Graph `00000003-0000-0000-c000-000000000000`). */
  readonly enterpriseApplicationId: string;
  readonly scope: string;
}

/**
 * A CPV application consent in a customer tenant.
 * @see https://learn.microsoft.com/partner-center/developer/control-panel-vendor-apis
 */
export interface ApplicationConsent {
  readonly applicationId: string;
  readonly displayName?: string;
  readonly applicationGrants: readonly ApplicationGrant[];
  readonly [key: string]: unknown;
}

/**
 * What the client needs to authorize a call: an access token for Partner Center in the partner
 * tenant. The broker's own request shape, so `TokenBroker.getToken` can be passed as is.
 */
export type AccessTokenRequest = TokenRequest;

/** The part of an access-token result the clients use. */
export interface AccessTokenResult {
  readonly token: string;
}

/** A function returning an access token; e.g. `(r) => broker.getToken(r)`. */
export type GetAccessToken = (request: AccessTokenRequest) => Promise<AccessTokenResult>;

/** Per-call options shared by every client method. */
export interface PartnerCenterCallOptions {
  readonly abortSignal?: AbortSignal;
  /**
   * `MS-CorrelationId` for this operation (all pages of a listing share it). Default: a new GUID
   * per operation.
   */
  readonly correlationId?: string;
}
