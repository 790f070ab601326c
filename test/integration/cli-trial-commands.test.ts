/**
 * Regression tests for the fresh-user trial of the foreach / customers / api / app commands: each
 * runs the real `bin/samkit` (dist/) against a running emulator with a consented profile and checks
 * the exit code, the catalogue code, the stream a line goes to and what was requested.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, ROOT, runCli, SAMKIT_BIN, type CliResult } from "../helpers/cli.js";
import { consentedEmulator, type ConsentedEmulator } from "./customers-helpers.js";

let e: ConsentedEmulator;

beforeAll(async () => {
  ensureBuilt();
  e = await consentedEmulator({ seedCustomers: 6 });
}, 200_000);
afterAll(async () => {
  await e?.close();
});

const API = ["api", "/v1.0/organization"];

/** Run the real CLI and send it SIGINT after `afterMs`. */
function runCliInterrupted(args: readonly string[], afterMs: number): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SAMKIT_BIN, ...args], {
      cwd: ROOT,
      env: { ...e.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const sigint = setTimeout(() => child.kill("SIGINT"), afterMs);
    const kill = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(sigint);
      clearTimeout(kill);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("foreach --customers with an empty value (defect 1)", () => {
  for (const value of ["", "  ", ","]) {
    it(`--customers ${JSON.stringify(value)} → exit 2 naming the accepted forms, nothing requested`, async () => {
      e.emu.takeRequests();
      const r = await runCli(["foreach", "--customers", value, "--", ...API], { env: e.env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("error SAMKIT_INVALID_INPUT");
      expect(r.stderr).toMatch(/--customers is empty/);
      expect(r.stderr).toMatch(/name tenants .*a file.*`all`/);
      expect(r.stdout).toBe("");
      expect(e.emu.takeRequests()).toHaveLength(0);
    });
  }
});

describe("foreach interrupted while listing customers (defect 2)", () => {
  it("Ctrl-C before any tenant started → a clean interrupted summary, exit 1, no SAMKIT_INTERNAL", async () => {
    await e.control("POST", "/latency", { latencyMs: 4000 });
    try {
      const r = await runCliInterrupted(["foreach", "--jsonl", "--", ...API], 2000);
      expect(r.stderr).not.toContain("SAMKIT_INTERNAL");
      expect(r.stderr).toContain("Interrupted: no tenant was started.");
      expect(r.stderr).toContain("0 tenants finished");
      expect(r.stdout).toBe("");
      expect(r.code).toBe(1);
    } finally {
      await e.control("POST", "/latency", { latencyMs: 0 });
    }
  }, 40_000);
});

describe("foreach when the customer listing fails mid-run (defect 3)", () => {
  let big: ConsentedEmulator;
  beforeAll(async () => {
    // more customers than one Partner Center page (100)
    big = await consentedEmulator({ seedCustomers: 110 });
  }, 120_000);
  afterAll(async () => {
    await big?.close();
  });

  it("prints the records of the first page, then a summary naming the listing failure; exit 3", async () => {
    // the first customers page is answered, every later one fails
    await big.control("POST", "/scenarios", [
      { service: "partner-center", path: "/customers$", times: 1 },
      { service: "partner-center", path: "/customers$", status: 500 },
    ]);
    try {
      const r = await runCli(["foreach", "--jsonl", "--", ...API], { env: big.env, timeoutMs: 60_000 });
      const recs = r.stdout.split("\n").filter((l) => l.trim() !== "");
      expect(recs).toHaveLength(100);
      expect(recs.some((l) => (JSON.parse(l) as { ok: boolean }).ok)).toBe(true);
      expect(r.stderr).toContain("100 tenants finished");
      expect(r.stderr).toMatch(/Stopped early: the customer listing failed: SAMKIT_\w+/);
      expect(r.stderr).toMatch(/next step: /);
      expect(r.stderr).toContain("the remaining customers were not started");
      expect(r.stderr).not.toMatch(/^error SAMKIT_/m);
      expect(r.code).toBe(3);
    } finally {
      await big.control("DELETE", "/scenarios");
    }
  }, 90_000);
});

describe("an unknown command after --json (defect 4)", () => {
  it("`samkit --json frobnicate` names the unknown command, like `samkit frobnicate` (exit 2)", async () => {
    const plain = await runCli(["frobnicate"], { env: e.env });
    expect(plain.stderr).toContain("unknown command 'frobnicate'");
    const r = await runCli(["--json", "frobnicate"], { env: e.env });
    expect(r.code).toBe(2);
    const body = JSON.parse(r.stderr) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("SAMKIT_USAGE");
    expect(body.error.message).toBe("unknown command 'frobnicate'");
    expect(r.stdout).toBe("");
  });
});

describe("tenant values are checked before any request (defect 5)", () => {
  for (const [label, value] of [
    ["an empty id", ""],
    ["`common`", "common"],
    ["a 500-character id", "a".repeat(500)],
  ] as const) {
    it(`customers show with ${label} → SAMKIT_BROKER_TENANT_INVALID, exit 2, nothing requested`, async () => {
      e.emu.takeRequests();
      const r = await runCli(["customers", "show", value], { env: e.env });
      expect(r.stderr).toContain("error SAMKIT_BROKER_TENANT_INVALID");
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(e.emu.takeRequests()).toHaveLength(0);
    });
  }

  it("customers show with a valid domain still works", async () => {
    const c = e.world.customers[0]!;
    const r = await runCli(["customers", "show", c.domain, "--json"], { env: e.env });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ companyProfile: { domain: c.domain } });
  });

  it("api --tenant \"\" fails like token --tenant \"\" (SAMKIT_BROKER_TENANT_INVALID, exit 2)", async () => {
    e.emu.takeRequests();
    const token = await runCli(["token", "--tenant", ""], { env: e.env });
    const api = await runCli(["api", "/v1.0/organization", "--tenant", ""], { env: e.env });
    expect(token.stderr).toContain("error SAMKIT_BROKER_TENANT_INVALID");
    expect(api.stderr).toContain("error SAMKIT_BROKER_TENANT_INVALID");
    expect(api.code).toBe(token.code);
    expect(api.code).toBe(2);
    expect(e.emu.takeRequests()).toHaveLength(0);
  });
});

describe("a damaged store file's next step leads to a working profile (defect 6)", () => {
  for (const [code, bytes] of [
    ["SAMKIT_STORE_FILE_TRUNCATED", "SAMKIT"],
    ["SAMKIT_STORE_FILE_TAMPERED", "not a samkit store file"],
  ] as const) {
    it(`${code}: move it away, then app use / app create, then consent`, async () => {
      const home = mkdtempSync(join(tmpdir(), "samkit-damaged-"));
      try {
        writeFileSync(join(home, "store.enc"), bytes);
        const r = await runCli(["profile", "list"], {
          env: { SAMKIT_HOME: home, SAMKIT_STORE: "file", SAMKIT_STORE_KEY: randomBytes(32).toString("base64") },
        });
        expect(r.stderr).toContain(`error ${code}`);
        const next = /next step: (.*)/.exec(r.stderr)?.[1] ?? "";
        expect(next).toMatch(/move it away, then `samkit app use` \(existing app\) or `samkit app create`, then `samkit consent`/);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });
  }
});

describe("customers consent --all: results on stdout, failures' next steps on stderr (defect 7)", () => {
  it("a failed customer is a result line on stdout; its message and next step go to stderr", async () => {
    const r = await runCli(["customers", "consent", "--all"], { env: e.env, timeoutMs: 60_000 });
    const lines = r.stdout.split("\n").filter((l) => l !== "");
    expect(lines).toHaveLength(e.world.customers.length);
    expect(r.stdout).not.toContain("next step:");
    const failed = lines.filter((l) => / failed /.test(l));
    expect(failed.length).toBeGreaterThan(0);
    for (const l of failed) expect(l).toMatch(/: failed SAMKIT_[A-Z_]+$/);
    expect(r.stderr).toContain("next step:");
    expect(r.code === 1 || r.code === 3).toBe(true);
  }, 90_000);
});

describe("foreach whose reader goes away (`| head -1`, defect 8)", () => {
  it("stdout closed: stops starting tenants, exits with the interrupted code (not 0), quietly", async () => {
    await e.control("POST", "/latency", { latencyMs: 200 });
    try {
      e.emu.takeRequests();
      const r = await new Promise<CliResult>((resolve, reject) => {
        const child = spawn(process.execPath, [SAMKIT_BIN, "foreach", "--concurrency", "1", "--", ...API], {
          cwd: ROOT,
          env: { ...e.env, NO_COLOR: "1" },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        // like `head -1`: read the first line, then close the pipe
        child.stdout.setEncoding("utf8").on("data", (d: string) => {
          stdout += d;
          if (stdout.includes("\n")) child.stdout.destroy();
        });
        child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
        const kill = setTimeout(() => child.kill("SIGKILL"), 30_000);
        child.on("error", reject);
        child.on("close", (code) => {
          clearTimeout(kill);
          resolve({ code, stdout, stderr });
        });
      });
      expect(r.stdout.split("\n")[0]).toMatch(/^(ok|FAILED)\t/);
      expect(r.code === 1 || r.code === 3, `exit ${r.code}: ${r.stderr}`).toBe(true);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr.trim().split("\n").length).toBeLessThanOrEqual(1);
      const graphCalls = e.emu.takeRequests("graph").length;
      expect(graphCalls).toBeLessThan(e.world.customers.length);
    } finally {
      await e.control("POST", "/latency", { latencyMs: 0 });
    }
  }, 60_000);
});
