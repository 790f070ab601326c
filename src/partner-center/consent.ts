/**
 * Application consent in a customer tenant (CPV / SAM onboarding, and offboarding): create,
 * replace or remove the SAM app's `applicationconsents` entry for one customer.
 *
 * @see https://learn.microsoft.com/partner-center/developer/control-panel-vendor-apis
 * Facts: shared/facts/partner-center.md §4 (Microsoft's sample deletes, then re-creates; CIPP
 * treats "Permission entry already exists" as success).
 */
import { SamkitError, isSamkitError } from "../errors/index.js";
import type { PartnerCenterClient } from "./client.js";
import type { ApplicationConsent, ApplicationGrant, PartnerCenterCallOptions } from "./types.js";

/** What {@link consentCustomer} did for one customer. */
export type ConsentOutcome = "created" | "replaced" | "unchanged" | "removed" | "absent";

/** Options for {@link consentCustomer}. */
export interface ConsentCustomerOptions extends PartnerCenterCallOptions {
  /** The SAM app's client ID. */
  readonly applicationId: string;
  /** Display name sent with the consent (Partner Center's docs include it; CIPP omits it). */
  readonly displayName?: string;
  /** Grants to consent; required unless `remove`. */
  readonly grants?: readonly ApplicationGrant[];
  /** Delete an existing consent and create it again with `grants` (default: keep an existing one). */
  readonly replace?: boolean;
  /** Delete the consent (offboarding); `grants` is ignored. */
  readonly remove?: boolean;
}

/** The result of {@link consentCustomer}. */
export interface ConsentCustomerResult {
  readonly customerId: string;
  readonly outcome: ConsentOutcome;
  /** The consent now in place (`undefined` after a removal or when absent). */
  readonly consent?: ApplicationConsent;
}

function sameApp(a: ApplicationConsent, appId: string): boolean {
  return typeof a.applicationId === "string" && a.applicationId.toLowerCase() === appId.toLowerCase();
}

function isAlreadyExists(e: unknown): boolean {
  if (!isSamkitError(e)) return false;
  const text = `${e.serviceMessage ?? ""} ${e.message}`.toLowerCase();
  return e.status === 409 || text.includes("already exists");
}

/**
 * Make the customer's application consent for `applicationId` match the request:
 * - default: create it when missing; leave an existing one as it is (`unchanged`);
 * - `replace`: delete an existing one, then create it with `grants` (`replaced`);
 * - `remove`: delete it (`removed`, or `absent` when there was none).
 * A create answered with "already exists" (another process won the race) counts as `unchanged`.
 *
 * @throws SamkitError from the Partner Center client (e.g. 403 `20002` no relationship,
 * MFA-required 401 → `reconsent`), or `SAMKIT_CONSENT_GRANTS_INVALID` when no grants are given.
 */
export async function consentCustomer(client: PartnerCenterClient, customerId: string, options: ConsentCustomerOptions): Promise<ConsentCustomerResult> {
  const call: PartnerCenterCallOptions = {
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
    ...(options.correlationId ? { correlationId: options.correlationId } : {}),
  };
  const existing = (await client.listApplicationConsents(customerId, call)).find((c) => sameApp(c, options.applicationId));

  if (options.remove) {
    if (!existing) return { customerId, outcome: "absent" };
    await client.deleteApplicationConsent(customerId, options.applicationId, call);
    return { customerId, outcome: "removed" };
  }
  if (existing && !options.replace) return { customerId, outcome: "unchanged", consent: existing };

  const grants = options.grants ?? [];
  if (grants.length === 0) {
    throw new SamkitError("SAMKIT_CONSENT_GRANTS_INVALID", { params: { detail: "no grants to consent" } });
  }
  const body: ApplicationConsent = {
    ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
    applicationId: options.applicationId,
    applicationGrants: grants.map((g) => ({ enterpriseApplicationId: g.enterpriseApplicationId, scope: g.scope })),
  };
  if (existing) await client.deleteApplicationConsent(customerId, options.applicationId, call);
  try {
    const consent = await client.createApplicationConsent(customerId, body, call);
    return { customerId, outcome: existing ? "replaced" : "created", consent };
  } catch (e) {
    if (isAlreadyExists(e)) return { customerId, outcome: "unchanged" };
    throw e;
  }
}
