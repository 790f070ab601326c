/**
 * `samkit app use`: adopt an existing app registration (made by the seed's PowerShell script,
 * another SAM tool, or by hand). The credentials are proven with a client-credentials request
 * before anything is stored; what the app lacks for samkit is reported when Graph lets the app
 * read its own registration.
 */
import type { CloudDefinition } from "../cloud/types.js";
import { SamkitError, isSamkitError } from "../errors/index.js";
import { createGraphClient, findApplicationByAppId, type GraphApplication } from "../graph/index.js";
import type { HttpClient } from "../http/types.js";
import { clientCredentials, isTenantGuid, signInMethods } from "../oauth/index.js";
import { readProfile, writeProfile } from "../store/profile.js";
import type { SecretStore } from "../store/types.js";
import { DEFAULT_REQUIRED_ACCESS, LOOPBACK_REDIRECT_URI, missingAccess } from "./app-spec.js";

/** Options of {@link useExistingApp}. */
export interface UseAppOptions {
  readonly cloud: CloudDefinition;
  readonly http: HttpClient;
  readonly store: SecretStore;
  readonly profile: string;
  readonly secretPrefix?: string;
  readonly clientId: string;
  /** Partner tenant GUID or domain. */
  readonly tenant: string;
  readonly clientSecret: string;
  readonly abortSignal?: AbortSignal;
}

/** Result of {@link useExistingApp}. */
export interface UseAppResult {
  readonly clientId: string;
  readonly tenantId: string;
  /** What the app lacks for samkit (empty when complete or unknown). */
  readonly missing: readonly string[];
  /** False when Graph did not let the app read its registration (checks skipped). */
  readonly checked: boolean;
  readonly notes: readonly string[];
}

/** What `app` lacks for `samkit consent` and the broker. */
export function appGaps(app: GraphApplication): string[] {
  const gaps: string[] = [];
  if (app.signInAudience !== "AzureADMultipleOrgs") gaps.push(`signInAudience is ${app.signInAudience ?? "unset"}, not AzureADMultipleOrgs (customers cannot consent)`);
  if (!(app.web?.redirectUris ?? []).some((u) => u.toLowerCase().replace(/\/+$/, "") === LOOPBACK_REDIRECT_URI)) gaps.push(`web redirect URI ${LOOPBACK_REDIRECT_URI} is missing (browser consent fails with AADSTS50011)`);
  if (app.isFallbackPublicClient !== true) gaps.push("public client flows are off (device-code consent fails with AADSTS7000218)");
  for (const m of missingAccess(app.requiredResourceAccess ?? [], DEFAULT_REQUIRED_ACCESS)) {
    gaps.push(`permission(s) ${m.resourceAccess.map((a) => `${a.id} (${a.type})`).join(", ")} of resource ${m.resourceAppId} missing`);
  }
  return gaps;
}

/**
 * @throws SamkitError identity errors of the proof (e.g. 7000215 invalid secret, 700016 app not
 *   in tenant), `SAMKIT_INVALID_INPUT` (empty secret), store errors
 */
export async function useExistingApp(o: UseAppOptions): Promise<UseAppResult> {
  const secret = o.clientSecret.trim();
  if (secret === "") throw new SamkitError("SAMKIT_INVALID_INPUT", { params: { detail: "The client secret is empty." } });
  const tokens = await clientCredentials(
    { cloud: o.cloud, tenant: o.tenant, client: { clientId: o.clientId, clientSecret: secret }, http: o.http, ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}) },
    [`${o.cloud.resources.graph.resourceId}/.default`],
  );
  const tid = signInMethods(tokens.accessToken).tenantId;
  const tenantId = (tid ?? (isTenantGuid(o.tenant) ? o.tenant : undefined))?.toLowerCase();
  if (tenantId === undefined) {
    throw new SamkitError("SAMKIT_INVALID_INPUT", { params: { detail: `Could not tell the tenant ID of '${o.tenant}'; pass --tenant as a GUID.` } });
  }

  const notes: string[] = [];
  let missing: string[] = [];
  let checked = false;
  try {
    const graph = createGraphClient({ http: o.http, graphUrl: o.cloud.resources.graph.endpoint, accessToken: () => Promise.resolve(tokens.accessToken), ...(o.abortSignal ? { abortSignal: o.abortSignal } : {}) });
    const app = await findApplicationByAppId(graph, o.clientId);
    if (app !== undefined) {
      missing = appGaps(app);
      checked = true;
    } else notes.push("Graph did not return the app registration; its settings were not checked.");
  } catch (err) {
    notes.push(`The app cannot read its own registration through Graph (${isSamkitError(err) ? (err.graphCode ?? `HTTP ${err.status ?? "?"}`) : "error"}); redirect URI and permissions were not checked.`);
  }

  const profileOptions = { ...(o.secretPrefix !== undefined ? { secretPrefix: o.secretPrefix } : {}), defaultCloud: o.cloud.name };
  const stored = await readProfile(o.store, o.profile, profileOptions).catch(() => undefined);
  const sameApp = stored !== undefined && stored.clientId.toLowerCase() === o.clientId.toLowerCase() && stored.tenantId.toLowerCase() === tenantId;
  await writeProfile(
    o.store,
    {
      profile: o.profile,
      cloud: o.cloud.name,
      tenantId,
      clientId: o.clientId,
      clientSecret: secret,
      ...(sameApp && stored.refreshToken !== undefined ? { refreshToken: stored.refreshToken } : {}),
      metadata: sameApp ? { ...stored.metadata, secretKeyId: undefined, secretExpiresAt: undefined } : {},
    },
    { ...profileOptions, replace: true },
  );
  if (!sameApp) notes.push("Run `samkit consent` next to store the partner admin's refresh token.");
  return { clientId: o.clientId, tenantId, missing, checked, notes };
}
