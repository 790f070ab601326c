/**
 * Regression tests for the defects of the new-user trial in the CLI core (src/cli/main.ts,
 * src/cli/context.ts, src/config, src/errors): each runs the real `bin/samkit` in a clean
 * SAMKIT_HOME and checks the exit code, the catalogue code and that nothing is written where it
 * must not be.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EmulatorServer } from "../../emulator/server.js";
import { ensureBuilt, runCli } from "../helpers/cli.js";

let root: string;
let home: string;
const env = (): Record<string, string | undefined> => ({
  SAMKIT_HOME: home,
  SAMKIT_PROFILE: undefined,
  SAMKIT_CLOUD: undefined,
  SAMKIT_STORE: undefined,
  SAMKIT_EMULATOR_URL: undefined,
  SAMKIT_LOG_LEVEL: undefined,
  SAMKIT_STORE_KEY: undefined,
});

/** Every file and folder under `dir`, relative. */
function tree(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? [`${prefix}${d.name}/`, ...tree(join(dir, d.name), `${prefix}${d.name}/`)] : [`${prefix}${d.name}`],
  );
}

beforeAll(() => ensureBuilt(), 200_000);
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "samkit-trial-"));
  home = join(root, "home");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("program-level options before the command (defect 1)", () => {
  it("`samkit --log-level warn status` runs status (not an empty exit 0)", async () => {
    const r = await runCli(["--log-level", "warn", "status"], { env: env() });
    expect(r.stdout + r.stderr).toContain("SAMKIT_STATUS_NOT_CONFIGURED");
    expect(r.code).toBe(4);
  });

  it("`samkit --log-level debug token --resource graph` parses token's options", async () => {
    const r = await runCli(["--log-level", "debug", "token", "--resource", "graph"], { env: env() });
    expect(r.stderr).not.toContain("unknown option");
    expect(r.stderr).toContain("SAMKIT_STATUS_NOT_CONFIGURED");
    expect(r.code).toBe(4);
  });

  it("an unknown command after --log-level is a usage error (exit 2)", async () => {
    const r = await runCli(["--log-level", "warn", "bogus"], { env: env() });
    expect(r.stderr).toContain("error SAMKIT_USAGE: unknown command 'bogus'");
    expect(r.code).toBe(2);
  });
});

describe("profile names are checked before any file access (defect 2)", () => {
  it("an invalid SAMKIT_PROFILE with the emulator cloud reads and writes no cache folder", async () => {
    const r = await runCli(["token", "--cloud", "emulator"], { env: { ...env(), SAMKIT_PROFILE: "../../escaped" } });
    expect(r.stderr).toContain("SAMKIT_STORE_INVALID_PROFILE_NAME");
    expect(r.code).toBe(2);
    expect(tree(root).filter((p) => !p.startsWith("home/") && p !== "home/")).toEqual([]);
  });

  describe("with the emulator cloud (the emulator's cloud definition used to be kept at once)", () => {
    let emu: EmulatorServer;
    let url: string;
    beforeAll(async () => {
      emu = new EmulatorServer({ seedCustomers: 1 });
      url = (await emu.start()).url;
    }, 30_000);
    afterAll(async () => {
      await emu.stop();
    });

    for (const args of [
      ["status", "--profile", "../../escaped"],
      ["token", "--profile", "../../escaped"],
      ["app", "use", "--profile", "../../escaped", "--client-id", "00000000-0000-0000-0000-000000000001", "--tenant", "contoso.onmicrosoft.com", "--client-secret-stdin"],
    ]) {
      it(`${args.filter((a) => !a.startsWith("-")).slice(0, args[0] === "app" ? 2 : 1).join(" ")} --profile ../../escaped → exit 2, nothing written outside SAMKIT_HOME`, async () => {
        const r = await runCli([...args, "--cloud", "emulator", "--emulator-url", url], { env: env(), stdin: "secret-value\n" });
        expect(r.stderr).toContain("SAMKIT_STORE_INVALID_PROFILE_NAME");
        expect(r.code).toBe(2);
        expect(tree(root).filter((p) => !p.startsWith("home/") && p !== "home/")).toEqual([]);
        expect(tree(home).filter((p) => p.includes("escaped") || p.startsWith("cache/"))).toEqual([]);
      });
    }

    it("a profile the store does not hold gets no cache/<name> folder", async () => {
      const r = await runCli(["token", "--cloud", "emulator", "--emulator-url", url, "--profile", "nothere"], { env: env() });
      expect(r.stderr).toContain("SAMKIT_STATUS_NOT_CONFIGURED");
      expect(r.code).toBe(4);
      expect(existsSync(join(home, "cache", "nothere"))).toBe(false);
    });
  });

  it("a valid but unknown profile leaves no cache/<name> folder behind", async () => {
    for (const args of [["token", "--profile", "nothere"], ["customers", "list", "--profile", "nothere"], ["status", "--profile", "nothere"]]) {
      const r = await runCli(args, { env: env() });
      expect(r.code, args.join(" ")).toBe(4);
    }
    expect(existsSync(join(home, "cache", "nothere"))).toBe(false);
  });
});

