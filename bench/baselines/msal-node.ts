/**
 * Baseline (b): @azure/msal-node 7 used the natural way for the Secure Application Model — one
 * `ConfidentialClientApplication`, `acquireTokenByRefreshToken` once at the partner authority with
 * `forceCache: true` (without it nothing is cached and the rotated refresh token is lost), then
 * `acquireTokenSilent({ account: { ...account, tenantId }, authority: …/<tenant> })` per customer
 * tenant, then one Graph call with global `fetch`.
 *
 * MSAL's in-memory cache is shared by every tenant; each silent call filters it, so the cost of a
 * lookup grows with the tenants already served. The compare bench runs this at 100/200/400
 * tenants with a time cap and reports the growth.
 *
 * Emulator set-up (facts/sdk-interop.md §1, docs/emulator.md "Using Microsoft's clients"): a
 * never-dialled https authority host in `knownAuthorities`, `authorityMetadata` with the emulator's
 * http endpoints, and static `cloudDiscoveryMetadata` so cache lookups match the environment.
 * @see https://learn.microsoft.com/entra/msal/javascript/node/caching
 */
import { ConfidentialClientApplication, type Configuration } from "@azure/msal-node";
import { runBounded, type FanoutBenchInput, type FanoutBenchResult } from "./types.js";
import { emulatorAuthorityMetadata, MSAL_EMULATOR_HOST, staticCloudDiscoveryMetadata } from "../../test/helpers/msal-emulator.js";

const HOST = MSAL_EMULATOR_HOST; // never dialled
const PC_SCOPE = "https://api.partnercenter.microsoft.com/user_impersonation";
const GRAPH_DEFAULT = "https://graph.microsoft.com/.default";

function auth(input: FanoutBenchInput): Configuration["auth"] {
  const url = input.identityUrl;
  return {
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    authority: `https://${HOST}/${input.partnerTenantId}`,
    knownAuthorities: [HOST],
    cloudDiscoveryMetadata: staticCloudDiscoveryMetadata(HOST),
    authorityMetadata: emulatorAuthorityMetadata(url, HOST),
  };
}

/** Run baseline (b) over `input.tenants`. The initial refresh-token redemption is inside the wall time. */
export async function runMsalFanout(input: FanoutBenchInput): Promise<Omit<FanoutBenchResult, "peakRssKb">> {
  const cca = new ConfidentialClientApplication({ auth: auth(input) });
  const started = performance.now();
  const first = await cca.acquireTokenByRefreshToken({
    refreshToken: input.refreshToken,
    scopes: [PC_SCOPE],
    authority: `https://${HOST}/${input.partnerTenantId}`,
    forceCache: true,
  });
  const account = first?.account;
  if (!account) throw new Error("MSAL returned no account for the refresh token");
  const run = await runBounded(input.tenants, input.concurrency, Math.max(0, input.capMs - (performance.now() - started)), async (tenant) => {
    const r = await cca.acquireTokenSilent({ account: { ...account, tenantId: tenant }, scopes: [GRAPH_DEFAULT], authority: `https://${HOST}/${tenant}` });
    const res = await fetch(`${input.graphUrl}/v1.0/users?$top=5`, { headers: { authorization: `Bearer ${r.accessToken}` } });
    const body = await res.text();
    if (!res.ok) throw new Error(`Graph ${res.status}: ${body.slice(0, 120)}`);
  });
  return { ...run, wallMs: performance.now() - started };
}
