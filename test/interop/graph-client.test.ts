/**
 * Microsoft's own Graph SDK (@microsoft/microsoft-graph-client) against the emulated Graph, with
 * tokens redeemed from the emulator's identity endpoints: users of a consented customer (with
 * PageIterator following @odata.nextLink), GraphError Authorization_IdentityNotFound in an
 * unconsented one, success after the Partner Center application-consents POST. Over HTTPS: the SDK
 * attaches tokens only to https URLs of Graph or of its `customHosts`; the selfsigned CA is trusted
 * through an undici dispatcher in `fetchOptions`.
 */
import { readFile } from "node:fs/promises";
import { Client, GraphError, PageIterator, type PageCollection } from "@microsoft/microsoft-graph-client";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_IDS } from "../../emulator/index.js";
import { bearer, delegatedToken, GRAPH, PC, signIn, startEmulator, type Started } from "../integration/emulator-services-helpers.js";

let s: Started;
let partnerRt: string;
let dispatcher: Agent;

beforeAll(async () => {
  s = await startEmulator({ seedCustomers: 8, tls: true });
  dispatcher = new Agent({ connect: { ca: await readFile(s.cloud.caCertPath!, "utf8") } });
  partnerRt = await signIn(s, "sam@samkitpartner.onmicrosoft.com", true);
});
afterAll(async () => {
  await dispatcher.close();
  await s.stop();
});

/** A Graph SDK client for `tenantId`, getting its token by redeeming the partner refresh token there. */
function clientFor(tenantId: string): Client {
  return Client.init({
    baseUrl: s.cloud.graphUrl,
    defaultVersion: "v1.0",
    customHosts: new Set([new URL(s.cloud.graphUrl).hostname]),
    fetchOptions: { dispatcher } as unknown as RequestInit,
    authProvider: (done) => {
      delegatedToken(s, partnerRt, tenantId, GRAPH).then(
        (token) => done(null, token),
        (err: unknown) => done(err as Error, null),
      );
    },
  });
}

describe("@microsoft/microsoft-graph-client against the emulator", () => {
  it("lists users of a consented customer, following nextLink with PageIterator", async () => {
    const customer = s.world.customers.find((c) => c.state === "healthy")!;
    const client = clientFor(customer.tenantId);
    const first = (await client.api("/users").top(1).select(["id", "userPrincipalName"]).get()) as PageCollection;
    expect(first["@odata.nextLink"]).toBeDefined();
    const upns: string[] = [];
    const it = new PageIterator(client, first, (u: { userPrincipalName: string }) => {
      upns.push(u.userPrincipalName);
      return true;
    });
    await it.iterate();
    expect(upns.sort()).toEqual([`admin@${customer.domain}`, `alex@${customer.domain}`]);
  });

  it("throws GraphError Authorization_IdentityNotFound without consent, and succeeds after the Partner Center consent POST", async () => {
    const customer = s.world.customers.find((c) => c.state === "healthy" && c !== s.world.customers[0])!;
    const pcToken = await delegatedToken(s, partnerRt, s.world.partnerTenantId, PC);
    const client = clientFor(customer.tenantId);
    expect(((await client.api("/organization").get()) as { value: { id: string }[] }).value[0]?.id).toBe(customer.tenantId);
    // A token obtained while the app was consented, used after the consent is removed.
    const tokenBeforeDelete = await delegatedToken(s, partnerRt, customer.tenantId, GRAPH);
    const del = await s.fetch(`${s.cloud.partnerCenterUrl}/v1/customers/${customer.tenantId}/applicationconsents/${s.world.samApp.clientId}`, { method: "DELETE", headers: bearer(pcToken) });
    expect(del.status).toBe(204);

    // Redemption there now fails with 65001; the earlier token reaches Graph, which no longer knows the app.
    await expect(delegatedToken(s, partnerRt, customer.tenantId, GRAPH)).rejects.toThrow(/65001/);
    const staleClient = Client.init({
      baseUrl: s.cloud.graphUrl,
      customHosts: new Set([new URL(s.cloud.graphUrl).hostname]),
      fetchOptions: { dispatcher } as unknown as RequestInit,
      authProvider: (done) => done(null, tokenBeforeDelete),
    });
    const err = await staleClient.api("/users").get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GraphError);
    expect(err).toMatchObject({ statusCode: 401, code: "Authorization_IdentityNotFound" });

    const post = await s.fetch(`${s.cloud.partnerCenterUrl}/v1/customers/${customer.tenantId}/applicationconsents`, {
      method: "POST",
      headers: { ...bearer(pcToken), "content-type": "application/json" },
      body: JSON.stringify({ applicationId: s.world.samApp.clientId, applicationGrants: [{ enterpriseApplicationId: APP_IDS.microsoftGraph, scope: "Directory.Read.All,User.Read" }] }),
    });
    expect(post.status).toBe(201);
    const users = (await clientFor(customer.tenantId).api("/users").get()) as { value: unknown[] };
    expect(users.value.length).toBe(2);
  });
});
