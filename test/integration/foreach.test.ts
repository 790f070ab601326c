/**
 * `samkit foreach` against a real EmulatorServer over HTTP, through the real CLI context (settings,
 * encrypted file store, token broker, HTTP seam): exit codes 0/3/1, JSONL records, the allow-list
 * checked before any token request (emulator request log), and Ctrl-C in a real child process.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { runForeachCommand } from "../../src/cli/commands/foreach/command.js";
import type { FanoutRecord } from "../../src/fanout/types.js";
import { consentedEmulator, Sink, type ConsentedEmulator } from "./customers-helpers.js";

let e: ConsentedEmulator;
let dir: string;
let healthy: string[];
let broken: string[];

beforeAll(async () => {
  e = await consentedEmulator({ seedCustomers: 25 });
  dir = await mkdtemp(join(tmpdir(), "samkit-foreach-"));
  healthy = e.world.customers.filter((c) => c.state === "healthy").map((c) => c.tenantId);
  broken = e.world.customers
    .filter((c) => c.state === "no-consent" || c.state === "conditional-access")
    .map((c) => c.tenantId);
  expect(healthy.length).toBeGreaterThanOrEqual(3);
  expect(broken.length).toBeGreaterThanOrEqual(2);
}, 60_000);
afterAll(async () => {
  await e?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = undefined;
});

/** A Sink that says it is a terminal. */
class TtySink extends Sink {
  readonly isTTY = true;
}

function io() {
  return { stdout: new Sink(), stderr: new Sink() };
}

function records(text: string): FanoutRecord<unknown>[] {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as FanoutRecord<unknown>);
}

// A call every emulated tenant with a token can answer.
const API = ["api", "/v1.0/organization"];

describe("samkit foreach exit codes (CONTRACTS §5)", () => {
  it("exits 0 when every tenant succeeds, with one JSONL record per tenant", async () => {
    const o = io();
    await runForeachCommand(
      API,
      { customers: healthy.join(","), jsonl: true, concurrency: "4" },
      {},
      e.env,
      o,
    );
    expect(process.exitCode).toBe(0);
    const recs = records(o.stdout.text);
    expect(recs.map((r) => r.tenantId).sort()).toEqual([...healthy].sort());
    for (const r of recs) {
      expect(r).toMatchObject({ ok: true, status: 200 });
      expect(Object.keys(r).sort()).toEqual(["customer", "data", "ok", "status", "tenantId"]);
    }
    expect(o.stderr.text).toContain(`${healthy.length} tenants finished`);
  });

  it("exits 3 over every customer (some broken), and the broken ones carry their next step", async () => {
    const o = { stdout: new TtySink(), stderr: new Sink() };
    await runForeachCommand(API, { concurrency: "8" }, {}, e.env, o);
    expect(process.exitCode).toBe(3);
    const text = o.stdout.text;
    expect(text).toMatch(/^RESULT\s+STATUS\s+TENANT\s+CUSTOMER\s+DETAIL/m);
    for (const t of healthy) expect(text).toMatch(new RegExp(`^ok\\s+200\\s+${t}`, "m"));
    for (const t of broken) expect(text).toMatch(new RegExp(`^FAILED .*${t}`, "m"));
    expect(text).toContain(`${e.world.customers.length} tenants finished`);
    expect(text).toContain("next step:");
  });

  it("piped (stdout not a TTY): tab-separated rows only on stdout, summary and next steps on stderr", async () => {
    const o = io();
    await runForeachCommand(API, { concurrency: "8" }, {}, e.env, o);
    expect(process.exitCode).toBe(3);
    const lines = o.stdout.text.split("\n").filter((l) => l !== "");
    expect(lines).toHaveLength(e.world.customers.length);
    for (const l of lines) expect(l.split("\t")).toHaveLength(5);
    for (const t of healthy)
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^ok\t200\t${t}\t`)));
    for (const t of broken)
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^FAILED\t[^\t]*\t${t}\t`)));
    expect(o.stdout.text).not.toMatch(/RESULT|tenants finished|next step/);
    expect(o.stderr.text).toContain(`${e.world.customers.length} tenants finished`);
    expect(o.stderr.text).toContain("next step:");
  });

  it("exits 1 when no tenant succeeds; JSONL errors have {code, action, message}", async () => {
    const o = io();
    await runForeachCommand(API, { customers: broken.join(","), jsonl: true }, {}, e.env, o);
    expect(process.exitCode).toBe(1);
    const recs = records(o.stdout.text);
    expect(recs).toHaveLength(broken.length);
    for (const r of recs) {
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toMatch(/^SAMKIT_/);
        expect(typeof r.error.action).toBe("string");
        expect(r.error.message.length).toBeGreaterThan(0);
        expect(r.error.nextStep.length).toBeGreaterThan(0);
      }
    }
  });

  it("refuses bad input before any request (exit 2)", async () => {
    e.emu.takeRequests();
    await expect(
      runForeachCommand(API, { customers: "not a tenant" }, {}, e.env, io()),
    ).rejects.toMatchObject({ code: "SAMKIT_INVALID_INPUT", exitCode: 2 });
    await expect(
      runForeachCommand(["api", "/v1.0/users", "--tenant", healthy[0]!], {}, {}, e.env, io()),
    ).rejects.toMatchObject({ code: "SAMKIT_USAGE" });
    await expect(runForeachCommand([], {}, {}, e.env, io())).rejects.toMatchObject({
      code: "SAMKIT_FOREACH_NO_COMMAND",
    });
    expect(e.emu.takeRequests()).toHaveLength(0);
  });
});

