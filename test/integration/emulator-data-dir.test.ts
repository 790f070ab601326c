/**
 * `samkit-emulator start --data-dir DIR` (emulator/main.ts → EmulatorServer `dataDir` →
 * the Key Vault app): a secret written to the emulated vault survives an emulator restart with
 * the same data folder, and does not without one.
 */
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../emulator/main.js";

interface Running {
  readonly cloud: { url: string; keyVaultUrl: string; partnerTenantId: string };
  stop(): Promise<number>;
}

/** Start the emulator through its CLI entry (in process) and wait for the ready line. */
async function startCli(args: string[]): Promise<Running> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let err = "";
  stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
  const abort = new AbortController();
  const exit = main(["start", "--port", "0", "--seed-customers", "1", ...args], { stdout, stderr, signal: abort.signal });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = "";
    stdout.setEncoding("utf8").on("data", (d: string) => {
      buf += d;
      const i = buf.indexOf("\n");
      if (i >= 0) resolve(buf.slice(0, i));
    });
    void exit.then((code) => reject(new Error(`emulator exited ${code}: ${err}`)));
  });
  return {
    cloud: JSON.parse(line) as Running["cloud"],
    stop: async () => {
      abort.abort();
      return exit;
    },
  };
}

async function vaultToken(cloud: Running["cloud"]): Promise<string> {
  const world = (await (await fetch(`${cloud.url}/_emulator/world`)).json()) as { samApp: { clientId: string; clientSecret: string } };
  const r = await fetch(`${cloud.url}/${cloud.partnerTenantId}/oauth2/v2.0/token`, {
    method: "POST",
    body: new URLSearchParams({
      grant_type: "client_credentials",
      client_id: world.samApp.clientId,
      client_secret: world.samApp.clientSecret,
      scope: "https://vault.azure.net/.default",
    }),
  });
  expect(r.status).toBe(200);
  return String(((await r.json()) as { access_token: string }).access_token);
}

async function putSecret(cloud: Running["cloud"], name: string, value: string): Promise<void> {
  const r = await fetch(`${cloud.keyVaultUrl}/secrets/${name}?api-version=7.4`, {
    method: "PUT",
    headers: { authorization: `Bearer ${await vaultToken(cloud)}`, "content-type": "application/json" },
    body: JSON.stringify({ value }),
  });
  expect(r.status).toBe(200);
}

async function getSecret(cloud: Running["cloud"], name: string): Promise<{ status: number; value?: string }> {
  const r = await fetch(`${cloud.keyVaultUrl}/secrets/${name}?api-version=7.4`, { headers: { authorization: `Bearer ${await vaultToken(cloud)}` } });
  const body = (await r.json()) as { value?: string };
  return { status: r.status, ...(body.value !== undefined ? { value: body.value } : {}) };
}

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe("samkit-emulator start --data-dir", () => {
  it("keeps a Key Vault secret across a restart with the same data folder", async () => {
    const dir = join(await mkdtemp(join(tmpdir(), "samkit-emu-data-")), "data");
    dirs.push(join(dir, ".."));
    const first = await startCli(["--data-dir", dir]);
    try {
      await putSecret(first.cloud, "survivor", "kept-value");
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect((await stat(join(dir, "keyvault.json"))).mode & 0o777).toBe(0o600);

    const second = await startCli(["--data-dir", dir]);
    try {
      expect(await getSecret(second.cloud, "survivor")).toEqual({ status: 200, value: "kept-value" });
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, 60_000);

  it("docs/emulator.md's Key Vault section documents --data-dir as available, not as future work", async () => {
    const doc = await readFile(new URL("../../docs/emulator.md", import.meta.url), "utf8");
    const start = doc.indexOf("## Key Vault");
    const section = doc.slice(start, doc.indexOf("\n## ", start + 1));
    expect(start).toBeGreaterThan(-1);
    expect(section).toContain("samkit-emulator start --data-dir DIR");
    expect(section).toContain("keyvault.json");
    expect(section).not.toMatch(/once wired|not yet wired|will be wired/i);
  });

  it("without --data-dir the vault starts empty after a restart", async () => {
    const first = await startCli([]);
    try {
      await putSecret(first.cloud, "ephemeral", "gone");
    } finally {
      await first.stop();
    }
    const second = await startCli([]);
    try {
      expect((await getSecret(second.cloud, "ephemeral")).status).toBe(404);
    } finally {
      await second.stop();
    }
  }, 60_000);
});
