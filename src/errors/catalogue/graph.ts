import type { CatalogueEntry } from "../types.js";

/**
 * Microsoft Graph, Azure Resource Manager and Key Vault errors (the shared
 * `{"error":{"code","message"}}` shape). Facts: shared/facts/errors.md §4.
 *
 * @see https://learn.microsoft.com/graph/errors
 */
export const graphErrors = {
  SAMKIT_GRAPH_APP_NOT_CONSENTED: {
    message: "Microsoft Graph could not identify the calling app in this tenant (Authorization_IdentityNotFound): the app has no service principal there yet.",
    nextStep: "Run `samkit customers consent <tenant>` (Partner Center application consent), then retry.",
    action: "grant-customer-consent",
  },
  SAMKIT_GRAPH_FORBIDDEN: {
    message: "Microsoft Graph denied the request ({graphCode}): {detail}",
    nextStep: "Check the customer's GDAP relationship grants the roles this call needs, and that the app has the permission (`samkit app create` repairs it).",
    action: "grant-customer-consent",
  },
  SAMKIT_GRAPH_CLAIMS_CHALLENGE: {
    message: "Microsoft Graph asked for a new token with extra claims (continuous access evaluation: {graphCode}).",
    nextStep: "Retry: samkit requests a new token; if that fails with a revoked grant, run `samkit consent`.",
    action: "none",
  },
  SAMKIT_GRAPH_TOKEN_REJECTED: {
    message: "Microsoft Graph rejected the access token ({graphCode}): {detail}",
    nextStep: "Retry; if it persists, run `samkit token --resource graph --tenant <tenant>` to see which token is sent.",
    action: "none",
  },
  SAMKIT_GRAPH_NOT_FOUND: {
    message: "Microsoft Graph could not find the resource ({graphCode}): {detail}",
    nextStep: "Check the ID or path in the request.",
    action: "none",
  },
  SAMKIT_GRAPH_ERROR: {
    message: "Microsoft Graph answered HTTP {status} ({graphCode}): {detail}",
    nextStep: "Read Graph's message above; quote the request-id to Microsoft support.",
    action: "none",
  },
  SAMKIT_AZURE_FORBIDDEN: {
    message: "{service} denied the request ({graphCode}): {detail}",
    nextStep: "Check the signed-in identity's role assignment (Azure RBAC or Key Vault access policy) for this resource.",
    action: "none",
  },
  SAMKIT_AZURE_ERROR: {
    message: "{service} answered HTTP {status} ({graphCode}): {detail}",
    nextStep: "Read the service's message above; re-run with SAMKIT_LOG_LEVEL=debug for the request log.",
    action: "none",
  },
} as const satisfies Record<string, CatalogueEntry>;