describe("tenant allow-list and exclude-list", () => {
  it("requests no token for a tenant outside the allow-list (emulator request log)", async () => {
    const allowed = healthy.slice(0, 2);
    const excluded = healthy[1]!;
    const allowFile = join(dir, "allow.txt");
    const excludeFile = join(dir, "exclude.txt");
    await writeFile(allowFile, `# allowed tenants\n${allowed.join("\n")}\n${broken[0]}\n`);
    await writeFile(excludeFile, `${excluded}\n${broken[0]}\n`);
    // an empty token cache, so every token this run needs is requested from the emulator
    await rm(join(e.env["SAMKIT_HOME"]!, "cache"), { recursive: true, force: true });
    e.emu.takeRequests();
    const o = io();
    await runForeachCommand(
      API,
      { allowTenants: allowFile, excludeTenants: excludeFile, jsonl: true },
      {},
      e.env,
      o,
    );
    expect(process.exitCode).toBe(0);
    expect(records(o.stdout.text).map((r) => r.tenantId)).toEqual([allowed[0]]);
    expect(o.stderr.text).toMatch(/skipped by the tenant lists/);

    const tokenTenants = new Set(
      e.emu
        .takeRequests("identity")
        .filter((r) => r.path.endsWith("/oauth2/v2.0/token"))
        .map((r) => r.path.split("/")[1]!.toLowerCase()),
    );
    // the partner tenant (customer listing) and the one allowed, not excluded, customer — nothing else
    expect([...tokenTenants].filter((t) => t !== e.partnerTenantId.toLowerCase())).toEqual([allowed[0]]);
    const graphTenants = e.emu.takeRequests("graph").length;
    expect(graphTenants).toBe(1);
  });
});

describe("Ctrl-C", () => {
  it("SIGINT stops scheduling, lets running tenants finish, prints what finished", async () => {
    const child = fileURLToPath(new URL("./foreach-cli.child.ts", import.meta.url));
    // slow every request so the run is still going when we interrupt it
    await e.control("POST", "/latency", { latencyMs: 300 });
    try {
      const proc = spawn(
        process.execPath,
        ["--import", "tsx", child, "foreach", "--jsonl", "--concurrency", "2", "--", ...API],
        {
          env: { ...e.env, SAMKIT_LOG_LEVEL: "silent" },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stdout = "";
      let stderr = "";
      let signalled = false;
      proc.stdout.on("data", (b: Buffer) => {
        stdout += b.toString();
        if (!signalled && stdout.includes("\n")) {
          signalled = true;
          proc.kill("SIGINT");
        }
      });
      proc.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
      const code = await new Promise<number | null>((resolve) => proc.on("exit", (c) => resolve(c)));
      expect(signalled).toBe(true);
      const recs = records(stdout);
      expect(recs.length).toBeGreaterThanOrEqual(1);
      expect(recs.length).toBeLessThan(e.world.customers.length);
      expect(stderr).toContain("Stopping: no new tenants will start");
      expect(stderr).toContain("Interrupted");
      expect(stderr).toMatch(new RegExp(`${recs.length} tenants? finished`));
      expect(code === 1 || code === 3).toBe(true);
      expect(code).toBe(recs.some((r) => r.ok) ? 3 : 1);
    } finally {
      await e.control("POST", "/latency", { latencyMs: 0 });
    }
  }, 60_000);
});
