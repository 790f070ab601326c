import { getEventListeners } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createDispatcher, createHttpClient } from "../../src/http/index.js";
import { loadEmulatorCloud } from "../../src/cloud/index.js";
import { isSamkitError } from "../../src/errors/index.js";

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

const servers: Server[] = [];
const sockets = new Set<Socket>();

async function listen(handler: Handler): Promise<string> {
  let n = 0;
  const server = createServer((req, res) => handler(req, res, ++n));
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  for (const s of sockets) s.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

const fast = { sleep: () => Promise.resolve() };

describe("HTTP seam over real sockets", () => {
  it("retries a GET after a connection reset", async () => {
    const url = await listen((req, res, n) => {
      if (n === 1) {
        req.socket.destroy();
        return;
      }
      res.end("ok");
    });
    const res = await createHttpClient({ ...fast, dispatcher: createDispatcher() }).request({ method: "GET", url: `${url}/x` });
    expect(res.text).toBe("ok");
    expect(res.attempts).toBe(2);
  });

  it("does not replay a token POST after a reset; throws SAMKIT_HTTP_CONNECTION_RESET", async () => {
    let hits = 0;
    const url = await listen((req) => {
      hits++;
      req.socket.destroy();
    });
    const e: unknown = await createHttpClient({ ...fast, dispatcher: createDispatcher() })
      .request({ method: "POST", url: `${url}/t/oauth2/v2.0/token`, body: "grant_type=refresh_token", service: "identity" })
      .catch((x: unknown) => x);
    expect(isSamkitError(e, "SAMKIT_HTTP_CONNECTION_RESET")).toBe(true);
    expect(hits).toBe(1);
  });

  it("times out a silent server with SAMKIT_HTTP_TIMEOUT", async () => {
    const url = await listen(() => {
      /* never answers */
    });
    const e: unknown = await createHttpClient({ dispatcher: createDispatcher() })
      .request({ method: "GET", url, timeoutMs: 200, retry: false })
      .catch((x: unknown) => x);
    expect(isSamkitError(e, "SAMKIT_HTTP_TIMEOUT")).toBe(true);
  });

  it("a caller's abort signal ends a pending request with SAMKIT_HTTP_ABORTED, and finished requests leave no listener on it", async () => {
    const url = await listen((req, res) => {
      if (req.url === "/slow") return; // never answers
      res.end("ok");
    });
    const http = createHttpClient({ dispatcher: createDispatcher() });
    const outer = new AbortController();
    for (let i = 0; i < 50; i++) await http.request({ method: "GET", url: `${url}/fast`, abortSignal: outer.signal });
    expect(getEventListeners(outer.signal, "abort")).toHaveLength(0);
    const pending = http.request({ method: "GET", url: `${url}/slow`, abortSignal: outer.signal, retry: false }).catch((x: unknown) => x);
    await new Promise((r) => setTimeout(r, 50));
    expect(getEventListeners(outer.signal, "abort")).toHaveLength(1);
    outer.abort();
    const e = await pending;
    expect(isSamkitError(e, "SAMKIT_HTTP_ABORTED")).toBe(true);
    expect(getEventListeners(outer.signal, "abort")).toHaveLength(0);
  });

  it("honours HTTP_PROXY, and NO_PROXY bypasses it", async () => {
    const target = await listen((_req, res) => res.end("direct"));
    const proxied: string[] = [];
    // undici's ProxyAgent tunnels with CONNECT, also for http:// targets
    const proxy = await listen((_req, res) => {
      res.statusCode = 405;
      res.end();
    });
    const proxyServer = servers[servers.length - 1]!;
    proxyServer.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
      proxied.push(req.url ?? "");
      const [host, port] = (req.url ?? "").split(":");
      const upstream = connect(Number(port), host, () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      sockets.add(upstream);
      upstream.on("close", () => sockets.delete(upstream));
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
    const saved = { HTTP_PROXY: process.env["HTTP_PROXY"], NO_PROXY: process.env["NO_PROXY"], http_proxy: process.env["http_proxy"], no_proxy: process.env["no_proxy"] };
    try {
      delete process.env["http_proxy"];
      delete process.env["no_proxy"];
      process.env["HTTP_PROXY"] = proxy;
      process.env["NO_PROXY"] = "";
      const viaProxy = await createHttpClient({ ...fast }).request({ method: "GET", url: `${target}/through` });
      expect(viaProxy.text).toBe("direct");
      expect(proxied).toEqual([new URL(target).host]);
      process.env["NO_PROXY"] = "127.0.0.1";
      await createHttpClient({ ...fast }).request({ method: "GET", url: `${target}/bypass` });
      expect(proxied).toHaveLength(1);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it("loadEmulatorCloud reads /_emulator/cloud", async () => {
    let base = "";
    base = await listen((req, res) => {
      if (req.url !== "/_emulator/cloud") {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          url: base,
          authorityHost: base,
          partnerCenterUrl: "http://127.0.0.1:9",
          graphUrl: "http://127.0.0.1:10",
          armUrl: "http://127.0.0.1:11",
          keyVaultUrl: "http://127.0.0.1:12",
          partnerTenantId: "11111111-1111-1111-1111-111111111111",
          caCertPath: null,
        }),
      );
    });
    const http = createHttpClient({ ...fast, dispatcher: createDispatcher() });
    const cloud = await loadEmulatorCloud(base, http);
    expect(cloud.authorityHost).toBe(base);
    expect(cloud.resources.graph.endpoint).toBe("http://127.0.0.1:10");
    expect(cloud.resources.graph.resourceId).toBe("https://graph.microsoft.com");
    const e: unknown = await loadEmulatorCloud(`${base}/nope/`, createHttpClient({ ...fast, dispatcher: createDispatcher() }))
      .then(() => undefined)
      .catch((x: unknown) => x);
    expect(e).toBeUndefined(); // path is ignored: the control API lives at the origin root
  });
});
