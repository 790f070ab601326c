/**
 * `EmulatorServer`: the offline Microsoft cloud as a library. One listener per service on
 * 127.0.0.1, each a hono app at the root of its own origin (CONTRACTS §1): identity (+ control
 * API `/_emulator/…`), Partner Center, Microsoft Graph, Azure Resource Manager, Key Vault.
 *
 * ```ts
 * const emu = new EmulatorServer({ seedCustomers: 10 });
 * const cloud = await emu.start();   // CONTRACTS §1 JSON
 * …
 * await emu.stop();
 * ```
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { Hono, type MiddlewareHandler } from "hono";
import { generate } from "selfsigned";
import { createArmApp } from "./arm/index.js";
import { bodyText } from "./body.js";
import { EmulatorClock } from "./clock.js";
import type { EmulatorCloudInfo, EmulatorContext, EmulatorResolvedOptions, ServiceName } from "./context.js";
import { createControlApp } from "./control.js";
import { createGraphApp } from "./graph/index.js";
import { createIdentityApp } from "./identity/app.js";
import { IdentityState } from "./identity/state.js";
import { createKeys, loadSigningKey } from "./keys.js";
import { createKeyVaultApp } from "./keyvault/index.js";
import { createPartnerCenterApp } from "./partner-center/index.js";
import { RequestLog, type LoggedRequest } from "./request-log.js";
import { scenarioMiddleware, ScenarioStore } from "./scenarios.js";
import type { ServiceApp } from "./service-app.js";
import { World } from "./world.js";

/** Options of {@link EmulatorServer}. */
export interface EmulatorServerOptions {
  /** First port: identity on `port`, then Partner Center, Graph, ARM, Key Vault on port+1..+4. Default 0 (free ports). */
  readonly port?: number;
  /** Number of seeded customer tenants. Default 25 (10,000 starts in well under 5 s). */
  readonly seedCustomers?: number;
  /** Latency added to every request, milliseconds. Default 0. */
  readonly latencyMs?: number;
  /** Serve HTTPS with a self-signed certificate for localhost/127.0.0.1 (path in `caCertPath`). Default false. */
  readonly tls?: boolean;
  /** Reuse of an already-rotated refresh token revokes its family. Default false (Entra behaviour). */
  readonly strictRotation?: boolean;
  /** Initial scenario rules (see `ScenarioRule`). */
  readonly scenarios?: readonly unknown[];
  /** World seed. Default "samkit". */
  readonly seed?: string;
  /**
   * Folder for state that survives a restart (Key Vault secrets in `keyvault.json`, 0600 in a
   * 0700 folder, created when missing). Default: none (in memory only).
   */
  readonly dataDir?: string;
}

/** Listener order, which also fixes port offsets. */
export const SERVICE_ORDER: readonly ServiceName[] = ["identity", "partner-center", "graph", "arm", "keyvault"];

const LOGGED_BODY_TYPES = /application\/(x-www-form-urlencoded|json)/i;

function requestLogMiddleware(ctx: EmulatorContext, service: ServiceName): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    if (url.pathname.startsWith("/_emulator/")) return next();
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((v, k) => (headers[k] = v));
    let body: string | undefined;
    let form: Record<string, string> | undefined;
    const type = headers["content-type"] ?? "";
    if (c.req.method !== "GET" && c.req.method !== "HEAD" && LOGGED_BODY_TYPES.test(type)) {
      body = (await bodyText(c)).slice(0, 65_536);
      if (/x-www-form-urlencoded/i.test(type)) form = Object.fromEntries(new URLSearchParams(body));
    }
    const entry = ctx.requestLog.add({
      time: ctx.clock.now().toISOString(),
      service,
      method: c.req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(form !== undefined ? { form } : {}),
    });
    await next();
    entry.status = c.res.status;
  };
}

/** Wrap a service app with request logging and scenarios. */
function mount(ctx: EmulatorContext, service: ServiceName, app: ServiceApp, control?: ServiceApp): Hono {
  const root = new Hono();
  root.use(requestLogMiddleware(ctx, service));
  root.use(scenarioMiddleware(ctx, service));
  if (control) root.all("/_emulator/*", (c) => control.fetch(c.req.raw, c.env));
  root.all("*", (c) => app.fetch(c.req.raw, c.env));
  return root;
}

function listen(app: Hono, port: number, tls: { key: string; cert: string } | undefined): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve(
      tls
        ? { fetch: app.fetch, port, hostname: "127.0.0.1", createServer: createHttpsServer, serverOptions: { key: tls.key, cert: tls.cert } }
        : { fetch: app.fetch, port, hostname: "127.0.0.1" },
      () => resolve(server),
    );
    server.once("error", reject);
  });
}

/** The emulator as a library class. */
export class EmulatorServer {
  readonly options: EmulatorResolvedOptions;
  private readonly initialScenarios: readonly unknown[];
  private servers: ServerType[] = [];
  private ctx: EmulatorContext | undefined;
  private tmpDir: string | undefined;

