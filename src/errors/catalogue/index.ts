import type { CatalogueEntry } from "../types.js";
import { coreErrors } from "./core.js";
import { cloudErrors } from "./cloud.js";
import { httpErrors } from "./http.js";
import { identityErrors } from "./identity.js";
import { partnerCenterErrors } from "./partner-center.js";
import { graphErrors } from "./graph.js";
import { consentErrors } from "./consent.js";
import { brokerErrors } from "./broker.js";
import { partnerCenterClientErrors } from "./partner-center-client.js";
import { fanoutErrors } from "./fanout.js";
import { storeErrors } from "./store.js";

/**
 * The one samkit error catalogue. Each area keeps its entries in its own file
 * (`core.ts`, `identity.ts`, `store.ts`, …) and this object merges them; codes are stable
 * strings prefixed `SAMKIT_`.
 */
export const catalogue = {
  ...coreErrors,
  ...storeErrors,
  ...cloudErrors,
  ...httpErrors,
  ...identityErrors,
  ...partnerCenterErrors,
  ...graphErrors,
  ...consentErrors,
  ...brokerErrors,
  ...partnerCenterClientErrors,
  ...fanoutErrors,
} as const satisfies Record<string, CatalogueEntry>;

/** Every stable samkit error code. */
export type SamkitErrorCode = keyof typeof catalogue;
