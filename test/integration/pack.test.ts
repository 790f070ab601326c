/**
 * The published package works: `npm pack` → install the tarball in a scratch folder → import
 * `samkit` there and run its bin. Dependencies come from npm's cache (`--prefer-offline`), which
 * `npm ci` filled.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, ensureBuilt } from "../helpers/cli.js";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
let scratch: string;
let files: string[] = [];

beforeAll(() => {
  ensureBuilt();
  scratch = mkdtempSync(join(tmpdir(), "samkit-pack-"));
  const out = execFileSync(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", scratch], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  const info = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  files = info[0]?.files.map((f) => f.path) ?? [];
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "scratch", version: "1.0.0", private: true, type: "module" }));
  const tgz = readdirSync(scratch).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new Error("npm pack produced no tarball");
  const r = spawnSync(npm, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", `./${tgz}`], {
    cwd: scratch,
    encoding: "utf8",
    timeout: 240_000,
  });
  if (r.status !== 0) throw new Error(`npm install failed: ${r.stderr}`);
}, 300_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe("npm pack", () => {
  it("ships the built library, types, bins and docs, not sources or tests", () => {
    expect(files).toContain("dist/src/index.js");
    expect(files).toContain("dist/src/index.d.ts");
    expect(files).toContain("bin/samkit");
    expect(files).toContain("bin/samkit-emulator");
    expect(files).toContain("README.md");
    expect(files).toContain("package.json");
    expect(files.some((f) => f.startsWith("test/") || f.startsWith("dist/test/"))).toBe(false);
    expect(files.some((f) => f.startsWith("src/"))).toBe(false);
  });

  it("imports 'samkit' from a scratch project", () => {
    const script = [
      'import * as s from "samkit";',
      'const c = s.getCloud("usgov");',
      'const e = s.classifyResponse({ status: 400, body: { error: "invalid_grant", error_codes: [700082] } });',
      "console.log(JSON.stringify({ host: c.authorityHost, code: e.code, http: typeof s.createHttpClient, config: typeof s.loadConfig }));",
    ].join("\n");
    writeFileSync(join(scratch, "check.mjs"), script);
    const out = execFileSync(process.execPath, ["check.mjs"], { cwd: scratch, encoding: "utf8", timeout: 30_000 });
    expect(JSON.parse(out)).toEqual({ host: "https://login.microsoftonline.us", code: "SAMKIT_REFRESH_TOKEN_INACTIVE", http: "function", config: "function" });
  });

  it("runs the installed samkit bin", () => {
    const out = execFileSync(process.execPath, [join(scratch, "node_modules", "samkit", "bin", "samkit"), "explain", "90038", "--json"], {
      cwd: scratch,
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(JSON.parse(out)).toMatchObject({ code: "SAMKIT_WRONG_CLOUD", action: "check-cloud", aadsts: 90038 });
  });
});
