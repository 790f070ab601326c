/**
 * Hardening (issue 10): bad input, generated with fast-check, at every border where samkit reads
 * something it does not control — CLI arguments, config.json, the store file, token-endpoint
 * responses, JWTs, Partner Center and Graph bodies. Each case must end in a value or a
 * `SamkitError` with a specific catalogue code: never an uncaught exception, never
 * `SAMKIT_INTERNAL` (the code for "samkit has a bug"), never a stack trace on the user's screen.
 * In-process calls (a fake HTTP server on 127.0.0.1 answers with the generated bodies); numRuns
 * bounded so the file stays within a few seconds.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseApiArgs } from "../../src/api/args.js";
import { callApi } from "../../src/api/call.js";
import { decodeClaims, printableClaims, tenantIdOf } from "../../src/broker/claims.js";
import { main } from "../../src/cli/main.js";
import { emulatorCloud } from "../../src/cloud/index.js";
import type { CloudDefinition } from "../../src/cloud/types.js";
import { loadConfig } from "../../src/config/index.js";
import { isSamkitError } from "../../src/errors/index.js";
import { createHttpClient } from "../../src/http/client.js";
import { clientCredentials, redeemRefreshToken } from "../../src/oauth/grants.js";
import { verifyIdToken } from "../../src/oauth/id-token.js";
import { signInMethods } from "../../src/oauth/mfa.js";
import { decodeClientInfo } from "../../src/oauth/token-set.js";
import { PartnerCenterClient } from "../../src/partner-center/client.js";
import { EncryptedFileStore } from "../../src/store/file/file-store.js";
import { writeProfile } from "../../src/store/profile.js";

const PARTNER = "1ab737a3-5506-415f-82e0-edcd31651a5a";
const CLIENT = "e912cb6c-f954-4dca-8054-237990548de8";
let server: Server;
let cloud: CloudDefinition;
let reply: { status: number; contentType: string; body: string; headers?: Record<string, string> } = { status: 200, contentType: "application/json", body: "{}" };
const http = createHttpClient({ retry: { maxAttempts: 1 }, timeoutMs: 5000 });
const tmp: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(reply.status, { "content-type": reply.contentType, ...reply.headers });
      res.end(reply.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  const o = `http://127.0.0.1:${port}`;
  cloud = emulatorCloud({ url: o, authorityHost: o, partnerCenterUrl: o, graphUrl: o, armUrl: o, keyVaultUrl: o, partnerTenantId: PARTNER, caCertPath: null });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  for (const d of tmp) rmSync(d, { recursive: true, force: true });
});

/** Runs `f`; a value or a specific catalogue error passes, anything else fails with what it was. */
async function settles(f: () => unknown): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (!isSamkitError(e)) throw new Error(`not a SamkitError: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`, { cause: e });
    expect(e.code, e.message).not.toBe("SAMKIT_INTERNAL");
    expect(e.message).not.toMatch(/\n\s+at /);
  }
}

const b64url = (v: unknown): string => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
/** JWT-shaped strings: real structure with hostile contents, plus plain garbage. */
const jwtish = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.tuple(fc.jsonValue({ maxDepth: 2 }), fc.jsonValue({ maxDepth: 2 }), fc.string({ maxLength: 20 })).map(([h, p, s]) => `${b64url(h)}.${b64url(p)}.${b64url(s)}`),
  fc
    .record({ amr: fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.array(fc.string({ maxLength: 5 }))), tid: fc.jsonValue({ maxDepth: 1 }), exp: fc.jsonValue({ maxDepth: 1 }), scp: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] })
    .map((p) => `${b64url({ alg: "RS256", typ: "JWT" })}.${b64url(p)}.sig`),
  fc.constantFrom("", ".", "..", "a.b.c", "eyJ.eyJ.x", "e30.e30.", "e30.bnVsbA.", "e30.WzEsMl0.", "e30.IiI."),
);
/** Bodies a service might send on a bad day. */
const body = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.constantFrom("", "null", "[]", "{}", "<html>502 Bad Gateway</html>", '{"error":{}}', '{"error":null}', '{"value":null}', '{"items":"x"}', '{"items":[null]}', '{"totalCount":-1,"items":[{}]}'),
);
const status = fc.oneof(fc.constantFrom(200, 201, 204, 400, 401, 403, 404, 409, 429, 500, 502, 503), fc.integer({ min: 200, max: 599 }));

