/**
 * The profile's recorded cloud decides where its secrets go (the real CLI against the emulator):
 * with no cloud named, the cloud recorded in the profile (and the emulator URL kept with it) is
 * used; a named cloud that differs is refused (SAMKIT_PROFILE_CLOUD_MISMATCH, exit 2) before any
 * request. An HTTPS proxy that records CONNECTs stands in for the real Microsoft authorities.
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorServer } from "../../emulator/index.js";
import { EncryptedFileStore } from "../../src/store/file/file-store.js";
import { writeProfile } from "../../src/store/profile.js";
import { homeWithProfile, runSamkitFromSource, takeTokenRequests, world, type EmuInfo, type EmuWorld } from "./broker-helpers.js";

let server: EmulatorServer;
let emu: EmuInfo;
let w: EmuWorld;
let emulatorHome: string;
const homes: string[] = [];
let proxy: Server;
let proxyUrl: string;
/** Hosts the CLI tried to reach through the proxy (any non-local authority). */
const connects: string[] = [];

beforeAll(async () => {
  server = new EmulatorServer({ seedCustomers: 2 });
  emu = await server.start();
  w = await world(emu);
  ({ home: emulatorHome } = await homeWithProfile(emu, w));
  homes.push(emulatorHome);
  proxy = createServer((_req, res) => res.writeHead(502).end());
  proxy.on("connect", (req, socket) => {
    connects.push(req.url ?? "");
    socket.end("HTTP/1.1 502 Bad Gateway\r\n\r\n");
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  const a = proxy.address();
  proxyUrl = `http://127.0.0.1:${typeof a === "object" && a !== null ? a.port : 0}`;
});

afterAll(async () => {
  await server.stop();
  await new Promise<void>((r) => proxy.close(() => r()));
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

/** `samkit ...args` with every non-local request sent to the recording proxy; no cloud named unless `env` names one. */
function samkit(args: readonly string[], env: Record<string, string | undefined>) {
  return runSamkitFromSource(args, {
    SAMKIT_CLOUD: undefined,
    SAMKIT_EMULATOR_URL: undefined,
    HTTPS_PROXY: proxyUrl,
    HTTP_PROXY: proxyUrl,
    https_proxy: undefined,
    http_proxy: undefined,
    NO_PROXY: "127.0.0.1,localhost",
    no_proxy: undefined,
    ...env,
  });
}

function copyHome(from: string): string {
  const h = mkdtempSync(join(tmpdir(), "samkit-home-"));
  cpSync(from, h, { recursive: true });
  homes.push(h);
  return h;
}

describe("the profile's recorded cloud", () => {
  it("no cloud named: an emulator profile's secrets go to the emulator, never to login.microsoftonline.com", { timeout: 120_000 }, async () => {
    const home = copyHome(emulatorHome);
    await takeTokenRequests(emu);
    connects.length = 0;
    // First run: nothing kept with the profile yet; the emulator URL comes from the environment.
    const first = await samkit(["token", "--resource", "graph"], { SAMKIT_HOME: home, SAMKIT_EMULATOR_URL: emu.url });
    expect(first.err).toBe("");
    expect(first.code).toBe(0);
    expect(await takeTokenRequests(emu)).toHaveLength(1);
    // The reported case: SAMKIT_CLOUD and SAMKIT_EMULATOR_URL unset, the kept emulator URL is used.
    const second = await samkit(["token"], { SAMKIT_HOME: home });
    expect(second.err).toBe("");
    expect(second.code).toBe(0);
    expect(await takeTokenRequests(emu)).toHaveLength(1);
    const status = await samkit(["status", "--json", "--no-graph"], { SAMKIT_HOME: home });
    expect((JSON.parse(status.out) as { cloud: string }).cloud).toBe("emulator");
    expect(connects).toEqual([]);
  });

  it("a named cloud other than the profile's is refused before any request (exit 2)", { timeout: 120_000 }, async () => {
    const home = copyHome(emulatorHome);
    await takeTokenRequests(emu);
    connects.length = 0;
    for (const env of [{ SAMKIT_CLOUD: "global" }, { SAMKIT_CLOUD: "global", SAMKIT_EMULATOR_URL: emu.url }]) {
      for (const args of [["token", "--resource", "graph"], ["token", "--resource", "graph", "--app-only"]]) {
        const r = await samkit(args, { SAMKIT_HOME: home, ...env });
        expect(r.code, args.join(" ")).toBe(2);
        expect(r.err).toContain("error SAMKIT_PROFILE_CLOUD_MISMATCH:");
        expect(r.err).toMatch(/next step: .*--cloud emulator/);
      }
    }
    const flag = await samkit(["token", "--resource", "graph", "--cloud", "global"], { SAMKIT_HOME: home });
    expect(flag.code).toBe(2);
    expect(connects).toEqual([]);
    expect(await takeTokenRequests(emu)).toEqual([]);
  });

  it("a real-cloud profile never sends its secrets to a stray emulator URL", { timeout: 120_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), "samkit-home-"));
    homes.push(home);
    await writeProfile(new EncryptedFileStore({ home }), {
      profile: "default",
      cloud: "global",
      tenantId: emu.partnerTenantId,
      clientId: w.samApp.clientId,
      clientSecret: w.samApp.clientSecret,
      refreshToken: "real-cloud-refresh-token",
      metadata: { refreshTokenRotatedAt: new Date().toISOString() },
    });
    await takeTokenRequests(emu);
    const named = await samkit(["token", "--resource", "graph"], { SAMKIT_HOME: home, SAMKIT_CLOUD: "emulator", SAMKIT_EMULATOR_URL: emu.url });
    expect(named.code).toBe(2);
    expect(named.err).toContain("error SAMKIT_PROFILE_CLOUD_MISMATCH:");
    // Not named, a stray SAMKIT_EMULATOR_URL: the global cloud is used (the proxy refuses it).
    connects.length = 0;
    const stray = await samkit(["token", "--resource", "graph"], { SAMKIT_HOME: home, SAMKIT_EMULATOR_URL: emu.url });
    expect(stray.code).not.toBe(0);
    expect(connects.every((c) => c.startsWith("login.microsoftonline.com:"))).toBe(true);
    expect(await takeTokenRequests(emu)).toEqual([]);
  });
});
