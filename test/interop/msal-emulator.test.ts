/**
 * Microsoft's own client against the emulator: @azure/msal-node 7 with a never-dialled https
 * authority host + `knownAuthorities` + `authorityMetadata` pointing at the emulator over plain
 * http (facts/sdk-interop.md §1, the recommended setup).
 */
import { ConfidentialClientApplication, PublicClientApplication, type Configuration } from "@azure/msal-node";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveDeviceCode } from "../../emulator/identity/device-code.js";
import { EmulatorServer } from "../../emulator/server.js";
import { emulatorAuthorityMetadata, MSAL_EMULATOR_HOST, staticCloudDiscoveryMetadata } from "../helpers/msal-emulator.js";

const HOST = MSAL_EMULATOR_HOST; // never dialled
const PC_SCOPE = "https://api.partnercenter.microsoft.com/user_impersonation";
const GRAPH_DEFAULT = "https://graph.microsoft.com/.default";
const SAM = "sam@samkitpartner.onmicrosoft.com";

let emu: EmulatorServer;
let url: string;
let partner: string;
let samId: string;
let samSecret: string;
let customers: { tenantId: string; state: string }[];

function auth(tenant: string): Configuration["auth"] {
  return {
    clientId: samId,
    authority: `https://${HOST}/${tenant}`,
    knownAuthorities: [HOST],
    // Static aliases: lets cache lookups match the environment before any metadata is cached.
    cloudDiscoveryMetadata: staticCloudDiscoveryMetadata(HOST),
    authorityMetadata: emulatorAuthorityMetadata(url, HOST),
  };
}

beforeAll(async () => {
  emu = new EmulatorServer({ seedCustomers: 6 });
  url = (await emu.start()).url;
  const w = emu.context.world;
  partner = w.partnerTenantId;
  samId = w.samAppId;
  samSecret = w.samAppSecret;
  customers = w.customerList.map((c) => ({ tenantId: c.tenantId, state: c.seededState }));
});
afterAll(async () => {
  await emu.stop();
});

describe("MSAL Node against the emulator", () => {
  it("client credentials: app-only v1 token with the consented Graph roles", async () => {
    const cca = new ConfidentialClientApplication({ auth: { ...auth(partner), clientSecret: samSecret } });
    const r = await cca.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] });
    expect(r).not.toBeNull();
    const claims = decodeJwt(r!.accessToken);
    expect(claims).toMatchObject({ ver: "1.0", tid: partner, appid: samId, idtyp: "app", aud: "https://graph.microsoft.com" });
    expect(claims.roles).toEqual(expect.arrayContaining(["Directory.Read.All"]));
    // Second call is served from MSAL's cache (no new token request).
    emu.takeRequests();
    const again = await cca.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] });
    expect(again!.accessToken).toBe(r!.accessToken);
    expect(emu.takeRequests("identity")).toHaveLength(0);
  });

  it("client credentials with a wrong secret surfaces AADSTS7000215", async () => {
    const cca = new ConfidentialClientApplication({ auth: { ...auth(partner), clientSecret: "wrong" } });
    await expect(cca.acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT] })).rejects.toMatchObject({ errorCode: "invalid_client", errorMessage: expect.stringContaining("AADSTS7000215") });
  });

  it("device code (short grant_type spelling) with MFA in amr", async () => {
    const pca = new PublicClientApplication({ auth: auth("organizations") });
    emu.takeRequests();
    const r = await pca.acquireTokenByDeviceCode({
      scopes: [PC_SCOPE],
      deviceCodeCallback: (resp) => {
        expect(resp.verificationUri).toBe(`${url}/devicelogin`);
        const ok = approveDeviceCode(emu.context, resp.userCode, SAM);
        expect(ok.ok).toBe(true);
      },
    });
    expect(r).not.toBeNull();
    expect(decodeJwt(r!.accessToken)).toMatchObject({ aud: "https://api.partnercenter.microsoft.com", amr: ["pwd", "mfa"], upn: SAM });
    expect(r!.account?.username).toBe(SAM);
    expect(r!.account?.homeAccountId).toBe(`${emu.context.world.userByUpn(SAM)!.objectId}.${partner}`);
    const polls = emu.takeRequests("identity").filter((q) => q.path.endsWith("/token"));
    expect(polls.at(-1)?.form?.grant_type).toBe("device_code");
  });

  it("acquireTokenByRefreshToken (forceCache) then acquireTokenSilent for a customer tenant", async () => {
    // A partner refresh token, as samkit would have stored it at consent.
    const pca = new PublicClientApplication({ auth: auth("organizations") });
    const seedClient = new ConfidentialClientApplication({ auth: { ...auth(partner), clientSecret: samSecret } });
    const dev = await pca.acquireTokenByDeviceCode({ scopes: [PC_SCOPE], deviceCodeCallback: (resp) => void approveDeviceCode(emu.context, resp.userCode, SAM) });
    expect(dev).not.toBeNull();
    const stored = [...emu.context.identity.refreshTokens.values()].at(-1)!.token;

    const byRt = await seedClient.acquireTokenByRefreshToken({ refreshToken: stored, scopes: [PC_SCOPE], authority: `https://${HOST}/${partner}`, forceCache: true });
    expect(byRt).not.toBeNull();
    const cache = JSON.parse(seedClient.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> };
    const rt = Object.values(cache.RefreshToken)[0]?.secret ?? "";
    expect(rt).not.toBe("");
    expect(rt).not.toBe(stored); // rotated token landed in MSAL's cache
    const accounts = await seedClient.getTokenCache().getAllAccounts();
    expect(accounts).toHaveLength(1);
    const healthy = customers.find((c) => c.state === "healthy")!.tenantId;
    const silent = await seedClient.acquireTokenSilent({ account: { ...accounts[0]!, tenantId: healthy }, scopes: [GRAPH_DEFAULT], authority: `https://${HOST}/${healthy}` });
    const claims = decodeJwt(silent.accessToken);
    expect(claims).toMatchObject({ tid: healthy, upn: SAM, aud: "https://graph.microsoft.com", appid: samId });
    // Still one home account (client_info.utid stays the partner tenant); MSAL lists one entry per
    // tenant profile, all with the same homeAccountId, and keeps a single refresh token.
    const after = await seedClient.getTokenCache().getAllAccounts();
    expect(new Set(after.map((a) => a.homeAccountId))).toEqual(new Set([accounts[0]!.homeAccountId]));
    expect(after.map((a) => a.tenantId).sort()).toEqual([partner, healthy].sort());
    const rts = Object.values((JSON.parse(seedClient.getTokenCache().serialize()) as { RefreshToken: Record<string, { secret: string }> }).RefreshToken);
    expect(rts).toHaveLength(1);
    expect(rts[0]!.secret).not.toBe(rt); // rotated again by the customer-tenant redemption

    const noConsent = customers.find((c) => c.state === "no-consent")!.tenantId;
    await expect(seedClient.acquireTokenSilent({ account: { ...accounts[0]!, tenantId: noConsent }, scopes: [GRAPH_DEFAULT], authority: `https://${HOST}/${noConsent}` })).rejects.toMatchObject({
      errorMessage: expect.stringContaining("AADSTS65001"),
    });
  });
});
