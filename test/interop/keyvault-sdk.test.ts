/**
 * Microsoft's own Key Vault client (@azure/keyvault-secrets SecretClient) against the emulated
 * vault over HTTPS (selfsigned CA through tlsOptions) and over HTTP (allowInsecureConnection):
 * challenge → token → set/get/list/versions/delete/purge, ids under the vault URL the client used.
 */
import { readFile } from "node:fs/promises";
import { SecretClient, type SecretClientOptions } from "@azure/keyvault-secrets";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorServer, EmulatorTestCredential, type EmulatorCloudInfo } from "../../emulator/index.js";

async function exercise(client: SecretClient, vaultUrl: string, prefix: string): Promise<void> {
  const first = await client.setSecret(`${prefix}-RefreshToken`, "rt-v1", { contentType: "text/plain", tags: { owner: "samkit" } });
  expect(first.properties.id?.startsWith(`${vaultUrl}/secrets/${prefix}-RefreshToken/`)).toBe(true);
  expect(first.properties.version).toMatch(/^[0-9a-f]{32}$/);
  expect(first.properties.vaultUrl).toBe(vaultUrl);
  expect(first.properties.createdOn).toBeInstanceOf(Date);
  const second = await client.setSecret(`${prefix}-RefreshToken`, "rt-v2");
  await client.setSecret(`${prefix}-ApplicationID`, "app-id");

  // latest, by version, names are case-insensitive
  expect((await client.getSecret(`${prefix}-refreshtoken`)).value).toBe("rt-v2");
  expect((await client.getSecret(`${prefix}-RefreshToken`, { version: first.properties.version! })).value).toBe("rt-v1");
  expect((await client.getSecret(`${prefix}-RefreshToken`, { version: first.properties.version! })).properties.tags).toEqual({ owner: "samkit" });

  const names: string[] = [];
  for await (const p of client.listPropertiesOfSecrets()) names.push(p.name);
  expect(names).toEqual(expect.arrayContaining([`${prefix}-RefreshToken`, `${prefix}-ApplicationID`]));

  const versions: string[] = [];
  for await (const v of client.listPropertiesOfSecretVersions(`${prefix}-RefreshToken`)) versions.push(v.version!);
  expect(versions.sort()).toEqual([first.properties.version!, second.properties.version!].sort());

  const missing = await client.getSecret(`${prefix}-Nope`).catch((e: unknown) => e);
  expect(missing).toMatchObject({ statusCode: 404, code: "SecretNotFound" });

  const poller = await client.beginDeleteSecret(`${prefix}-RefreshToken`);
  const deleted = await poller.pollUntilDone();
  expect(deleted.recoveryId).toBe(`${vaultUrl}/deletedsecrets/${prefix}-RefreshToken`);
  expect(deleted.properties.deletedOn).toBeInstanceOf(Date);
  expect((await client.getDeletedSecret(`${prefix}-RefreshToken`)).name).toBe(`${prefix}-RefreshToken`);
  const gone = await client.getSecret(`${prefix}-RefreshToken`).catch((e: unknown) => e);
  expect(gone).toMatchObject({ statusCode: 404, code: "SecretNotFound" });

  // soft-deleted name cannot be reused until purged
  const conflict = await client.setSecret(`${prefix}-RefreshToken`, "again").catch((e: unknown) => e);
  expect(conflict).toMatchObject({ statusCode: 409, code: "Conflict" });
  await client.purgeDeletedSecret(`${prefix}-RefreshToken`);
  const reused = await client.setSecret(`${prefix}-RefreshToken`, "fresh");
  expect(reused.value).toBe("fresh");
}

