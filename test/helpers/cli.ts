/**
 * Run the real CLI (`./bin/samkit` → `dist/src/cli/main.js`) as a child process. `npm test`
 * builds first; when `dist/` is missing (a bare `vitest run`), {@link ensureBuilt} builds once.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Repository root. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The CLI launcher. */
export const SAMKIT_BIN = fileURLToPath(new URL("../../bin/samkit", import.meta.url));

/** Build `dist/` with tsc when it is missing. */
export function ensureBuilt(): void {
  if (existsSync(new URL("../../dist/src/cli/main.js", import.meta.url))) return;
  const r = spawnSync(process.execPath, [fileURLToPath(new URL("../../node_modules/typescript/bin/tsc", import.meta.url)), "-p", "tsconfig.build.json"], {
    cwd: ROOT,
    stdio: "inherit",
    timeout: 180_000,
  });
  if (!existsSync(new URL("../../dist/src/cli/main.js", import.meta.url))) throw new Error(`build failed (exit ${r.status})`);
}

/** What a CLI run produced. */
export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run `samkit ...args` with optional stdin; killed after `timeoutMs` (default 20 s). */
export function runCli(
  args: readonly string[],
  options: { stdin?: string; env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SAMKIT_BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 20_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.stdin ?? "");
  });
}
