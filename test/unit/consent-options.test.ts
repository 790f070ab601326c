/**
 * Whole-number options of `samkit consent` / `app create` (`--timeout`, `--port`): out-of-range,
 * empty and fractional values are usage errors; `--timeout 0` is refused (it would time out at once).
 */
import { describe, expect, it } from "vitest";
import { positiveInt } from "../../src/cli/commands/consent/run.js";
import { isSamkitError } from "../../src/errors/index.js";

const usage = (f: () => unknown): boolean => {
  try {
    f();
    return false;
  } catch (e) {
    return isSamkitError(e, "SAMKIT_USAGE");
  }
};

describe("positiveInt", () => {
  it("accepts whole numbers in range and passes absence through", () => {
    expect(positiveInt(undefined, "--port", "consent", 65535)).toBeUndefined();
    expect(positiveInt("0", "--port", "consent", 65535)).toBe(0);
    expect(positiveInt("300", "--timeout", "consent", 86_400, 1)).toBe(300);
  });

  it("refuses 0 when the minimum is 1, and empty, fractional, negative or too large values", () => {
    for (const v of ["0", "", " ", "1.5", "-1", "86401", "ten", "0x10"]) {
      expect(usage(() => positiveInt(v, "--timeout", "consent", 86_400, 1)), v).toBe(true);
    }
  });
});
