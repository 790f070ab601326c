/** The Partner Center client (DESIGN.md `partner-center/`). Re-exports only. */
export { PartnerCenterClient, isGuid, type PartnerCenterClientOptions, type PartnerCenterRequest, type PartnerCenterResponse } from "./client.js";
export { consentCustomer, type ConsentCustomerOptions, type ConsentCustomerResult, type ConsentOutcome } from "./consent.js";
export {
  appGraphGrants,
  DEFAULT_CONSENT_GRANTS,
  GRAPH_APP_ID,
  WELL_KNOWN_GRAPH_SCOPES,
  type AppGraphGrants,
  type AppGraphGrantsOptions,
} from "./default-grants.js";
export { partnerCenterErrorFromResponse } from "./errors.js";
export { partnerCenterNextPage, partnerCenterItems, resolvePartnerCenterUri, type NextPageRequest } from "./paging.js";
export type {
  AccessTokenRequest,
  AccessTokenResult,
  ApplicationConsent,
  ApplicationGrant,
  Customer,
  CustomerCompanyProfile,
  GetAccessToken,
  OrganizationProfile,
  PartnerCenterCallOptions,
  PartnerCenterLink,
  RelationshipToPartner,
  ResourceCollection,
  Subscription,
} from "./types.js";
