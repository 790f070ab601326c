/**
 * openid-client 6 (samkit's OAuth engine) against the emulator: discovery at a tenant authority,
 * the RFC 8628 device grant (URN spelling), and the refresh grant at partner and customer
 * authorities, with RS256 id_token validation against the emulator's JWKS (facts/sdk-interop.md §4).
 */
import * as oidc from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveDeviceCode } from "../../emulator/identity/device-code.js";
import { EmulatorServer } from "../../emulator/server.js";

const PC_SCOPE = "https://api.partnercenter.microsoft.com/user_impersonation";
const SAM = "sam@samkitpartner.onmicrosoft.com";

let emu: EmulatorServer;
let url: string;
let partner: string;
let samId: string;
let samSecret: string;

const discover = (tenant: string) => oidc.discovery(new URL(`${url}/${tenant}/v2.0`), samId, samSecret, undefined, { execute: [oidc.allowInsecureRequests] });

beforeAll(async () => {
  emu = new EmulatorServer({ seedCustomers: 4 });
  url = (await emu.start()).url;
  partner = emu.context.world.partnerTenantId;
  samId = emu.context.world.samAppId;
  samSecret = emu.context.world.samAppSecret;
});
afterAll(async () => {
  await emu.stop();
});

describe("openid-client against the emulator", () => {
  it("discovers a tenant authority, runs the device grant and refreshes with a validated RS256 id_token", async () => {
    const config = await discover(partner);
    expect(config.serverMetadata().issuer).toBe(`${url}/${partner}/v2.0`);

    const da = await oidc.initiateDeviceAuthorization(config, { scope: `${PC_SCOPE} openid profile offline_access` });
    expect(approveDeviceCode(emu.context, da.user_code, SAM).ok).toBe(true);
    emu.takeRequests();
    const first = await oidc.pollDeviceAuthorizationGrant(config, da);
    expect(emu.takeRequests("identity").at(-1)?.form?.grant_type).toBe("urn:ietf:params:oauth:grant-type:device_code");
    expect(first.claims()).toMatchObject({ iss: `${url}/${partner}/v2.0`, aud: samId, tid: partner, preferred_username: SAM });
    expect(first.refresh_token).toBeTruthy();

    const refreshed = await oidc.refreshTokenGrant(config, first.refresh_token!, { scope: `${PC_SCOPE} openid offline_access` });
    expect(refreshed.refresh_token).toBeTruthy();
    expect(refreshed.refresh_token).not.toBe(first.refresh_token);
    expect(refreshed.claims()?.tid).toBe(partner);

    // Same refresh token at a customer authority: issuer and tid are the customer's.
    const healthy = emu.context.world.customerList.find((c) => c.seededState === "healthy")!.tenantId;
    const customerConfig = await discover(healthy);
    const atCustomer = await oidc.refreshTokenGrant(customerConfig, refreshed.refresh_token!, { scope: "https://graph.microsoft.com/.default openid offline_access" });
    expect(atCustomer.claims()).toMatchObject({ iss: `${url}/${healthy}/v2.0`, tid: healthy });
  }, 30_000);

  it("rejects an id_token whose issuer does not match the discovered tenant", async () => {
    const dc = await fetch(`${url}/organizations/oauth2/v2.0/devicecode`, { method: "POST", body: new URLSearchParams({ client_id: samId, scope: `${PC_SCOPE} openid offline_access` }) }).then((r) => r.json() as Promise<{ user_code: string; device_code: string }>);
    approveDeviceCode(emu.context, dc.user_code, SAM);
    const t = await fetch(`${url}/organizations/oauth2/v2.0/token`, { method: "POST", body: new URLSearchParams({ grant_type: "device_code", client_id: samId, device_code: dc.device_code }) }).then((r) => r.json() as Promise<{ refresh_token: string }>);
    // Configuration discovered for the partner, but the request goes to a customer's token endpoint:
    // the id_token's iss is the customer's, so openid-client must refuse it.
    const healthy = emu.context.world.customerList.find((c) => c.seededState === "healthy")!.tenantId;
    const partnerMeta = JSON.parse(JSON.stringify((await discover(partner)).serverMetadata())) as oidc.ServerMetadata;
    const mixed = new oidc.Configuration({ ...partnerMeta, token_endpoint: `${url}/${healthy}/oauth2/v2.0/token` }, samId, samSecret);
    oidc.allowInsecureRequests(mixed);
    await expect(oidc.refreshTokenGrant(mixed, t.refresh_token, { scope: "https://graph.microsoft.com/.default openid" })).rejects.toMatchObject({ code: "OAUTH_JWT_CLAIM_COMPARISON_FAILED", cause: { cause: { claim: "iss" } } });
  });

  it("surfaces an AADSTS error body as a ResponseBodyError with error_codes", async () => {
    const config = await discover(partner);
    await expect(oidc.refreshTokenGrant(config, "garbage")).rejects.toMatchObject({ error: "invalid_grant", cause: { error_codes: [70000] } });
  });
});
