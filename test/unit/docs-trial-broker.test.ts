/**
 * Docs found wrong by the new-user trial stay right: token.md links docs pages (not source files)
 * and shows the real `--json` scopes; customers.md describes piped `customers list` output as
 * tab-separated rows (docs/cli.md), not JSON.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const doc = (name: string): string => readFileSync(new URL(`../../docs/${name}`, import.meta.url), "utf8");

describe("docs (trial fixes)", () => {
  it("token.md links clouds.md and configuration.md, not ../src files", () => {
    const t = doc("token.md");
    expect(t).not.toMatch(/\]\(\.\.\/src\//);
    expect(t).toContain("](clouds.md)");
    expect(t).toContain("](configuration.md)");
  });

  it("token.md's --json example shows granted scopes as the CLI prints them (explicit scopes besides .default)", () => {
    const t = doc("token.md");
    expect(t).not.toContain('"scopes": ["https://graph.microsoft.com/.default"]');
    expect(t).toContain('"https://graph.microsoft.com/Directory.Read.All"');
  });

  it("customers.md: piped `customers list` is tab-separated rows; only --json prints a JSON array", () => {
    const c = doc("customers.md");
    expect(c).not.toContain("or output that is not a terminal) prints one JSON array");
    expect(c).toMatch(/not a terminal[^]*tab-separated/);
    expect(c).toContain("Only `--json` prints one JSON array");
  });
});
