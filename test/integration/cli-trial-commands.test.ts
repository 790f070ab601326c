/**
 * Regression tests for the fresh-user trial of the foreach / customers / api / app commands: each
 * runs the real `bin/samkit` (dist/) against a running emulator with a consented profile and checks
 * the exit code, the catalogue code, the stream a line goes to and what was requested.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runCli } from "../helpers/cli.js";
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
