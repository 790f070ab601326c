/**
 * The CLI against the emulator after the partner user's sessions are revoked: cached access
 * tokens are rejected (Partner Center 401, Graph CAE `insufficient_claims`), samkit drops them and
 * redeems once, and the revoked grant surfaces as SAMKIT_REFRESH_TOKEN_REVOKED with exit 4 — for
 * `api` (Graph and Partner Center) and `customers list`. A one-off 401 with a still-valid grant is
 * recovered by the retry (exit 0). `customers show <unknown GUID>` → SAMKIT_PC_CUSTOMER_NOT_FOUND.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorServer } from "../../emulator/index.js";
import { homeWithProfile, runSamkitFromSource, takeTokenRequests, world, type ChildRun, type EmuInfo, type EmuWorld } from "./broker-helpers.js";

let server: EmulatorServer;
let emu: EmuInfo;
let w: EmuWorld;
let home: string;

/** `samkit ...args` against the emulator with the test's home. */
function samkit(args: readonly string[]): Promise<ChildRun> {
  return runSamkitFromSource(args, { SAMKIT_HOME: home, SAMKIT_CLOUD: "emulator", SAMKIT_EMULATOR_URL: emu.url });
}

async function control(path: string, body: unknown): Promise<void> {
  const r = await fetch(`${emu.url}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
}

beforeAll(async () => {
  server = new EmulatorServer({ seedCustomers: 2 });
  emu = await server.start();
  w = await world(emu);
  ({ home } = await homeWithProfile(emu, w));
}, 60_000);

afterAll(async () => {
  await server.stop();
  rmSync(home, { recursive: true, force: true });
});

describe("stale cached tokens after a 401", () => {
  it("customers show <unknown GUID> → SAMKIT_PC_CUSTOMER_NOT_FOUND naming it", { timeout: 60_000 }, async () => {
    const id = "00000000-0000-0000-0000-000000000000";
    const r = await samkit(["customers", "show", id]);
    expect(r.err).toContain("SAMKIT_PC_CUSTOMER_NOT_FOUND");
    expect(r.err).toContain(id);
    expect(r.code).toBe(1);
  });

  it("a one-off Partner Center 401 is recovered: the cached token is replaced and the call retried once", { timeout: 60_000 }, async () => {
    expect((await samkit(["api", "/v1/customers"])).code).toBe(0); // warm cache
    await takeTokenRequests(emu);
    await control("/_emulator/scenarios", { service: "partner-center", status: 401, times: 1 });
    const r = await samkit(["api", "/v1/customers"]);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { items: unknown[] }).items).toHaveLength(2);
    expect(await takeTokenRequests(emu)).toHaveLength(1);
  });

  it("after the user's sessions are revoked: api (Graph CAE, Partner Center) and customers list exit 4 with SAMKIT_REFRESH_TOKEN_REVOKED", { timeout: 120_000 }, async () => {
    const customer = w.customers[0]!.tenantId;
    // Warm the disk cache with tokens issued before the revocation.
    expect((await samkit(["api", "/v1.0/organization", "--tenant", customer])).code).toBe(0);
    expect((await samkit(["api", "/v1/customers"])).code).toBe(0);
    const user = w.users.find((u) => u.mfa)!.username;
    await control("/_emulator/sessions/revoke", { username: user });
    for (const args of [["api", "/v1.0/organization", "--tenant", customer], ["api", "/v1/customers"], ["customers", "list"]]) {
      const r = await samkit(args);
      expect(r.err, args.join(" ")).toContain("SAMKIT_REFRESH_TOKEN_REVOKED");
      expect(r.err).not.toContain("SAMKIT_GRAPH_CLAIMS_CHALLENGE");
      expect(r.err).not.toContain("SAMKIT_PC_ERROR");
      expect(r.err).toContain("samkit consent");
      expect(r.code, args.join(" ")).toBe(4);
    }
  });
});
