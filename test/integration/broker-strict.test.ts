/**
 * CONTRACTS §3 strict policy across processes: 8 processes × 50 forced redemptions against the
 * emulator in strict-rotation mode (replaying a rotated refresh token revokes the family). With
 * the strict policy no token is ever replayed, so nothing is revoked and the stored token still
 * redeems. A lenient control on the same server shows the test can fail.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorServer } from "../../emulator/index.js";
import { TokenBroker } from "../../src/broker/index.js";
import { emulatorCloud } from "../../src/cloud/emulator.js";
import { createHttpClient } from "../../src/http/client.js";
import { EncryptedFileStore } from "../../src/store/file/file-store.js";
import { readProfile } from "../../src/store/profile.js";
import { homeWithProfile, runTsx, takeTokenRequests, world, type ChildRun, type EmuInfo } from "./broker-helpers.js";

const PROCESSES = 8;
const ROUNDS = 50;
const WORKER = join(import.meta.dirname, "broker-strict-worker.ts");

let server: EmulatorServer;
let emu: EmuInfo;
const homes: string[] = [];

function runWorker(home: string): Promise<ChildRun> {
  // Generous bound: 400 serialized lock + redeem + fsync'd store writes on a shared 2-core machine.
  return runTsx(WORKER, [], { SAMKIT_HOME: home, EMU_INFO: JSON.stringify(emu), ROUNDS: String(ROUNDS), NODE_NO_WARNINGS: "1" }, { timeoutMs: 560_000, killSignal: "SIGTERM" });
}

beforeAll(async () => {
  server = new EmulatorServer({ seedCustomers: 4, strictRotation: true });
  emu = await server.start();
});

afterAll(async () => {
  await server.stop();
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

describe("strict rotation across processes (emulator strict mode)", () => {
  it(`${PROCESSES} processes × ${ROUNDS} redemptions: no revocation, every token redeemed once, the stored token still redeems`, { timeout: 600_000 }, async () => {
    const w = await world(emu);
    const { home, store } = await homeWithProfile(emu, w);
    homes.push(home);
    await takeTokenRequests(emu);
    const results = await Promise.all(Array.from({ length: PROCESSES }, () => runWorker(home)));
    for (const r of results) expect({ code: r.code, out: r.out.trim(), err: r.err.slice(0, 500) }).toMatchObject({ code: 0 });
    const reqs = await takeTokenRequests(emu);
    expect(reqs).toHaveLength(PROCESSES * ROUNDS);
    expect(reqs.every((r) => r.status === 200)).toBe(true);
    const redeemed = reqs.map((r) => r.form?.["refresh_token"]);
    expect(new Set(redeemed).size).toBe(PROCESSES * ROUNDS); // no token was presented twice

    const stored = await readProfile(store, "default");
    const fresh = new TokenBroker({ cloud: emulatorCloud(emu), store: new EncryptedFileStore({ home }), http: createHttpClient(), rotation: "strict" });
    await expect(fresh.getToken({ resource: "graph", forceRefresh: true })).resolves.toMatchObject({ tenantId: emu.partnerTenantId });
    expect((await takeTokenRequests(emu)).map((r) => r.form?.["refresh_token"])).toEqual([stored?.refreshToken]);
  });

  it("control: two lenient brokers on one store replay the stored token and the family is revoked", async () => {
    const w = await world(emu);
    const { home } = await homeWithProfile(emu, w);
    homes.push(home);
    const mk = () => new TokenBroker({ cloud: emulatorCloud(emu), store: new EncryptedFileStore({ home }), http: createHttpClient() });
    const a = mk();
    const b = mk();
    await b.identity();
    await a.getToken({ resource: "graph" });
    await expect(b.getToken({ resource: "graph" })).rejects.toMatchObject({ name: "SamkitError" });
    await expect(a.getToken({ resource: "partner-center" })).rejects.toMatchObject({ name: "SamkitError" });
  });
});
