/**
 * `samkit api` against a real EmulatorServer: retries (429 + Retry-After waited out, 503s give
 * up with a catalogue error), exit codes through the CLI entry point, MS-RequestId reuse on retry,
 * Graph/ARM paging, and the MFA-required 401.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runApiCommand } from "../../src/cli/commands/api/command.js";
import { runCustomersCommand } from "../../src/cli/commands/customers/command.js";
import { main } from "../../src/cli/main.js";
import { callApi } from "../../src/api/call.js";
import { parseApiArgs } from "../../src/api/args.js";
import { createContext } from "../../src/cli/context.js";
import { isSamkitError } from "../../src/errors/index.js";
import { consentedEmulator, Sink, type ConsentedEmulator } from "./customers-helpers.js";

let e: ConsentedEmulator;
let home: string;

beforeAll(async () => {
  e = await consentedEmulator({ seedCustomers: 30 });
  home = await mkdtemp(join(tmpdir(), "samkit-api-test-"));
}, 60_000);
afterAll(async () => {
  await e?.close();
  await rm(home, { recursive: true, force: true });
});
afterEach(async () => {
  await e.control("DELETE", "/scenarios");
  await e.control("DELETE", "/requests");
});

interface Logged {
  service: string;
  method: string;
  path: string;
  status?: number;
  headers: Record<string, string>;
}

async function requests(service: string): Promise<Logged[]> {
  return (await e.control("GET", `/requests?service=${service}`)) as Logged[];
}

function out() {
  return { stdout: new Sink(), stderr: new Sink() };
}

/** Run the CLI entry point with the test's environment; returns exit code and captured output. */
async function cli(argv: string[], env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { ...process.env };
  const savedExit = process.exitCode;
  let stdout = "";
  let stderr = "";
  const w1 = vi.spyOn(process.stdout, "write").mockImplementation((c: string | Uint8Array) => {
    stdout += String(c);
    return true;
  });
  const w2 = vi.spyOn(process.stderr, "write").mockImplementation((c: string | Uint8Array) => {
    stderr += String(c);
    return true;
  });
  try {
    for (const k of Object.keys(process.env)) if (k.startsWith("SAMKIT_")) delete process.env[k];
    Object.assign(process.env, env);
    process.exitCode = undefined;
    const code = await main(argv);
    return { code, stdout, stderr };
  } finally {
    w1.mockRestore();
    w2.mockRestore();
    process.exitCode = savedExit;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

describe("retries through the HTTP seam", () => {
  it("waits out a 429 with Retry-After and succeeds, reusing MS-RequestId on the retry", async () => {
    await e.control("POST", "/scenarios", { service: "partner-center", path: "^/v1/profiles/organization$", status: 429, retryAfter: 1, times: 1 });
    const o = out();
    const t0 = Date.now();
    await runApiCommand("/v1/profiles/organization", {}, {}, o, e.env);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(JSON.parse(o.stdout.text)).toMatchObject({ tenantId: e.partnerTenantId });
    const log = (await requests("partner-center")).filter((r) => r.path === "/v1/profiles/organization");
    expect(log.map((r) => r.status)).toEqual([429, 200]);
    expect(log[0]!.headers["ms-requestid"]).toBe(log[1]!.headers["ms-requestid"]);
    expect(log[0]!.headers["ms-correlationid"]).toBe(log[1]!.headers["ms-correlationid"]);
    expect(log[0]!.headers["x-locale"]).toBe("en-US");
  });

  it("gives up after 5 consecutive 503s with a catalogue error and exit 1", async () => {
    await e.control("POST", "/scenarios", { service: "partner-center", path: "^/v1/customers$", status: 503, retryAfter: 1, times: 5 });
    const r = await cli(["api", "/v1/customers"], e.env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/error SAMKIT_SERVICE_UNAVAILABLE: .*Partner Center/);
    expect(r.stderr).toMatch(/next step: /);
    expect(r.stderr).toMatch(/"description"/); // the service's own error body
    const log = (await requests("partner-center")).filter((x) => x.path === "/v1/customers");
    expect(log.map((x) => x.status)).toEqual([503, 503, 503, 503]); // 4 attempts (CONTRACTS §8), then give up
  });
});

describe("exit codes and errors through the CLI", () => {
  it("accepts --json: the same JSON on success, errors as JSON on stderr", async () => {
    const id = e.world.customers[0]!.tenantId;
    const ok = await cli(["api", "/v1/customers/" + id, "--json"], e.env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ id });
    const bad = await cli(["api", "/whatever", "--json"], e.env);
    expect(bad.code).toBe(2);
    const err = (JSON.parse(bad.stderr.trim()) as { error: { code: string; nextStep: string } }).error;
    expect(err.code).toBe("SAMKIT_USAGE");
    expect(JSON.stringify(err)).toMatch(/--resource/);
  });

  it("prints JSON on success (exit 0) and refuses bad flags with exit 2", async () => {
    const ok = await cli(["api", "/v1/customers/" + e.world.customers[0]!.tenantId], e.env);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ id: e.world.customers[0]!.tenantId });
    const bad = await cli(["api", "/v1/customers", "-H", "nocolon"], e.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/SAMKIT_USAGE/);
    const unknown = await cli(["api", "/whatever"], e.env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--resource/);
  });

  it("a Partner Center 404 prints the ApiFault and exits 1", async () => {
    const r = await cli(["api", "/v1/customers/00000000-0000-4000-8000-00000000beef"], e.env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/SAMKIT_PC_RESOURCE_NOT_FOUND/);
  });

  it("--help has real examples for each service", async () => {
    const r = await cli(["api", "--help"], e.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/samkit api \/v1\/customers --paginate/);
    expect(r.stdout).toMatch(/samkit api \/v1\.0\/users --tenant/);
    expect(r.stdout).toMatch(/subscriptions\?api-version=/);
  });
});

