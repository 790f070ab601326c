/**
 * `samkit customers` and `samkit api` against a real EmulatorServer over HTTP, through the real
 * CLI context (settings, encrypted file store, token broker, HTTP seam).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runApiCommand } from "../../src/cli/commands/api/command.js";
import { runCustomersCommand } from "../../src/cli/commands/customers/command.js";
import { createContext } from "../../src/cli/context.js";
import { PartnerCenterClient } from "../../src/partner-center/client.js";
import { isSamkitError, type SamkitError } from "../../src/errors/index.js";
import { consentedEmulator, Sink, type ConsentedEmulator } from "./customers-helpers.js";

let e: ConsentedEmulator;

beforeAll(async () => {
  e = await consentedEmulator({ seedCustomers: 1000 });
}, 60_000);
afterAll(async () => {
  await e?.close();
});

function out(isTty = false) {
  return { stdout: new Sink(), stderr: new Sink(), isTty };
}

async function failure(p: Promise<unknown>): Promise<SamkitError> {
  const err: unknown = await p.then(
    () => new Error("expected a failure"),
    (x: unknown) => x,
  );
  expect(isSamkitError(err), String(err)).toBe(true);
  return err as SamkitError;
}

interface PcCustomer {
  id: string;
  companyProfile: { tenantId: string; domain: string; companyName: string };
  relationshipToPartner: string;
}

describe("customers list / api --paginate over 1,000 customers", () => {
  it("customers list --json returns every seeded customer once, in the Partner Center shape", async () => {
    const o = out();
    await runCustomersCommand("list", undefined, { json: true }, {}, o, e.env);
    const list = JSON.parse(o.stdout.text) as PcCustomer[];
    expect(list).toHaveLength(1000);
    expect(new Set(list.map((c) => c.id)).size).toBe(1000);
    expect(list.map((c) => c.companyProfile.tenantId)).toEqual(e.world.customers.map((c) => c.tenantId));
    const first = list[0]!;
    const seeded = e.world.customers[0]!;
    expect(first.companyProfile).toMatchObject({ tenantId: seeded.tenantId, domain: seeded.domain, companyName: seeded.name });
    expect(first.relationshipToPartner).toBe(seeded.relationshipToPartner);

    // it paged: several Partner Center requests, continuation header on every follow-up, one correlation ID
    const log = (await e.control("GET", "/requests")) as { service: string; path: string; headers: Record<string, string> }[] | { requests: { service: string; path: string; headers: Record<string, string> }[] };
    const reqs = (Array.isArray(log) ? log : log.requests).filter((r) => r.service === "partner-center" && r.path === "/v1/customers");
    expect(reqs.length).toBeGreaterThan(1);
    expect(reqs.slice(1).every((r) => typeof r.headers["ms-continuationtoken"] === "string")).toBe(true);
    expect(new Set(reqs.map((r) => r.headers["ms-correlationid"])).size).toBe(1);
    expect(new Set(reqs.map((r) => r.headers["ms-requestid"])).size).toBe(reqs.length);
  });

  it("api /v1/customers --paginate agrees with customers list", async () => {
    const o = out();
    await runApiCommand("/v1/customers", { paginate: true }, {}, o, e.env);
    const merged = JSON.parse(o.stdout.text) as PcCustomer[];
    expect(merged.map((c) => c.id)).toEqual(e.world.customers.map((c) => c.tenantId));

    const lines = out();
    await runApiCommand("/v1/customers", { paginate: true, jsonl: true }, {}, lines, e.env);
    const ids = lines.stdout.text.trimEnd().split("\n").map((l) => (JSON.parse(l) as PcCustomer).id);
    expect(ids).toEqual(merged.map((c) => c.id));
  });

  it("customers list on a terminal prints a table", async () => {
    const o = out(true);
    await runCustomersCommand("list", undefined, {}, {}, o, e.env);
    const rows = o.stdout.text.trimEnd().split("\n");
    expect(rows[0]).toMatch(/^NAME\s+DOMAIN\s+TENANT ID\s+RELATIONSHIP$/);
    expect(rows).toHaveLength(1001);
    const c = e.world.customers[7]!;
    expect(rows[8]).toContain(c.domain);
    expect(rows[8]).toContain(c.tenantId);
  });
});

describe("throttling in the middle of a listing", () => {
  it("a 429 on a follow-up page is waited out and the listing resumes from the same continuation token", async () => {
    const ctx = createContext({}, e.env);
    const [http, cloud] = await Promise.all([ctx.http(), ctx.cloud()]);
    const pc = new PartnerCenterClient({ http, cloud, getToken: (r) => ctx.getToken(r), pageSize: 400 });
    await e.control("DELETE", "/requests");
    const ids: string[] = [];
    for await (const c of pc.listCustomers()) {
      ids.push(c.id);
      // after the first page arrived, the next page request gets one 429 with Retry-After: 1
      if (ids.length === 1) await e.control("POST", "/scenarios", { service: "partner-center", path: "^/v1/customers$", status: 429, retryAfter: 1, times: 1 });
    }
    await e.control("DELETE", "/scenarios");
    expect(ids).toEqual(e.world.customers.map((c) => c.tenantId));
    const log = ((await e.control("GET", "/requests?service=partner-center")) as { status?: number; headers: Record<string, string> }[]);
    expect(log.map((r) => r.status)).toEqual([200, 429, 200, 200]);
    expect(log[1]!.headers["ms-continuationtoken"]).toBeDefined();
    expect(log[2]!.headers["ms-continuationtoken"]).toBe(log[1]!.headers["ms-continuationtoken"]);
    expect(log[2]!.headers["ms-requestid"]).toBe(log[1]!.headers["ms-requestid"]);
  });
});

describe("customers show", () => {
  it("finds a customer by ID and by domain", async () => {
    const c = e.world.customers[10]!;
    const byId = out();
    await runCustomersCommand("show", c.tenantId.toUpperCase(), { json: true }, {}, byId, e.env);
    expect((JSON.parse(byId.stdout.text) as PcCustomer).companyProfile.domain).toBe(c.domain);
    const byDomain = out();
    await runCustomersCommand("show", c.domain, { json: true }, {}, byDomain, e.env);
    expect((JSON.parse(byDomain.stdout.text) as PcCustomer).id).toBe(c.tenantId);
  });

  it("an unknown customer is a catalogue error with exit 1", async () => {
    const err = await failure(runCustomersCommand("show", "nobody.onmicrosoft.com", {}, {}, out(), e.env));
    expect(err.code).toBe("SAMKIT_PC_CUSTOMER_NOT_FOUND");
    expect(err.exitCode).toBe(1);
    const err404 = await failure(runCustomersCommand("show", "00000000-0000-4000-8000-000000000999", {}, {}, out(), e.env));
    expect(err404.status).toBe(404);
    expect(err404.exitCode).toBe(1);
  });
});

describe("Graph in customer tenants and application consent", () => {
  it("works in a consented customer, fails with the consent next step in an unconsented one, then works after customers consent", async () => {
    const healthy = e.world.customers.find((c) => c.state === "healthy")!;
    const ok = out();
    await runApiCommand("/v1.0/users", { tenant: healthy.tenantId, paginate: true }, {}, ok, e.env);
    const users = JSON.parse(ok.stdout.text) as { userPrincipalName: string }[];
    expect(users.length).toBeGreaterThan(0);
    expect(users.every((u) => u.userPrincipalName.endsWith(`@${healthy.domain}`))).toBe(true);

    const unconsented = e.world.customers.find((c) => c.state === "no-consent")!;
    expect(unconsented.consented).toBe(false);
    const failed = out();
    const err = await failure(runApiCommand("/v1.0/users", { tenant: unconsented.tenantId }, {}, failed, e.env));
    expect(err.action).toBe("grant-customer-consent");
    expect(err.exitCode).toBe(1);
    expect(`${err.message} ${err.nextStep}`).toMatch(/customers consent|application consent/i);

    const consent = out();
    const code = await runCustomersCommand("consent", unconsented.tenantId, { json: true }, {}, consent, e.env);
    expect(code).toBe(0);
    expect(JSON.parse(consent.stdout.text)).toMatchObject({ customerId: unconsented.tenantId, ok: true, outcome: "created" });
    const pcPosts = ((await e.control("GET", "/requests")) as { service: string; method: string; path: string; body?: string }[] | { requests: { service: string; method: string; path: string; body?: string }[] });
    const post = (Array.isArray(pcPosts) ? pcPosts : pcPosts.requests).find((r) => r.service === "partner-center" && r.method === "POST");
    expect(post?.path).toBe(`/v1/customers/${unconsented.tenantId}/applicationconsents`);
    const body = JSON.parse(post?.body ?? "{}") as { applicationId: string; applicationGrants: { enterpriseApplicationId: string; scope: string }[] };
    expect(body.applicationId).toBe(e.clientId);
    expect(body.applicationGrants[0]?.enterpriseApplicationId).toBe("00000003-0000-0000-c000-000000000000");

    const after = out();
    await runApiCommand("/v1.0/users", { tenant: unconsented.domain }, {}, after, e.env);
    expect((JSON.parse(after.stdout.text) as { value: unknown[] }).value.length).toBeGreaterThan(0);

    // again: unchanged; --remove offboards, and Graph fails again
    const again = out();
    await runCustomersCommand("consent", unconsented.domain, { json: true }, {}, again, e.env);
    expect(JSON.parse(again.stdout.text)).toMatchObject({ outcome: "unchanged" });
    const removed = out();
    await runCustomersCommand("consent", unconsented.tenantId, { json: true, remove: true }, {}, removed, e.env);
    expect(JSON.parse(removed.stdout.text)).toMatchObject({ outcome: "removed" });
  });

  it("rejects bad flag combinations with usage errors (exit 2)", async () => {
    const err = await failure(runCustomersCommand("consent", undefined, {}, {}, out(), e.env));
    expect(err.exitCode).toBe(2);
    const both = await failure(runCustomersCommand("consent", "x", { all: true }, {}, out(), e.env));
    expect(both.exitCode).toBe(2);
  });
});
