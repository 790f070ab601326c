/**
 * Hardening (issue 10, docs/threat-model.md "The emulator is not part of the library"): no module
 * under `src/` imports anything under `emulator/` (static or dynamic import, any relative path),
 * so the emulator's seeded secrets and control API can never be reached from the library.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : /\.(ts|mts)$/.test(e.name) ? [join(dir, e.name)] : []));
}

describe("layout: src/ never imports emulator/", () => {
  it("no import specifier in src/ resolves into emulator/ or names the samkit/emulator entry", () => {
    const src = join(ROOT, "src");
    const emulator = join(ROOT, "emulator");
    const files = tsFiles(src);
    expect(files.length).toBeGreaterThan(50);
    const offenders: string[] = [];
    const spec = /(?:from\s*|import\s*\(\s*|import\s+)["']([^"']+)["']/g;
    for (const f of files) {
      const text = readFileSync(f, "utf8");
      for (const m of text.matchAll(spec)) {
        const s = m[1]!;
        if (s === "samkit/emulator" || s.startsWith("samkit/emulator/")) offenders.push(`${relative(ROOT, f)} → ${s}`);
        if (s.startsWith(".") && resolve(dirname(f), s).startsWith(emulator + "/")) offenders.push(`${relative(ROOT, f)} → ${s}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
