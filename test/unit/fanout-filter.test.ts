import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isSamkitError } from "../../src/errors/index.js";
import { createTenantFilter, parseTenantList, readTenantList } from "../../src/fanout/index.js";

describe("tenant lists", () => {
  it("parses GUIDs and domains, lower-cased, with comments and blank lines", () => {
    const set = parseTenantList(
      "# allowed\n8A1B0D2C-0000-4000-8000-000000000001\n\ncontoso.onmicrosoft.com  # main\r\n",
      "f",
    );
    expect([...set]).toEqual(["8a1b0d2c-0000-4000-8000-000000000001", "contoso.onmicrosoft.com"]);
  });

  it("names the file and line of a bad entry", () => {
    try {
      parseTenantList("contoso.com\nnot a tenant\n", "allow.txt");
      expect.unreachable();
    } catch (e) {
      expect(isSamkitError(e, "SAMKIT_TENANT_LIST_INVALID")).toBe(true);
      expect((e as Error).message).toBe(
        'allow.txt line 2: "not a tenant" is not a tenant ID (GUID) or a domain.',
      );
      expect(isSamkitError(e) && e.exitCode).toBe(2);
    }
  });

  it("reads a file and reports an unreadable one with a catalogue error", async () => {
    const dir = mkdtempSync(join(tmpdir(), "samkit-filter-"));
    const file = join(dir, "t.txt");
    writeFileSync(file, "fabrikam.com\n");
    expect([...(await readTenantList(file))]).toEqual(["fabrikam.com"]);
    await expect(readTenantList(join(dir, "missing.txt"))).rejects.toMatchObject({
      code: "SAMKIT_TENANT_LIST_UNREADABLE",
    });
  });

  it("exclude wins over allow; no lists allows everything once", () => {
    const f = createTenantFilter({ allow: new Set(["a.com"]), exclude: new Set(["a.com"]) });
    expect(f.check({ tenantId: "a.com" })).toBe("excluded");
    const open = createTenantFilter();
    expect(open.check({ tenantId: "x.com" })).toBeUndefined();
    expect(open.check({ tenantId: "X.com" })).toBe("duplicate");
  });
});
