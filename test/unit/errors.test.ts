import { describe, expect, it } from "vitest";
import { SamkitError } from "../../src/errors/index.js";

describe("SamkitError", () => {
  it("fills placeholders and derives the usage exit code", () => {
    const e = new SamkitError("SAMKIT_USAGE", { params: { detail: "bad flag", command: "token" } });
    expect(e.message).toBe("bad flag");
    expect(e.nextStep).toContain("samkit help token");
    expect(e.exitCode).toBe(2);
    expect(e.toJSON()).toMatchObject({ code: "SAMKIT_USAGE", action: "fix-input", aadsts: null });
  });
});