describe("bad input never crashes samkit", () => {
  it("token-endpoint responses (refresh grant, client credentials)", async () => {
    const tokenBody = fc.oneof(
      body,
      fc
        .record(
          {
            access_token: fc.oneof(jwtish, fc.jsonValue({ maxDepth: 1 })),
            token_type: fc.oneof(fc.constantFrom("Bearer", "bearer", "mac", ""), fc.jsonValue({ maxDepth: 1 })),
            expires_in: fc.oneof(fc.integer(), fc.string({ maxLength: 6 }), fc.double()),
            refresh_token: fc.oneof(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 1 })),
            scope: fc.oneof(fc.string({ maxLength: 30 }), fc.jsonValue({ maxDepth: 1 })),
            id_token: jwtish,
            client_info: fc.oneof(fc.string({ maxLength: 30 }), fc.jsonValue({ maxDepth: 1 }).map(b64url)),
            error: fc.oneof(fc.constantFrom("invalid_grant", "invalid_client", "temporarily_unavailable"), fc.jsonValue({ maxDepth: 1 })),
            error_codes: fc.oneof(fc.array(fc.integer()), fc.jsonValue({ maxDepth: 1 })),
            error_description: fc.oneof(fc.string({ maxLength: 40 }).map((s) => `AADSTS${s}`), fc.jsonValue({ maxDepth: 1 })),
          },
          { requiredKeys: [] },
        )
        .map((o) => JSON.stringify(o)),
    );
    await fc.assert(
      fc.asyncProperty(status, tokenBody, fc.boolean(), async (s, b, json) => {
        reply = { status: s, contentType: json ? "application/json" : "text/plain", body: b };
        const ctx = { cloud, tenant: PARTNER, client: { clientId: CLIENT, clientSecret: "x" }, http };
        await settles(() => redeemRefreshToken(ctx, "rt", ["https://graph.microsoft.com/.default"]));
        await settles(() => clientCredentials(ctx, ["https://graph.microsoft.com/.default"]));
      }),
      { numRuns: 80 },
    );
  }, 60_000);

  it("JWTs and client_info (claims, MFA, id_token verification)", async () => {
    await fc.assert(
      fc.asyncProperty(jwtish, status, body, async (t, s, b) => {
        await settles(() => signInMethods(t));
        await settles(() => decodeClaims(t));
        await settles(() => printableClaims(t));
        await settles(() => tenantIdOf(t));
        await settles(() => decodeClientInfo(t));
        reply = { status: s, contentType: "application/json", body: b }; // the JWKS answer
        await settles(() => verifyIdToken(t, { cloud, http, clientId: CLIENT, tenant: PARTNER, expectedTenantId: PARTNER }));
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it("Partner Center and Graph bodies", async () => {
    const pc = new PartnerCenterClient({ http, cloud, getToken: () => Promise.resolve({ token: "t", expiresOn: new Date(Date.now() + 3600_000), scopes: [], tenantId: PARTNER }), retry: { maxAttempts: 1 } });
    const paged = fc.oneof(
      body,
      fc
        .record({ totalCount: fc.jsonValue({ maxDepth: 1 }), items: fc.oneof(fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), fc.jsonValue({ maxDepth: 1 })), links: fc.jsonValue({ maxDepth: 2 }) }, { requiredKeys: [] })
        .map((o) => JSON.stringify(o)),
      fc.record({ value: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }), "@odata.nextLink": fc.oneof(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 1 })) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
    );
    const graphSpec = await parseApiArgs(["/v1.0/users", "--paginate"]);
    const pcSpec = await parseApiArgs(["/v1/customers"]);
    await fc.assert(
      fc.asyncProperty(status, paged, fc.constantFrom("application/json", "text/html", "application/json; charset=utf-8"), async (s, b, ct) => {
        reply = { status: s, contentType: ct, body: b, headers: s === 429 ? { "retry-after": "0" } : {} };
        await settles(async () => {
          let n = 0;
          for await (const _ of pc.listCustomers({ pageSize: 2 })) if (++n > 5) break;
        });
        await settles(() => pc.getCustomer("b57d59a9-81f7-4f07-a365-b0fe69b9ab86"));
        // callApi reports failures in its result; it may not throw at all.
        const ctx = { http, cloud, getToken: () => Promise.resolve({ token: "t", expiresOn: new Date(Date.now() + 3600_000), scopes: [], tenantId: PARTNER }), retry: { maxAttempts: 1 }, maxPages: 3 };
        const g = await callApi(graphSpec, ctx);
        expect(typeof g.ok).toBe("boolean");
        if (!g.ok) expect(g.error.code).not.toBe("SAMKIT_INTERNAL");
        const p = await callApi(pcSpec, ctx);
        if (!p.ok) expect(p.error.code).not.toBe("SAMKIT_INTERNAL");
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it("config.json contents", async () => {
    const home = mkdtempSync(join(tmpdir(), "samkit-badcfg-"));
    tmp.push(home);
    const content = fc.oneof(
      body,
      fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a).toString("latin1")),
      fc
        .record(
          {
            cloud: fc.oneof(fc.constantFrom("global", "usgov", "china", "emulator", "mars"), fc.jsonValue({ maxDepth: 1 })),
            store: fc.oneof(fc.constantFrom("file", "keyvault", "sqlite"), fc.jsonValue({ maxDepth: 1 })),
            rotation: fc.oneof(fc.constantFrom("lenient", "strict", "loose"), fc.jsonValue({ maxDepth: 1 })),
            vaultUrl: fc.oneof(fc.webUrl(), fc.string({ maxLength: 20 })),
            profiles: fc.jsonValue({ maxDepth: 3 }),
            persistIntervalSeconds: fc.jsonValue({ maxDepth: 1 }),
          },
          { requiredKeys: [] },
        )
        .map((o) => JSON.stringify(o)),
    );
    await fc.assert(
      fc.asyncProperty(content, fc.option(fc.constantFrom("default", "p1", "../x", ""), { nil: undefined }), async (c, profile) => {
        writeFileSync(join(home, "config.json"), c, { mode: 0o600 });
        await settles(() => loadConfig({}, { env: { SAMKIT_HOME: home, ...(profile !== undefined ? { SAMKIT_PROFILE: profile } : {}) } }));
      }),
      { numRuns: 80 },
    );
  });

  it("store file contents", async () => {
    const home = mkdtempSync(join(tmpdir(), "samkit-badstore-"));
    tmp.push(home);
    const storeKey = randomBytes(32).toString("base64");
    await writeProfile(new EncryptedFileStore({ home, storeKey }), { profile: "default", cloud: "emulator", tenantId: PARTNER, clientId: CLIENT, clientSecret: "s3cret-value~0123456789abcdefghij", refreshToken: `0.A${"x".repeat(120)}`, metadata: {} });
    const files = readdirSync(home).filter((f) => statSync(join(home, f)).isFile() && !/key|lock|config/i.test(f));
    expect(files.length).toBeGreaterThan(0);
    const file = join(home, files[0]!);
    await fc.assert(
      fc.asyncProperty(fc.oneof(body, fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a).toString("latin1"))), async (c) => {
        writeFileSync(file, c, { encoding: "latin1", mode: 0o600 });
        const store = new EncryptedFileStore({ home, storeKey });
        await settles(() => store.list());
        await settles(() => store.get("RefreshToken"));
      }),
      { numRuns: 60 },
    );
  });

  it("CLI arguments (in-process main, --json): a usage or catalogue error, never SAMKIT_INTERNAL or a stack trace", async () => {
    const home = mkdtempSync(join(tmpdir(), "samkit-badargs-"));
    tmp.push(home);
    const saved = { ...process.env };
    Object.assign(process.env, { SAMKIT_HOME: home, SAMKIT_CLOUD: "emulator", SAMKIT_EMULATOR_URL: "http://127.0.0.1:9", SAMKIT_STORE_KEY: randomBytes(32).toString("base64"), SAMKIT_LOG_LEVEL: "silent", NO_COLOR: "1" });
    const out = { stdout: "", stderr: "" };
    const exitCodes = new Set<number>();
    const origOut = process.stdout.write.bind(process.stdout);
    const origErr = process.stderr.write.bind(process.stderr);
    // Commands that read stdin or wait for a person are left out: stdin is the test runner's.
    const noun = fc.constantFrom("token", "api", "customers", "foreach", "status", "store", "profile", "explain", "nope", "");
    const word = fc.oneof(
      fc.constantFrom("list", "show", "consent", "migrate", "delete", "--resource", "--tenant", "--scope", "--concurrency", "--customers", "--cloud", "--profile", "--json", "--jsonl", "--app-only", "--paginate", "-X", "-f", "-H", "--", "--renew", "--tenants", "--to", "all", "0", "-1", "999999", "graph", "/v1.0/users"),
      fc.string({ maxLength: 12 }).filter((s) => s !== "-" && !s.includes("stdin")),
    );
    try {
      await fc.assert(
        fc.asyncProperty(noun, fc.array(word, { maxLength: 6 }), async (n, rest) => {
          out.stdout = "";
          out.stderr = "";
          process.stdout.write = ((c: string | Uint8Array) => ((out.stdout += String(c)), true));
          process.stderr.write = ((c: string | Uint8Array) => ((out.stderr += String(c)), true));
          const exitBefore = process.exitCode;
          let code: number;
          try {
            const argv = [...(n ? [n] : []), ...rest, "--json"];
            code = await Promise.race([main(argv), new Promise<number>((_, rej) => setTimeout(() => rej(new Error(`hung: samkit ${argv.join(" ")}`)), 15_000))]);
          } finally {
            process.stdout.write = origOut;
            process.stderr.write = origErr;
            process.exitCode = exitBefore;
          }
          expect(out.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
          expect(out.stderr).not.toContain("SAMKIT_INTERNAL");
          expect(out.stdout).not.toContain("SAMKIT_INTERNAL");
          expect([0, 1, 2, 3, 4]).toContain(code);
          exitCodes.add(code);
        }),
        { numRuns: 60 },
      );
      // Both kinds of failure were reached: usage errors and errors from running a command.
      expect(exitCodes.has(2) && exitCodes.has(1), [...exitCodes].join(",")).toBe(true);
    } finally {
      process.env = saved;
    }
  }, 120_000);
});
