/**
 * Benchmark (prints numbers): size of the installed production dependency tree, i.e. what
 * `npm ci --omit=dev` installs for samkit's users (docs/dependencies.md).
 *
 *   npx tsx bench/prod-tree.ts
 *
 * Runs `npm ci --omit=dev --ignore-scripts --prefer-offline` on a copy of package.json and
 * package-lock.json in a temporary folder (bounded by BENCH_NPM_TIMEOUT_MS, default 180 s). When
 * npm cannot install (no registry, no cache), it falls back to summing the production packages of
 * the lockfile as installed in ./node_modules, and says so.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, lstatSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

/** Bytes (apparent size) and file count under `dir`, symlinks not followed. */
function du(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) stack.push(p);
      else {
        bytes += lstatSync(p).size;
        files++;
      }
    }
  }
  return { bytes, files };
}

interface Lock {
  packages: Record<string, { dev?: boolean; devOptional?: boolean; optional?: boolean }>;
}

function fromLockfile(): { bytes: number; files: number; packages: number } {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as Lock;
  let bytes = 0;
  let files = 0;
  let packages = 0;
  for (const [path, meta] of Object.entries(lock.packages)) {
    if (path === "" || meta.dev === true || meta.devOptional === true) continue;
    const dir = join(root, path);
    if (!existsSync(dir)) continue;
    // Nested node_modules belong to their own lock entries; count only this package's own files.
    const own = du(dir);
    const nested = join(dir, "node_modules");
    const sub = existsSync(nested) ? du(nested) : { bytes: 0, files: 0 };
    bytes += own.bytes - sub.bytes;
    files += own.files - sub.files;
    packages++;
  }
  return { bytes, files, packages };
}

const dir = mkdtempSync(join(tmpdir(), "samkit-prod-tree-"));
let result: { method: string; bytes: number; files: number; packages: number };
try {
  copyFileSync(join(root, "package.json"), join(dir, "package.json"));
  copyFileSync(join(root, "package-lock.json"), join(dir, "package-lock.json"));
  const r = spawnSync("npm", ["ci", "--omit=dev", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
    encoding: "utf8",
    timeout: Number(process.env["BENCH_NPM_TIMEOUT_MS"] ?? "180000"),
  });
  const nm = join(dir, "node_modules");
  if (r.status === 0 && existsSync(nm)) {
    const s = du(nm);
    const packages = Object.keys((JSON.parse(readFileSync(join(nm, ".package-lock.json"), "utf8")) as Lock).packages).length;
    result = { method: "npm ci --omit=dev", ...s, packages };
  } else {
    process.stderr.write(`npm ci --omit=dev failed (${r.status ?? r.signal}): ${(r.stderr ?? "").slice(-300)}\nfalling back to the lockfile's production packages in ./node_modules\n`);
    result = { method: "lockfile production packages in ./node_modules", ...fromLockfile() };
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`production tree (${result.method}): ${(result.bytes / 1_048_576).toFixed(1)} MB, ${result.files} files, ${result.packages} packages\n`);
process.stdout.write(`BENCH_JSON ${JSON.stringify({ ...result, mb: Number((result.bytes / 1_048_576).toFixed(1)) })}\n`);
