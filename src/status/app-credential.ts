import { callApi } from "../api/call.js";
import type { ApiRequestSpec } from "../api/types.js";
import type { SamkitError } from "../errors/index.js";
import type { PartnerProfile } from "../store/types.js";
import { daysUntil } from "./refresh-token.js";
import type { AppCredentialStatus, StatusDependencies } from "./types.js";

interface GraphCredential {
  readonly keyId?: string;
  readonly endDateTime?: string;
}

function credentialsOf(data: unknown, key: "passwordCredentials" | "keyCredentials"): GraphCredential[] {
  if (typeof data !== "object" || data === null) return [];
  const list = (data as Record<string, unknown>)[key];
  return Array.isArray(list)
    ? (list.filter((c) => typeof c === "object" && c !== null) as GraphCredential[])
    : [];
}

/** The credential in use: the one with the stored key ID, else the one expiring last. */
function pick(list: readonly GraphCredential[], keyId: string | undefined): GraphCredential | undefined {
  const byId =
    keyId === undefined ? undefined : list.find((c) => c.keyId?.toLowerCase() === keyId.toLowerCase());
  if (byId) return byId;
  return [...list].sort((a, b) => Date.parse(b.endDateTime ?? "") - Date.parse(a.endDateTime ?? ""))[0];
}

/**
 * The app credential's expiry: from Microsoft Graph when reachable
 * (`GET /v1.0/applications(appId='{id}')?$select=…`, delegated token in the partner tenant), else
 * from the profile's stored metadata, with the Graph error kept (`error`, not serialised by callers).
 * @see https://learn.microsoft.com/graph/api/application-get
 */
export async function appCredentialStatus(
  profile: PartnerProfile,
  deps: Pick<StatusDependencies, "http" | "cloud" | "getToken">,
  options: { readonly graph: boolean; readonly nowMs: number; readonly abortSignal?: AbortSignal },
): Promise<AppCredentialStatus & { readonly error?: SamkitError }> {
  const kind = profile.certificate ? "certificate" : profile.clientSecret !== undefined ? "secret" : "none";
  const fromStore = (error: SamkitError | null): AppCredentialStatus & { readonly error?: SamkitError } => ({
    kind,
    keyId: profile.metadata.secretKeyId ?? null,
    expiresAt: profile.metadata.secretExpiresAt ?? null,
    daysLeft: daysUntil(profile.metadata.secretExpiresAt, options.nowMs),
    source: profile.metadata.secretExpiresAt ? "store" : null,
    graphError: error ? { code: error.code, message: error.message } : null,
    ...(error ? { error } : {}),
  });
  if (!options.graph || kind === "none") return fromStore(null);

  const spec: ApiRequestSpec = {
    method: "GET",
    path: `/v1.0/applications(appId='${encodeURIComponent(profile.clientId)}')`,
    resource: "graph",
    appOnly: false,
    headers: {},
    query: [["$select", "id,appId,passwordCredentials,keyCredentials"]],
    paginate: false,
    jsonl: false,
  };
  const result = await callApi(spec, {
    http: deps.http,
    cloud: deps.cloud,
    getToken: deps.getToken,
    retry: { maxAttempts: 2, totalBudgetMs: 15_000 },
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
  });
  if (!result.ok) return fromStore(result.error);
  const list = credentialsOf(result.data, kind === "certificate" ? "keyCredentials" : "passwordCredentials");
  const current = pick(list, profile.metadata.secretKeyId);
  if (!current?.endDateTime) return fromStore(null);
  return {
    kind,
    keyId: current.keyId ?? null,
    expiresAt: new Date(Date.parse(current.endDateTime)).toISOString(),
    daysLeft: daysUntil(current.endDateTime, options.nowMs),
    source: "graph",
    graphError: null,
  };
}
