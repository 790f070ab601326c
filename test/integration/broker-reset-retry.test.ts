/**
 * CONTRACTS §8 connection resets on token POSTs: the broker retries a reset of a lenient
 * refresh-token redemption and of a client-credentials grant (replay-safe), never of a strict
 * redemption (the token may already have been redeemed and rotated). Real parts: a loopback token
 * endpoint over node:http that drops the connection of the first request, samkit's HTTP client
 * (undici) and the default grants (openid-client).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { TokenBroker } from "../../src/broker/broker.js";
import { GLOBAL_CLOUD } from "../../src/cloud/table.js";
import type { CloudDefinition } from "../../src/cloud/types.js";
import { createHttpClient } from "../../src/http/client.js";
import { storeWithProfile } from "../helpers/broker.js";

const PARTNER = "11111111-1111-1111-1111-111111111111";
const CUSTOMER = "33333333-3333-3333-3333-333333333333";
const CLIENT = "22222222-2222-2222-2222-222222222222";

let server: Server;
let cloud: CloudDefinition;
/** Form bodies of the token requests received (including the ones whose connection was dropped). */
let received: URLSearchParams[] = [];
/** How many of the next token requests get their connection destroyed instead of an answer. */
let resetsLeft = 0;

async function body(req: IncomingMessage): Promise<string> {
  let s = "";
  for await (const chunk of req) s += String(chunk);
  return s;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void body(req).then((text) => {
      const form = new URLSearchParams(text);
      received.push(form);
      if (resetsLeft > 0) {
        resetsLeft--;
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          token_type: "Bearer",
          access_token: `at-${received.length}`,
          expires_in: 3600,
          scope: form.get("scope") ?? "",
          ...(form.get("grant_type") === "refresh_token" ? { refresh_token: `refresh-token-${received.length}` } : {}),
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  cloud = { ...GLOBAL_CLOUD, name: "global", authorityHost: `http://127.0.0.1:${port}` };
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  received = [];
  resetsLeft = 0;
});

async function broker(rotation: "lenient" | "strict"): Promise<TokenBroker> {
  const store = await storeWithProfile({ tenantId: PARTNER, clientId: CLIENT, refreshTokenRotatedAt: new Date().toISOString() });
  const http = createHttpClient({ retry: { baseDelayMs: 1 }, timeoutMs: 5_000 });
  return new TokenBroker({ cloud, store, http, rotation });
}

describe("connection reset on a token POST", () => {
  it("lenient refresh at a customer tenant: retried, and the same refresh token is sent again", async () => {
    const b = await broker("lenient");
    resetsLeft = 1;
    const t = await b.getToken({ tenant: CUSTOMER, resource: "graph" });
    expect(t.token).toBe("at-2");
    expect(received).toHaveLength(2);
    expect(received.map((f) => f.get("refresh_token"))).toEqual(["refresh-token-0000", "refresh-token-0000"]);
  });

  it("lenient: gives up after 4 attempts (CONTRACTS §8) with SAMKIT_HTTP_CONNECTION_RESET", async () => {
    const b = await broker("lenient");
    resetsLeft = 10;
    await expect(b.getToken({ tenant: CUSTOMER, resource: "graph" })).rejects.toMatchObject({ code: "SAMKIT_HTTP_CONNECTION_RESET" });
    expect(received).toHaveLength(4);
  });

  it("client credentials (app-only): retried", async () => {
    const b = await broker("lenient");
    resetsLeft = 1;
    const t = await b.getToken({ tenant: CUSTOMER, resource: "graph", appOnly: true });
    expect(t.token).toBe("at-2");
    expect(received.map((f) => f.get("grant_type"))).toEqual(["client_credentials", "client_credentials"]);
  });

  it("strict refresh: not retried (the reset request may have redeemed and rotated the token)", async () => {
    const b = await broker("strict");
    resetsLeft = 1;
    await expect(b.getToken({ tenant: CUSTOMER, resource: "graph" })).rejects.toMatchObject({ code: "SAMKIT_HTTP_CONNECTION_RESET" });
    expect(received).toHaveLength(1);
  });
});
