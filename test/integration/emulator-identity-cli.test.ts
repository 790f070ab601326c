/**
 * `samkit-emulator start` (in-process `main()`): the ready JSON line, --config scenarios, clean
 * stop, usage errors; and the HTTPS listeners with the printed CA certificate.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { Agent, fetch as undiciFetch } from "undici";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../emulator/main.js";
import { EmulatorServer } from "../../emulator/server.js";

const dir = mkdtempSync(join(tmpdir(), "samkit-emu-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(): { stream: PassThrough; text: () => string; firstLine: Promise<string> } {
  const stream = new PassThrough();
  let buf = "";
  let resolveLine: (s: string) => void = () => {};
  const firstLine = new Promise<string>((r) => (resolveLine = r));
  stream.on("data", (d: Buffer) => {
    buf += d.toString();
    const i = buf.indexOf("\n");
    if (i >= 0) resolveLine(buf.slice(0, i));
  });
  return { stream, text: () => buf, firstLine };
}

describe("samkit-emulator start", () => {
  it("prints the cloud JSON line, applies --config scenarios and stops cleanly", async () => {
    const config = join(dir, "scenario.json");
    writeFileSync(config, JSON.stringify({ seedCustomers: 3, scenarios: [{ service: "graph", status: 503, retryAfter: 2 }] }));
    const out = capture();
    const err = capture();
    const ac = new AbortController();
    const done = main(["start", "--port", "0", "--config", config, "--latency-ms", "0"], { stdout: out.stream, stderr: err.stream, signal: ac.signal });
    const cloud = JSON.parse(await out.firstLine) as Record<string, unknown>;
    expect(Object.keys(cloud).sort()).toEqual(["armUrl", "authorityHost", "caCertPath", "graphUrl", "keyVaultUrl", "partnerCenterUrl", "partnerTenantId", "url"].sort());
    expect(cloud.url).toBe(cloud.authorityHost);
    expect(cloud.caCertPath).toBeNull();
    expect(await (await fetch(`${String(cloud.url)}/_emulator/cloud`)).json()).toEqual(cloud);
    const world = (await (await fetch(`${String(cloud.url)}/_emulator/world`)).json()) as { customers: unknown[] };
    expect(world.customers).toHaveLength(3);
    const g = await fetch(`${String(cloud.graphUrl)}/v1.0/me`);
    expect(g.status).toBe(503);
    expect(g.headers.get("retry-after")).toBe("2");
    ac.abort();
    expect(await done).toBe(0);
    expect(err.text()).toContain("stopped");
    await expect(fetch(`${String(cloud.url)}/_emulator/cloud`)).rejects.toThrow();
  });

  it("exits 2 with a clear message on bad flags or an unreadable config", async () => {
    const err = capture();
    expect(await main(["start", "--port", "abc"], { stdout: new PassThrough(), stderr: err.stream })).toBe(2);
    expect(err.text()).toContain("--port must be an integer");
    const err2 = capture();
    expect(await main(["start", "--config", join(dir, "missing.json")], { stdout: new PassThrough(), stderr: err2.stream })).toBe(2);
    expect(err2.text()).toContain("Cannot read config file");
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "{ not json");
    const err3 = capture();
    expect(await main(["start", "--config", bad], { stdout: new PassThrough(), stderr: err3.stream })).toBe(2);
    expect(err3.text()).toContain("not valid JSON");
  });

  it("exits 1 when the port range is taken", async () => {
    const first = new EmulatorServer({ seedCustomers: 0 });
    const cloud = await first.start();
    try {
      const port = Number(new URL(cloud.url).port);
      const err = capture();
      expect(await main(["start", "--port", String(port), "--seed-customers", "0"], { stdout: new PassThrough(), stderr: err.stream })).toBe(1);
      expect(err.text()).toContain("already in use");
    } finally {
      await first.stop();
    }
  });
});

describe("EmulatorServer with TLS", () => {
  it("serves every listener over HTTPS with the printed CA certificate", async () => {
    const emu = new EmulatorServer({ seedCustomers: 1, tls: true });
    const cloud = await emu.start();
    try {
      expect(cloud.url).toMatch(/^https:\/\/localhost:\d+$/);
      expect(cloud.caCertPath).toBeTruthy();
      const ca = readFileSync(cloud.caCertPath!, "utf8");
      const dispatcher = new Agent({ connect: { ca } });
      const r = await undiciFetch(`${cloud.url}/${cloud.partnerTenantId}/v2.0/.well-known/openid-configuration`, { dispatcher });
      expect(((await r.json()) as { issuer: string }).issuer).toBe(`${cloud.url}/${cloud.partnerTenantId}/v2.0`);
      await expect(undiciFetch(`${cloud.url}/_emulator/cloud`)).rejects.toThrow();
      await dispatcher.close();
    } finally {
      await emu.stop();
    }
  });
});
