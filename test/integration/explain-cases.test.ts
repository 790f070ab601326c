import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCases } from "../helpers/cases.js";
import { ensureBuilt, runCli } from "../helpers/cli.js";

const cases = loadCases();

beforeAll(() => {
  ensureBuilt();
}, 200_000);

interface ExplainJson {
  code: string;
  action: string;
  message: string;
  nextStep: string;
  aadsts: number | null;
  retryAfterSeconds: number | null;
  partnerCenterCode: string | null;
  graphCode: string | null;
}

describe("samkit explain - --json: every shared case file through the real CLI", () => {
  for (const c of cases) {
    it(c.name, async () => {
      const r = await runCli(["explain", "-", "--json"], { stdin: readFileSync(c.file, "utf8") });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout) as ExplainJson;
      for (const k of ["code", "action", "message", "nextStep", "aadsts", "retryAfterSeconds", "partnerCenterCode", "graphCode"]) {
        expect(j, k).toHaveProperty(k);
      }
      expect(j.action).toBe(c.expect.action);
      expect(j.aadsts).toBe(c.expect.aadsts ?? j.aadsts);
      if (c.expect.aadsts !== undefined) expect(j.aadsts).toBe(c.expect.aadsts);
      if (c.expect.retry_after_seconds !== undefined) expect(j.retryAfterSeconds).toBe(c.expect.retry_after_seconds);
      if (c.expect.partner_center_code !== undefined) expect(String(j.partnerCenterCode)).toBe(String(c.expect.partner_center_code));
      if (c.expect.graph_code !== undefined) expect(j.graphCode).toBe(c.expect.graph_code);
    });
  }
});

describe("samkit explain, other inputs", () => {
  it("explains a bare AADSTS code in words (exit 0)", async () => {
    const r = await runCli(["explain", "AADSTS90038"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("SAMKIT_WRONG_CLOUD");
    expect(r.stdout).toContain("action: check-cloud");
    expect(r.stdout).toContain("--cloud");
  });

  it("gives unknown codes action none with Microsoft's error page", async () => {
    const r = await runCli(["explain", "123456", "--json"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as ExplainJson;
    expect(j).toMatchObject({ action: "none", aadsts: 123456, retryAfterSeconds: null, partnerCenterCode: null, graphCode: null });
    expect(j.message).toContain("login.microsoftonline.com/error?code=123456");
  });

  it("reads a raw body, a raw HTTP response and a log line", async () => {
    const body = await runCli(["explain", "-", "--json"], { stdin: '{"error":"invalid_grant","error_description":"AADSTS70008: The provided authorization code or refresh token has expired."}' });
    expect((JSON.parse(body.stdout) as ExplainJson).aadsts).toBe(70008);
    const raw = await runCli(["explain", "-", "--json"], {
      stdin: 'HTTP/1.1 429 Too Many Requests\r\nRetry-After: 9\r\nContent-Type: application/json\r\n\r\n{"statusCode":429,"message":"Rate limit is exceeded. Try again in 9 seconds."}',
    });
    expect(JSON.parse(raw.stdout)).toMatchObject({ action: "retry-later", retryAfterSeconds: 9 });
    const line = await runCli(["explain", "-"], { stdin: "2026-10-14T09:12:44Z ERROR refresh failed: AADSTS700082: The refresh token has expired due to inactivity.\n" });
    expect(line.code).toBe(0);
    expect(line.stdout).toContain("SAMKIT_REFRESH_TOKEN_INACTIVE");
  });

  it("exits 2 on unreadable input, with the error as JSON on stderr in --json mode", async () => {
    for (const stdin of ["", "{not json", "hello there"]) {
      const r = await runCli(["explain", "-", "--json"], { stdin });
      expect(r.code, JSON.stringify(stdin)).toBe(2);
      expect(r.stdout).toBe("");
      expect((JSON.parse(r.stderr) as { error: ExplainJson }).error.code).toBe("SAMKIT_EXPLAIN_UNREADABLE");
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    const human = await runCli(["explain", "not-a-code"]);
    expect(human.code).toBe(2);
    expect(human.stderr).toContain("error SAMKIT_EXPLAIN_UNREADABLE");
    expect(human.stderr).toContain("next step:");
  });

  it("lists the whole mapping without an argument", async () => {
    const r = await runCli(["explain", "--json"]);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { aadsts: number; code: string; action: string }[];
    expect(rows.find((x) => x.aadsts === 700082)).toEqual({ aadsts: 700082, code: "SAMKIT_REFRESH_TOKEN_INACTIVE", action: "reconsent" });
    const tsv = await runCli(["explain"]);
    expect(tsv.stdout).toContain("90038\tSAMKIT_WRONG_CLOUD\tcheck-cloud");
  });

  it("prints usage errors as JSON with --json and exits 2", async () => {
    const r = await runCli(["explain", "--bogus", "--json"]);
    expect(r.code).toBe(2);
    expect((JSON.parse(r.stderr) as { error: { code: string } }).error.code).toBe("SAMKIT_USAGE");
  });
});
