/**
 * Unit regression tests for the new-user trial fixes in src/errors, src/config, src/oauth and
 * src/cli/main.ts (the CLI-level behaviour is in test/integration/cli-trial.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { getCloud } from "../../src/cloud/resolve.js";
import { commandWords } from "../../src/cli/main.js";
import { loadConfig } from "../../src/config/load.js";
import { SamkitError, explainText, isSamkitError } from "../../src/errors/index.js";
import { clip, MAX_PARAM_CHARS } from "../../src/errors/samkit-error.js";
import { authorityEndpoints } from "../../src/oauth/endpoints.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isSamkitError(e) ? e.code : `not a SamkitError: ${String(e)}`;
  }
  return undefined;
}

describe("commandWords (defect 1)", () => {
  it("skips the value of --log-level", () => {
    expect(commandWords(["--log-level", "warn", "status"])).toEqual(["status"]);
    expect(commandWords(["--log-level", "debug", "token", "--resource", "graph"])[0]).toBe("token");
    expect(commandWords(["--log-level=warn", "status"])).toEqual(["status"]);
    expect(commandWords(["store", "migrate", "--to", "keyvault"]).slice(0, 2)).toEqual(["store", "migrate"]);
    expect(commandWords(["--", "status"])).toEqual([]);
  });
});

describe("long parameter values are clipped (defect 8)", () => {
  it("clip keeps short values and cuts long ones to MAX_PARAM_CHARS + …", () => {
    expect(clip("contoso")).toBe("contoso");
    const long = "x".repeat(100_000);
    expect(clip(long)).toBe(`${"x".repeat(MAX_PARAM_CHARS)}…`);
  });

  it("a catalogue message never echoes a 100,000-character value", () => {
    const e = new SamkitError("SAMKIT_CLOUD_UNKNOWN", { params: { cloud: "m".repeat(100_000), valid: "global" } });
    expect(e.message.length).toBeLessThan(MAX_PARAM_CHARS + 50);
    expect(e.message).toContain("…");
  });

  it("an empty {command} drops its space: `samkit help`", () => {
    expect(new SamkitError("SAMKIT_USAGE", { params: { detail: "x", command: "" } }).nextStep).toContain("Run `samkit help` to");
    expect(new SamkitError("SAMKIT_USAGE", { params: { detail: "x", command: "token" } }).nextStep).toContain("Run `samkit help token` to");
  });
});

describe("configuration (defects 5, 6)", () => {
  it("SAMKIT_HOME that is a file → SAMKIT_HOME_NOT_A_FOLDER (exit 2)", async () => {
    const d = mkdtempSync(join(tmpdir(), "samkit-cfg-"));
    dirs.push(d);
    const file = join(d, "file");
    writeFileSync(file, "x");
    const err = await loadConfig({}, { env: { SAMKIT_HOME: file } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isSamkitError(err, "SAMKIT_HOME_NOT_A_FOLDER")).toBe(true);
    expect((err as SamkitError).exitCode).toBe(2);
    expect((err as SamkitError).message).toContain(file);
  });

  it("the retired germany cloud is bad input: exit 2 like an unknown cloud", () => {
    let retired: unknown;
    try {
      getCloud("germany");
    } catch (e) {
      retired = e;
    }
    expect(isSamkitError(retired, "SAMKIT_CLOUD_RETIRED")).toBe(true);
    expect((retired as SamkitError).exitCode).toBe(2);
    expect((retired as SamkitError).action).toBe("check-cloud");
  });
});

describe("explain input without anything recognisable (defect 7)", () => {
  it('{"foo":1} is SAMKIT_EXPLAIN_UNREADABLE', () => {
    expect(codeOf(() => explainText('{"foo":1}'))).toBe("SAMKIT_EXPLAIN_UNREADABLE");
    expect(codeOf(() => explainText('{"response":{"body":{"foo":1}}}'))).toBe("SAMKIT_EXPLAIN_UNREADABLE");
  });

  it("bodies with a status or known error fields are still explained", () => {
    expect(explainText('{"status":503,"headers":{},"body":{"foo":1}}').status).toBe(503);
    expect(explainText('{"error":"invalid_grant","error_description":"AADSTS700082: expired"}').aadsts).toBe(700082);
    expect(explainText('{"code":600,"description":"x","source":"PartnerCenter"}').partnerCenterCode).toBe("600");
    expect(explainText('{"error":{"code":"Authorization_IdentityNotFound","message":"x"}}').graphCode).toBe("Authorization_IdentityNotFound");
    expect(explainText('{"statusCode":429,"message":"Rate limit is exceeded. Try again in 7 seconds."}').code).toBe("SAMKIT_THROTTLED");
    expect(explainText('{"msg":"failed with AADSTS50076"}').aadsts).toBe(50076);
  });
});

describe("issuer of the China cloud (defect 9)", () => {
  const tid = "8eaef023-2b34-4da1-9baa-8bc8c9d6a490";

  it("authorityEndpoints uses the cloud's issuer host, not the authority host", () => {
    const china = getCloud("china");
    const e = authorityEndpoints(china, tid);
    expect(e.tokenEndpoint).toBe(`https://login.chinacloudapi.cn/${tid}/oauth2/v2.0/token`);
    expect(e.issuer).toBe(`https://login.partner.microsoftonline.cn/${tid}/v2.0`);
  });

  it("global and US Government issuers stay on their authority host", () => {
    expect(authorityEndpoints(getCloud("global"), tid).issuer).toBe(`https://login.microsoftonline.com/${tid}/v2.0`);
    expect(authorityEndpoints(getCloud("usgov"), tid).issuer).toBe(`https://login.microsoftonline.us/${tid}/v2.0`);
  });
});
