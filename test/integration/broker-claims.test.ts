/**
 * CAE claims challenges reach the token endpoint: a forced redemption with `claims` (the broker,
 * its TokenCredential, and the 401 retry of `sendWithReauth` after a real Graph
 * `insufficient_claims` challenge) sends the decoded claims JSON as the `claims` form parameter of
 * the refresh-token grant, and bypasses the cached access token. Emulator over real HTTP; the
 * emulator's request log shows the form fields.
 * @see https://learn.microsoft.com/entra/identity-platform/claims-challenge
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorServer } from "../../emulator/index.js";
import { TokenBroker } from "../../src/broker/index.js";
import { sendWithReauth } from "../../src/broker/reauth.js";
import { emulatorCloud } from "../../src/cloud/emulator.js";
import type { CloudDefinition } from "../../src/cloud/types.js";
import { createHttpClient } from "../../src/http/client.js";
import type { EncryptedFileStore } from "../../src/store/file/file-store.js";
import { homeWithProfile, takeTokenRequests, world, type EmuInfo, type EmuWorld } from "./broker-helpers.js";

let server: EmulatorServer;
let emu: EmuInfo;
let w: EmuWorld;
let cloud: CloudDefinition;
let home: string;
let store: EncryptedFileStore;
const http = createHttpClient();
const CLAIMS = JSON.stringify({ access_token: { nbf: { essential: true, value: "1700000000" } } });

async function control(path: string, body: unknown): Promise<void> {
  const r = await fetch(`${emu.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
}

beforeAll(async () => {
  server = new EmulatorServer({ seedCustomers: 2 });
  emu = await server.start();
  cloud = emulatorCloud(emu);
  w = await world(emu);
  ({ home, store } = await homeWithProfile(emu, w));
  await takeTokenRequests(emu);
}, 60_000);

afterAll(async () => {
  await control("/_emulator/clock", { reset: true }).catch(() => undefined);
  await server?.stop();
  if (home !== undefined) rmSync(home, { recursive: true, force: true });
});

describe("claims challenge → refresh-token grant", () => {
  it("a forced redemption with claims sends them as the `claims` form parameter and skips the cached token", async () => {
    const b = new TokenBroker({ cloud, store, http });
    const cached = await b.getToken({ resource: "graph" });
    const warm = await takeTokenRequests(emu);
    expect(warm).toHaveLength(1);
    expect(warm[0]!.form).not.toHaveProperty("claims");

    const fresh = await b.getToken({ resource: "graph", forceRefresh: true, claims: CLAIMS });
    const reqs = await takeTokenRequests(emu);
    expect(reqs).toHaveLength(1);
    expect(reqs[0]!.form?.["grant_type"]).toBe("refresh_token");
    expect(reqs[0]!.form?.["claims"]).toBe(CLAIMS);
    expect(reqs[0]!.status).toBe(200);
    expect(fresh.token).not.toBe(cached.token);
  });

  it("claims alone imply a fresh redemption; concurrent requests with different claims each send their own", async () => {
    const b = new TokenBroker({ cloud, store, http });
    await b.getToken({ resource: "graph" });
    await takeTokenRequests(emu);
    const other = JSON.stringify({ access_token: { xms_cc: { values: ["cp1"] } } });
    await Promise.all([b.getToken({ resource: "graph", claims: CLAIMS }), b.getToken({ resource: "graph", claims: other }), b.getToken({ resource: "graph", claims: CLAIMS })]);
    const reqs = await takeTokenRequests(emu);
    expect(reqs.map((r) => r.form?.["claims"]).sort()).toEqual([CLAIMS, other].sort());
  });

  it("TokenCredential.getToken(scopes, { claims }) redeems past a warm cache with the claims", async () => {
    const cred = new TokenBroker({ cloud, store, http }).asTokenCredential();
    const scope = "https://graph.microsoft.com/.default";
    const first = await cred.getToken(scope);
    await takeTokenRequests(emu);
    const second = await cred.getToken(scope, { claims: CLAIMS });
    const reqs = await takeTokenRequests(emu);
    expect(reqs.map((r) => r.form?.["claims"])).toEqual([CLAIMS]);
    expect(second?.token).not.toBe(first?.token);
  });

  it("a Graph CAE 401 after a session revocation: the retry's redemption carries the challenge's decoded claims", async () => {
    const customer = w.customers[0]!.tenantId;
    const b = new TokenBroker({ cloud, store, http });
    const request = { resource: "graph", tenant: customer } as const;
    await b.getToken(request); // cached before the revocation
    await takeTokenRequests(emu);
    // Revoke a few (emulator) seconds after the token was issued: `iat` has one-second resolution.
    await control("/_emulator/clock", { advanceSeconds: 5 });
    await control("/_emulator/sessions/revoke", { username: w.users.find((u) => u.mfa)!.username });

    let challenge: string | undefined;
    const err = await sendWithReauth(
      (r) => b.getToken(r),
      request,
      async (token) => {
        const res = await http.request({
          method: "GET",
          url: `${emu.graphUrl}/v1.0/organization`,
          headers: { authorization: `Bearer ${token}` },
        });
        challenge ??= res.headers["www-authenticate"];
        return res;
      },
    ).catch((e: unknown) => e);
    // The refresh token was revoked too, so the redemption itself fails (exit 4).
    expect(err).toMatchObject({ code: "SAMKIT_REFRESH_TOKEN_REVOKED" });
    const m = /claims="([^"]+)"/.exec(challenge ?? "");
    expect(m).not.toBeNull();
    const decoded = Buffer.from(m![1]!, "base64").toString("utf8");
    const reqs = await takeTokenRequests(emu);
    expect(reqs).toHaveLength(1);
    expect(reqs[0]!.form?.["claims"]).toBe(decoded);
    expect(JSON.parse(decoded)).toHaveProperty("access_token.nbf.essential", true);
  });
});