  constructor(options: EmulatorServerOptions = {}) {
    this.options = {
      port: options.port ?? 0,
      seedCustomers: options.seedCustomers ?? 25,
      latencyMs: options.latencyMs ?? 0,
      tls: options.tls ?? false,
      strictRotation: options.strictRotation ?? false,
      seed: options.seed ?? "samkit",
      ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    };
    this.initialScenarios = options.scenarios ?? [];
  }

  /**
   * Bind every listener and build the world. Resolves with the cloud definition (CONTRACTS §1).
   * @throws Error when a port is taken or the server is already started.
   */
  async start(): Promise<EmulatorCloudInfo> {
    if (this.ctx) throw new Error("EmulatorServer already started");
    const clock = new EmulatorClock();
    const keys = createKeys(await loadSigningKey());
    const ctx: EmulatorContext = {
      world: World.build({ seed: this.options.seed, customers: this.options.seedCustomers, epochSeconds: clock.nowSeconds() }),
      clock,
      keys,
      scenarios: new ScenarioStore(this.options.latencyMs, this.initialScenarios),
      requestLog: new RequestLog(),
      urls: undefined as unknown as EmulatorCloudInfo,
      options: this.options,
      identity: new IdentityState(),
    };
    let tls: { key: string; cert: string } | undefined;
    let caCertPath: string | null = null;
    if (this.options.tls) {
      const pems = await generate([{ name: "commonName", value: "localhost" }], {
        keySize: 2048,
        algorithm: "sha256",
        extensions: [
          { name: "basicConstraints", cA: true },
          { name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }, { type: 7, ip: "127.0.0.1" }, { type: 7, ip: "::1" }] },
        ],
      });
      tls = { key: pems.private, cert: pems.cert };
      this.tmpDir = await mkdtemp(join(tmpdir(), "samkit-emulator-"));
      caCertPath = join(this.tmpDir, "ca.pem");
      await writeFile(caCertPath, pems.cert, { mode: 0o644 });
    }
    const control = createControlApp(ctx, () => this.reset());
    const apps: Record<ServiceName, ServiceApp> = {
      identity: createIdentityApp(ctx),
      "partner-center": createPartnerCenterApp(ctx),
      graph: createGraphApp(ctx),
      arm: createArmApp(ctx),
      keyvault: createKeyVaultApp(ctx),
    };
    const origins: string[] = [];
    try {
      for (const [i, service] of SERVICE_ORDER.entries()) {
        const port = this.options.port ? this.options.port + i : 0;
        const server = await listen(mount(ctx, service, apps[service], service === "identity" ? control : undefined), port, tls);
        this.servers.push(server);
        const bound = (server.address() as AddressInfo).port;
        origins.push(`${tls ? "https" : "http"}://${tls ? "localhost" : "127.0.0.1"}:${bound}`);
      }
    } catch (e) {
      await this.closeServers();
      throw e;
    }
    ctx.urls = {
      url: origins[0]!,
      authorityHost: origins[0]!,
      partnerCenterUrl: origins[1]!,
      graphUrl: origins[2]!,
      armUrl: origins[3]!,
      keyVaultUrl: origins[4]!,
      partnerTenantId: ctx.world.partnerTenantId,
      caCertPath,
    };
    this.ctx = ctx;
    return ctx.urls;
  }

  /** Close every listener (open connections included) and remove the TLS temp files. Idempotent. */
  async stop(): Promise<void> {
    await this.closeServers();
    this.ctx = undefined;
    if (this.tmpDir) await rm(this.tmpDir, { recursive: true, force: true });
    this.tmpDir = undefined;
  }

  private async closeServers(): Promise<void> {
    const servers = this.servers;
    this.servers = [];
    await Promise.all(
      servers.map(
        (s) =>
          new Promise<void>((res) => {
            s.close(() => res());
            (s as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      ),
    );
  }

  /**
   * Back to the seeded state: a fresh world, no tokens/codes/sessions, scenarios back to the
   * start-up ones, real time, empty request log. Keys and ports stay.
   */
  reset(): void {
    const ctx = this.context;
    ctx.clock.reset();
    ctx.world = World.build({ seed: this.options.seed, customers: this.options.seedCustomers, epochSeconds: ctx.clock.nowSeconds() });
    ctx.identity = new IdentityState();
    ctx.scenarios.clear();
    ctx.scenarios.latencyMs = this.options.latencyMs;
    for (const r of this.initialScenarios) ctx.scenarios.add(r);
    ctx.requestLog.clear();
  }

  /** Identity origin (= `authorityHost`). @throws Error before `start()`. */
  get url(): string {
    return this.context.urls.url;
  }

  /** The ready JSON (CONTRACTS §1). @throws Error before `start()`. */
  get cloud(): EmulatorCloudInfo {
    return this.context.urls;
  }

  /** The live context (world, clock, scenarios…) for in-process tests. @throws Error before `start()`. */
  get context(): EmulatorContext {
    if (!this.ctx) throw new Error("EmulatorServer not started");
    return this.ctx;
  }

  /** Every request logged since the last call (optionally one service's), and clear them. */
  takeRequests(service?: ServiceName): LoggedRequest[] {
    return this.context.requestLog.take(service);
  }
}
