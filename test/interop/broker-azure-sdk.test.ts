/**
 * Microsoft's own SDK clients authenticate through the broker's TokenCredential adapter against the
 * emulator (HTTPS, self-signed CA): @azure/keyvault-secrets (challenge-based auth with the vault's
 * tenantId) and the Microsoft Graph client (TokenCredentialAuthenticationProvider). Also checks
 * the adapter refuses a challenge naming a tenant outside `additionallyAllowedTenants`.
 */
import { readFileSync, rmSync } from "node:fs";
import { SecretClient } from "@azure/keyvault-secrets";
import { Client } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";
import { Agent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorServer } from "../../emulator/index.js";
import { TokenBroker } from "../../src/broker/index.js";
import { emulatorCloud } from "../../src/cloud/emulator.js";
import { createHttpClient } from "../../src/http/client.js";
import type { EncryptedFileStore } from "../../src/store/file/file-store.js";
import { homeWithProfile, takeTokenRequests, world, type EmuInfo, type EmuWorld } from "../integration/broker-helpers.js";

let server: EmulatorServer;
let emu: EmuInfo & { caCertPath: string };
let w: EmuWorld;
let home: string;
let store: EncryptedFileStore;
let ca: string;
let broker: TokenBroker;
let previousDispatcher: Dispatcher;

beforeAll(async () => {
  server = new EmulatorServer({ seedCustomers: 4, tls: true });
  emu = (await server.start()) as EmuInfo & { caCertPath: string };
  ca = readFileSync(emu.caCertPath, "utf8");
  // The helpers and the Graph client use the global fetch: trust the emulator's CA there.
  previousDispatcher = getGlobalDispatcher();
  setGlobalDispatcher(new Agent({ connect: { ca } }));
  w = await world(emu);
  ({ home, store } = await homeWithProfile(emu, w));
  broker = new TokenBroker({ cloud: emulatorCloud(emu), store, http: createHttpClient({ ca }) });
});

afterAll(async () => {
  setGlobalDispatcher(previousDispatcher);
  await server.stop();
  rmSync(home, { recursive: true, force: true });
});

describe("TokenCredential adapter × Microsoft SDKs", () => {
  it("@azure/keyvault-secrets sets and reads a secret with tokens from the broker", async () => {
    const client = new SecretClient(emu.keyVaultUrl, broker.asTokenCredential({ appOnly: true }), {
      disableChallengeResourceVerification: true,
      tlsOptions: { ca },
    });
    await takeTokenRequests(emu);
    await client.setSecret("broker-interop", "value-1");
    const got = await client.getSecret("broker-interop");
    expect(got.value).toBe("value-1");
    const reqs = await takeTokenRequests(emu);
    expect(reqs).toHaveLength(1); // the broker's cache served the second call
    expect(reqs[0]!.path).toBe(`/${emu.partnerTenantId}/oauth2/v2.0/token`);
    expect(reqs[0]!.form?.["scope"]).toBe("https://vault.azure.net/.default");
  });

  it("the adapter refuses a vault challenge for a tenant that is not allowed, before any token request", async () => {
    const other = w.customers[0]!.tenantId;
    const cred = broker.asTokenCredential({ tenant: other });
    await takeTokenRequests(emu);
    await expect(cred.getToken("https://vault.azure.net/.default", { tenantId: emu.partnerTenantId })).rejects.toMatchObject({
      code: "SAMKIT_BROKER_TENANT_NOT_ALLOWED",
    });
    expect(await takeTokenRequests(emu)).toHaveLength(0);
  });

  it("the Microsoft Graph client lists users with a delegated token from the broker", async () => {
    const authProvider = new TokenCredentialAuthenticationProvider(broker.asTokenCredential(), { scopes: ["https://graph.microsoft.com/.default"] });
    const graph = Client.initWithMiddleware({
      authProvider,
      baseUrl: `${emu.graphUrl}/`,
      customHosts: new Set([new URL(emu.graphUrl).hostname]),
    });
    const me = (await graph.api("/organization").get()) as { value: { id: string }[] };
    expect(me.value[0]!.id).toBe(emu.partnerTenantId);
  });
});
