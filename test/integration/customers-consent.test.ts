/**
 * `samkit customers consent` against the emulator: `--all` with a partial failure (exit 3),
 * default grants read from the app's requiredResourceAccess through Graph, `--grants FILE` with
 * `--replace`, and what Partner Center received.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCustomersCommand } from "../../src/cli/commands/customers/command.js";
import { isSamkitError, type SamkitError } from "../../src/errors/index.js";
import { consentedEmulator, Sink, type ConsentedEmulator } from "./customers-helpers.js";

let e: ConsentedEmulator;
let dir: string;

beforeAll(async () => {
  e = await consentedEmulator({ seedCustomers: 8 });
  dir = await mkdtemp(join(tmpdir(), "samkit-grants-"));
}, 60_000);
afterAll(async () => {
  await e?.close();
  await rm(dir, { recursive: true, force: true });
});

function out() {
  return { stdout: new Sink(), stderr: new Sink(), isTty: false };
}

interface Logged {
  method: string;
  path: string;
  body?: string;
  status?: number;
}

async function pcRequests(): Promise<Logged[]> {
  return (await e.control("GET", "/requests?service=partner-center")) as Logged[];
}

describe("customers consent", () => {
  it("--all consents every customer, reports each, and exits 3 when some failed", async () => {
    await e.control("DELETE", "/requests");
    const o = out();
    const code = await runCustomersCommand("consent", undefined, { all: true, json: true }, {}, o, e.env);
    const records = o.stdout.text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { customerId: string; ok: boolean; outcome?: string; error?: { code: string; action: string } });
    expect(records.map((r) => r.customerId)).toEqual(e.world.customers.map((c) => c.tenantId));
    const byState = new Map(e.world.customers.map((c, i) => [c.state, records[i]!]));
    expect(byState.get("no-consent")).toMatchObject({ ok: true, outcome: "created" });
    expect(byState.get("healthy")).toMatchObject({ ok: true, outcome: "unchanged" });
    expect(byState.get("no-relationship")).toMatchObject({ ok: false, error: { code: "SAMKIT_PC_NO_RELATIONSHIP", action: "none" } });
    expect(code).toBe(3);
    // default grants came from Graph (the app's requiredResourceAccess), not the fallback
    expect(o.stderr.text).not.toMatch(/default grants/);
    const posts = (await pcRequests()).filter((r) => r.method === "POST" && r.path.endsWith("/applicationconsents"));
    const created = posts.find((p) => p.status === 201 || p.status === 200);
    expect(JSON.parse(created?.body ?? "{}")).toEqual({
      applicationId: e.clientId,
      applicationGrants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scope: "Directory.Read.All,User.Read" }],
    });
  });

  it("--grants FILE --replace deletes and re-creates the consent with the file's grants", async () => {
    const healthy = e.world.customers.find((c) => c.state === "healthy")!;
    const file = join(dir, "grants.json");
    await writeFile(file, JSON.stringify([{ enterpriseApplicationId: "00000003-0000-0000-C000-000000000000", scope: "User.Read" }]));
    await e.control("DELETE", "/requests");
    const o = out();
    expect(await runCustomersCommand("consent", healthy.domain, { grants: file, replace: true, json: true }, {}, o, e.env)).toBe(0);
    expect(JSON.parse(o.stdout.text)).toMatchObject({ customerId: healthy.tenantId, ok: true, outcome: "replaced" });
    const log = (await pcRequests()).filter((r) => r.path.includes("/applicationconsents"));
    expect(log.map((r) => r.method)).toEqual(["GET", "DELETE", "POST"]);
    expect(JSON.parse(log[2]?.body ?? "{}")).toMatchObject({ applicationGrants: [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scope: "User.Read" }] });
  });

  it("an invalid grants file is a usage error (exit 2) before anything is sent", async () => {
    const file = join(dir, "bad.json");
    await writeFile(file, JSON.stringify([{ scope: "User.Read" }]));
    await e.control("DELETE", "/requests");
    const err: unknown = await runCustomersCommand("consent", e.world.customers[0]!.tenantId, { grants: file }, {}, out(), e.env).catch((x: unknown) => x);
    expect(isSamkitError(err)).toBe(true);
    expect((err as SamkitError).code).toBe("SAMKIT_CONSENT_GRANTS_INVALID");
    expect((err as SamkitError).exitCode).toBe(2);
    expect((await pcRequests()).filter((r) => r.method !== "GET")).toEqual([]);
  });
});
