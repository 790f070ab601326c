/**
 * Baseline (a): openid-client 6 used as the best plain client would — one hand-built
 * `Configuration` per tenant (no discovery round trip; facts/sdk-interop.md §4: discovery at
 * `/organizations` fails on Entra's `{tenantid}` issuer), the refresh grant at that tenant's v2
 * token endpoint, then one Graph call with global `fetch`. No cache, no single flight: every
 * tenant costs exactly one token request and one Graph request.
 *
 * @see https://github.com/panva/openid-client (Configuration, refreshTokenGrant, allowInsecureRequests)
 */
import { allowInsecureRequests, ClientSecretPost, Configuration, refreshTokenGrant } from "openid-client";
import { runBounded, type FanoutBenchInput, type FanoutBenchResult } from "./types.js";

/** Run baseline (a) over `input.tenants`. */
export async function runOpenidClientFanout(input: FanoutBenchInput): Promise<Omit<FanoutBenchResult, "peakRssKb">> {
  const configFor = (tenant: string): Configuration => {
    const config = new Configuration(
      { issuer: `${input.identityUrl}/${tenant}/v2.0`, token_endpoint: `${input.identityUrl}/${tenant}/oauth2/v2.0/token` },
      input.clientId,
      undefined,
      ClientSecretPost(input.clientSecret),
    );
    allowInsecureRequests(config); // the emulator is plain http on 127.0.0.1
    return config;
  };
  return runBounded(input.tenants, input.concurrency, input.capMs, async (tenant) => {
    const tokens = await refreshTokenGrant(configFor(tenant), input.refreshToken, { scope: "https://graph.microsoft.com/.default" });
    const res = await fetch(`${input.graphUrl}/v1.0/users?$top=5`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    const body = await res.text();
    if (!res.ok) throw new Error(`Graph ${res.status}: ${body.slice(0, 120)}`);
  });
}