describe("MFA-required 401 from Partner Center", () => {
  let nomfa: ConsentedEmulator | undefined;
  afterAll(async () => {
    await nomfa?.close();
  });

  it("a refresh token minted without MFA is refused by Partner Center: re-consent with MFA, exit 4", async () => {
    nomfa = await consentedEmulator({ seedCustomers: 2, mfa: false });
    const r = await cli(["api", "/v1/customers"], nomfa.env);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/SAMKIT_PC_MFA_REQUIRED/);
    expect(r.stderr).toMatch(/samkit consent/);
  });
});

describe("paging Graph and ARM in a customer tenant", () => {
  it("Graph @odata.nextLink: --paginate merges every page; a full URL on the real Graph host reaches the emulator", async () => {
    const healthy = e.world.customers.find((c) => c.state === "healthy")!;
    const all = out();
    await runApiCommand("/v1.0/users", { tenant: healthy.tenantId, rawField: ["$top=1"], paginate: true }, {}, all, e.env);
    const users = JSON.parse(all.stdout.text) as { id: string }[];
    expect(users.length).toBeGreaterThan(1);
    expect(new Set(users.map((u) => u.id)).size).toBe(users.length);
    const log = (await requests("graph")).filter((r) => r.path === "/v1.0/users");
    expect(log).toHaveLength(users.length);

    const full = out();
    await runApiCommand("https://graph.microsoft.com/v1.0/users", { tenant: healthy.domain }, {}, full, e.env);
    expect((JSON.parse(full.stdout.text) as { value: { id: string }[] }).value.map((u) => u.id).sort()).toEqual(users.map((u) => u.id).sort());
  });

  it("ARM nextLink: --paginate follows it; --jsonl prints one subscription per line", async () => {
    const healthy = e.world.customers.find((c) => c.state === "healthy")!;
    // The seeded app asks for no ARM permission: delegated ARM needs a consent that grants it.
    const before = await runApiCommand("/subscriptions?api-version=2022-12-01", { tenant: healthy.tenantId }, {}, out(), e.env).catch((x: unknown) => x);
    expect(before).toMatchObject({ action: "grant-customer-consent" });
    const grants = join(home, "grants.json");
    await writeFile(
      grants,
      JSON.stringify([
        { enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scope: "Directory.Read.All,User.Read" },
        { enterpriseApplicationId: "797f4846-ba00-4fd7-ba43-dac1f8f63013", scope: "user_impersonation" },
      ]),
    );
    expect(await runCustomersCommand("consent", healthy.tenantId, { grants, replace: true }, {}, { ...out(), isTty: false }, e.env)).toBe(0);
    const first = out();
    await runApiCommand("/subscriptions?api-version=2022-12-01", { tenant: healthy.tenantId }, {}, first, e.env);
    const total = (JSON.parse(first.stdout.text) as { value: unknown[] }).value.length;
    expect(total).toBeGreaterThan(0);
    await e.control("DELETE", "/requests");
    const lines = out();
    await runApiCommand("/subscriptions?api-version=2022-12-01", { tenant: healthy.tenantId, rawField: ["$top=1"], paginate: true, jsonl: true }, {}, lines, e.env);
    const subs = lines.stdout.text.trimEnd().split("\n").map((l) => JSON.parse(l) as { subscriptionId: string; tenantId: string });
    expect(subs).toHaveLength(total);
    expect(subs.every((x) => x.tenantId === healthy.tenantId)).toBe(true);
    expect((await requests("arm")).filter((r) => r.path === "/subscriptions")).toHaveLength(total);
  });
});

describe("the library entry points the fan-out runner uses", () => {
  it("parseApiArgs + callApi per tenant return {ok, status, data | error}", async () => {
    const ctx = createContext({}, e.env);
    const [http, cloud] = await Promise.all([ctx.http(), ctx.cloud()]);
    const spec = await parseApiArgs(["/v1/customers", "--paginate"]);
    const r = await callApi(spec, { http, cloud, getToken: (q) => ctx.getToken(q) });
    expect(r.ok).toBe(true);
    if (r.ok) expect((r.data as unknown[]).length).toBe(30);
    const missing = await callApi(await parseApiArgs(["/v1/customers/00000000-0000-4000-8000-00000000beef"]), { http, cloud, getToken: (q) => ctx.getToken(q) });
    expect(missing.ok).toBe(false);
    if (!missing.ok) {
      expect(missing.status).toBe(404);
      expect(isSamkitError(missing.error)).toBe(true);
      expect(missing.error.partnerCenterCode).toBeDefined();
    }
  });
});