describe("first run on an empty home (defect 3)", () => {
  for (const args of [["token"], ["customers", "list"]]) {
    it(`samkit ${args.join(" ")} → exit 4 with the app create / consent next step`, async () => {
      const r = await runCli(args, { env: env() });
      expect(r.stderr).toContain("error SAMKIT_STATUS_NOT_CONFIGURED:");
      expect(r.stderr).toContain("next step: Run `samkit app create` (or `samkit app use`) and then `samkit consent`.");
      expect(r.stderr).not.toContain("samkit profile list");
      expect(r.code).toBe(4);
    });
  }

  it("--json carries action reconsent", async () => {
    const r = await runCli(["token", "--json"], { env: env() });
    expect(JSON.parse(r.stderr)).toMatchObject({ error: { code: "SAMKIT_STATUS_NOT_CONFIGURED", action: "reconsent" } });
    expect(r.code).toBe(4);
  });
});

describe("usage errors name SAMKIT_USAGE and a next step in text mode (defect 4)", () => {
  const cases: [string[], RegExp, string][] = [
    [["bogus"], /unknown command 'bogus'/, "samkit help"],
    [["token", "--bogus-flag"], /unknown option '--bogus-flag'/, "samkit help token"],
    [["token", "--resource"], /--resource .*argument missing/, "samkit help token"],
    [["api"], /missing required argument 'path'/, "samkit help api"],
    [["store", "migrate"], /--to .*not specified/, "samkit help store migrate"],
    [["help", "bogus"], /unknown command 'bogus'/, "samkit help"],
  ];
  for (const [args, detail, help] of cases) {
    it(`samkit ${args.join(" ")} → error SAMKIT_USAGE + next step, exit 2`, async () => {
      const r = await runCli(args, { env: env() });
      expect(r.stderr).toMatch(/^error SAMKIT_USAGE: /);
      expect(r.stderr).toMatch(detail);
      expect(r.stderr).toContain(`next step: Run \`${help}\` to see the commands and their options.`);
      expect(r.stdout).toBe("");
      expect(r.code).toBe(2);
    });
  }

  it("`samkit help token` shows token's own options", async () => {
    const r = await runCli(["help", "token"], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--resource");
  });
});

describe("configuration input (defects 5, 6, 8)", () => {
  it("SAMKIT_HOME pointing at a file → SAMKIT_HOME_NOT_A_FOLDER, exit 2", async () => {
    const file = join(root, "a-file");
    writeFileSync(file, "x");
    const r = await runCli(["status"], { env: { ...env(), SAMKIT_HOME: file } });
    expect(r.stderr).toContain("error SAMKIT_HOME_NOT_A_FOLDER:");
    expect(r.stderr).toContain("next step: Set SAMKIT_HOME to a folder");
    expect(r.stderr).not.toContain("ENOTDIR");
    expect(r.code).toBe(2);
  });

  it("--cloud germany and --cloud mars both exit 2", async () => {
    const germany = await runCli(["status", "--cloud", "germany"], { env: env() });
    expect(germany.stderr).toContain("SAMKIT_CLOUD_RETIRED");
    expect(germany.code).toBe(2);
    const mars = await runCli(["status", "--cloud", "mars"], { env: env() });
    expect(mars.stderr).toContain("SAMKIT_CLOUD_UNKNOWN");
    expect(mars.code).toBe(2);
  });

  it("a 100,000-character value is not echoed back whole", async () => {
    const huge = "a".repeat(100_000);
    const r = await runCli(["status", "--cloud", huge], { env: env() });
    expect(r.stderr).toContain("SAMKIT_CLOUD_UNKNOWN");
    expect(r.stderr).toContain("…");
    expect(r.stderr.length).toBeLessThan(1_000);
    expect(r.code).toBe(2);
    const usage = await runCli(["token", `--${huge}`], { env: env() });
    expect(usage.stderr).toContain("SAMKIT_USAGE");
    expect(usage.stderr.length).toBeLessThan(1_000);
  });
});

describe("explain (defect 7)", () => {
  it('`printf \'{"foo":1}\' | samkit explain -` → SAMKIT_EXPLAIN_UNREADABLE, exit 2', async () => {
    const r = await runCli(["explain", "-"], { env: env(), stdin: '{"foo":1}' });
    expect(r.stderr).toContain("error SAMKIT_EXPLAIN_UNREADABLE:");
    expect(r.stdout).toBe("");
    expect(r.code).toBe(2);
  });

  it("a bare identity error body without a status is still explained (exit 0)", async () => {
    const r = await runCli(["explain", "-"], { env: env(), stdin: '{"error":"invalid_grant","error_codes":[700082]}' });
    expect(r.stdout).toContain("SAMKIT_REFRESH_TOKEN_INACTIVE");
    expect(r.code).toBe(0);
  });
});
