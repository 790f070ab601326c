import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { addGlobalOptions, argvWantsJson, readGlobalOptions } from "../../src/cli/options.js";
import { colorEnabled, formatError, formatTable, printData, printError } from "../../src/cli/output.js";
import { SamkitError, classifyResponse } from "../../src/errors/index.js";

function sink(isTTY = false): { write: (s: string) => boolean; isTTY: boolean; text: () => string } {
  let buf = "";
  return {
    isTTY,
    write: (s: string) => {
      buf += s;
      return true;
    },
    text: () => buf,
  };
}

describe("output", () => {
  it("honours NO_COLOR, FORCE_COLOR and TTYs", () => {
    expect(colorEnabled({ write: () => true, isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled({ write: () => true, isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ write: () => true, isTTY: false }, {})).toBe(false);
    expect(colorEnabled({ write: () => true, isTTY: false }, { FORCE_COLOR: "1" })).toBe(true);
  });

  it("prints aligned tables on a TTY, TSV otherwise, JSON with --json", () => {
    const rows = [
      { id: "a", name: "Contoso" },
      { id: "bbb", name: "Fabrikam\tLtd" },
    ];
    const columns = [
      { header: "id", value: (r: (typeof rows)[number]) => r.id },
      { header: "name", value: (r: (typeof rows)[number]) => r.name },
    ];
    expect(formatTable(rows, columns, { tty: true })).toBe("ID   NAME\na    Contoso\nbbb  Fabrikam Ltd\n");
    expect(formatTable(rows, columns, { tty: false })).toBe("a\tContoso\nbbb\tFabrikam Ltd\n");
    const out = sink();
    printData(rows, { json: true, columns, stream: out });
    expect(JSON.parse(out.text())).toEqual(rows);
  });

  it("prints errors with code, message and next step (no stack), JSON on request, and the exit code", () => {
    const e = classifyResponse({
      status: 400,
      body: { error: "invalid_grant", error_description: "AADSTS700082: expired", error_codes: [700082], trace_id: "t-1", correlation_id: "c-1" },
    });
    const text = formatError(e);
    expect(text).toContain("error SAMKIT_REFRESH_TOKEN_INACTIVE:");
    expect(text).toContain("AADSTS700082");
    expect(text).toContain("trace ID t-1");
    expect(text).toContain("next step: Run `samkit consent`");
    const err = sink();
    expect(printError(e, { stream: err })).toBe(4);
    const jsonErr = sink();
    expect(printError(new SamkitError("SAMKIT_USAGE", { params: { detail: "x", command: "token" } }), { json: true, stream: jsonErr })).toBe(2);
    expect(JSON.parse(jsonErr.text())).toMatchObject({ error: { code: "SAMKIT_USAGE", action: "fix-input" } });
    const internal = sink();
    expect(printError(new TypeError("boom"), { stream: internal })).toBe(1);
    expect(internal.text()).toContain("SAMKIT_INTERNAL");
    expect(internal.text()).not.toContain("    at ");
  });
});

describe("options", () => {
  it("adds the shared flags once and reads them back with program-level ones", async () => {
    const program = new Command("samkit").exitOverride().option("--log-level <level>");
    let seen: ReturnType<typeof readGlobalOptions> | undefined;
    const cmd = program.command("x").option("--cloud <name>", "already there");
    addGlobalOptions(cmd).action((_o, c: Command) => {
      seen = readGlobalOptions(c);
    });
    expect(cmd.options.filter((o) => o.long === "--cloud")).toHaveLength(1);
    await program.parseAsync(["x", "--cloud", "usgov", "--profile", "p", "--json", "--log-level", "debug"], { from: "user" });
    expect(seen).toEqual({ cloud: "usgov", profile: "p", json: true, logLevel: "debug" });
    expect(argvWantsJson(["x", "--json"])).toBe(true);
    expect(argvWantsJson(["x"])).toBe(false);
  });
});
