import type { CatalogueEntry } from "../types.js";

/**
 * Errors raised by samkit's own Partner Center client, `samkit customers` and `samkit api`
 * (not service responses: those are classified by the foundation's Partner Center / Graph
 * entries).
 */
export const partnerCenterClientErrors = {
  SAMKIT_PC_CUSTOMER_NOT_FOUND: {
    message: "No Partner Center customer matches '{customer}'.",
    nextStep: "Run `samkit customers list` to see customer IDs and domains, then pass one of them.",
    action: "fix-input",
    exitCode: 1,
  },
  SAMKIT_PC_PAGING_LOOP: {
    message: "Partner Center returned the same next-page link twice while listing {path}; stopped to avoid an endless loop.",
    nextStep: "Retry later; if it persists, report it with the MS-CorrelationId from SAMKIT_LOG_LEVEL=debug output.",
    action: "retry-later",
  },
  SAMKIT_PC_BAD_RESPONSE: {
    message: "Partner Center answered {path} with something samkit cannot read: {detail}",
    nextStep: "Check that the Partner Center endpoint of this cloud is reachable without a proxy rewriting answers (SAMKIT_LOG_LEVEL=debug shows the requests), then retry.",
    action: "none",
  },
  SAMKIT_API_BAD_RESPONSE: {
    message: "samkit stopped following the {service} response: {detail}",
    nextStep: "Re-run without --paginate to see the raw response.",
    action: "none",
  },
  SAMKIT_CONSENT_GRANTS_INVALID: {
    message: "The grants file is not valid: {detail}",
    nextStep:
      'Give a JSON array such as [{"enterpriseApplicationId":"00000003-0000-0000-c000-000000000000","scope":"Directory.Read.All,User.Read"}].',
    action: "fix-input",
  },
} as const satisfies Record<string, CatalogueEntry>;