describe("Key Vault SDK over HTTPS (selfsigned CA via tlsOptions)", () => {
  let emu: EmulatorServer;
  let cloud: EmulatorCloudInfo;
  let credential: EmulatorTestCredential;
  let options: SecretClientOptions;

  beforeAll(async () => {
    emu = new EmulatorServer({ tls: true, seedCustomers: 3 });
    cloud = await emu.start();
    credential = await EmulatorTestCredential.forEmulator(cloud);
    options = { disableChallengeResourceVerification: true, tlsOptions: { ca: await readFile(cloud.caCertPath!, "utf8") } };
  });
  afterAll(async () => {
    await credential.close();
    await emu.stop();
  });

  it("sets, gets, lists, versions, deletes and purges with the real SecretClient", async () => {
    expect(cloud.keyVaultUrl.startsWith("https://localhost:")).toBe(true);
    await exercise(new SecretClient(cloud.keyVaultUrl, credential, options), cloud.keyVaultUrl, "tls");
    // The SDK sent one unauthenticated request, got the challenge, then used the token.
    const vault = emu.takeRequests("keyvault");
    expect(vault[0]?.status).toBe(401);
    expect(vault[0]?.headers["authorization"]).toBeUndefined();
    expect(vault.slice(1).every((r) => r.headers["authorization"]?.startsWith("Bearer "))).toBe(true);
  });

  it("follows nextLink across pages (more secrets than one page)", async () => {
    const client = new SecretClient(cloud.keyVaultUrl, credential, options);
    for (let i = 0; i < 30; i++) await client.setSecret(`page-${String(i).padStart(2, "0")}`, `v${i}`);
    const names: string[] = [];
    for await (const p of client.listPropertiesOfSecrets()) if (p.name.startsWith("page-")) names.push(p.name);
    expect(names).toHaveLength(30);
    const lists = emu.takeRequests("keyvault").filter((r) => r.method === "GET" && r.path === "/secrets");
    expect(lists.length).toBeGreaterThanOrEqual(2);
    expect(lists.some((r) => r.query["$skiptoken"] !== undefined)).toBe(true);
  });

  it("fails without the CA (the certificate really is self-signed)", async () => {
    const client = new SecretClient(cloud.keyVaultUrl, credential, { disableChallengeResourceVerification: true, retryOptions: { maxRetries: 0 } });
    await expect(client.getSecret("tls-ApplicationID")).rejects.toThrow(/certificate/i);
  });
});

describe("Key Vault SDK over HTTP (allowInsecureConnection)", () => {
  let emu: EmulatorServer;
  let cloud: EmulatorCloudInfo;
  let credential: EmulatorTestCredential;

  beforeAll(async () => {
    emu = new EmulatorServer({ seedCustomers: 3 });
    cloud = await emu.start();
    credential = await EmulatorTestCredential.forEmulator(cloud);
  });
  afterAll(async () => {
    await credential.close();
    await emu.stop();
  });

  it("works end to end with allowInsecureConnection + disableChallengeResourceVerification", async () => {
    const client = new SecretClient(cloud.keyVaultUrl, credential, { allowInsecureConnection: true, disableChallengeResourceVerification: true });
    await exercise(client, cloud.keyVaultUrl, "http");
  });

  it("EmulatorTestCredential caches tokens per tenant and scope, and surfaces identity errors", async () => {
    const a = await credential.getToken("https://vault.azure.net/.default");
    const b = await credential.getToken(["https://vault.azure.net/.default"]);
    expect(b.token).toBe(a.token);
    expect(b.expiresOnTimestamp).toBeGreaterThan(Date.now() + 50 * 60_000);
    const world = (await (await fetch(`${cloud.url}/_emulator/world`)).json()) as { customers: { tenantId: string; state: string }[] };
    const unconsented = world.customers.find((c) => c.state === "no-consent")!;
    await expect(credential.getToken("https://vault.azure.net/.default", { tenantId: unconsented.tenantId })).rejects.toThrow(/unauthorized_client: AADSTS700016/);
  });

  it("is refused by the SDK without disableChallengeResourceVerification (the challenge names the real resource)", async () => {
    const client = new SecretClient(cloud.keyVaultUrl, credential, { allowInsecureConnection: true, retryOptions: { maxRetries: 0 } });
    await expect(client.getSecret("http-ApplicationID")).rejects.toThrow(/resource|domain/i);
  });
});
