/**
 * Shared by the consent, app and browser tests: an in-process emulator (one per file), a throw-away
 * SAMKIT_HOME, and the real CLI (from source, via tsx) as a child process whose stderr can be
 * watched for the sign-in URL or device code while it runs.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { EmulatorServer, type EmulatorServerOptions } from "../../emulator/server.js";
import { openStore } from "../../src/store/index.js";
import { readProfile } from "../../src/store/profile.js";
import type { PartnerProfile } from "../../src/store/types.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const RUNNER = fileURLToPath(new URL("./consent-cli.runner.ts", import.meta.url));

/** A started emulator (`options` default: 3 seeded customers) plus its URL. */
export async function startEmulator(options: EmulatorServerOptions = { seedCustomers: 3 }): Promise<{ emu: EmulatorServer; url: string }> {
  const emu = new EmulatorServer(options);
  const info = await emu.start();
  return { emu, url: info.url };
}

/** The emulator of one test file, from {@link emulatorForFile}; read its fields inside tests and hooks. */
export interface FileEmulator {
  readonly emu: EmulatorServer;
  readonly url: string;
  /** A {@link freshHome} wired to this emulator, removed after the file's tests. */
  home(): Promise<{ home: string; env: Record<string, string> }>;
}

/**
 * One emulator ({@link startEmulator} with `options`) for the calling test file: started in
 * `beforeAll` (60 s), stopped in `afterAll` after every home from `home()` is removed.
 */
export function emulatorForFile(options?: EmulatorServerOptions): FileEmulator {
  let started: { emu: EmulatorServer; url: string } | undefined;
  const cleanups: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    started = await startEmulator(options);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(cleanups.map((c) => c()));
    await started?.emu.stop();
  });
  const get = (): { emu: EmulatorServer; url: string } => {
    if (started === undefined) throw new Error("the emulator starts in beforeAll: use it inside a test or hook");
    return started;
  };
  return {
    get emu() {
      return get().emu;
    },
    get url() {
      return get().url;
    },
    async home() {
      const h = await freshHome(get().url);
      cleanups.push(h.cleanup);
      return { home: h.home, env: h.env };
    },
  };
}

/** A fresh SAMKIT_HOME wired to the emulator; `cleanup()` removes it. */
export async function freshHome(emulatorUrl: string): Promise<{ home: string; env: Record<string, string>; cleanup: () => Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), "samkit-consent-"));
  const env = {
    SAMKIT_HOME: home,
    SAMKIT_STORE_KEY: randomBytes(32).toString("base64"),
    SAMKIT_CLOUD: "emulator",
    SAMKIT_EMULATOR_URL: emulatorUrl,
    SAMKIT_LOG_LEVEL: "silent",
    SAMKIT_NO_BROWSER: "1",
    NO_COLOR: "1",
  };
  return { home, env, cleanup: () => rm(home, { recursive: true, force: true }) };
}

/** A running CLI child. */
export interface CliRun {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first match of `re` in stderr (rejects when the process ends first). */
  waitForStderr(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts `samkit ...args` with `env` (merged over process.env); killed after `timeoutMs` (default 60 s). */
export function startCli(args: readonly string[], env: Record<string, string>, options: { stdin?: string; timeoutMs?: number } = {}): CliRun {
  const child = spawn(process.execPath, ["--import", "tsx", RUNNER, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => {
    err += d;
    for (const l of listeners) l();
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      for (const l of listeners) l();
      resolve({ code, stdout: out, stderr: err });
    });
  });
  child.stdin.end(options.stdin ?? "");
  let exited = false;
  void done.then(() => (exited = true));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    done,
    waitForStderr(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for ${String(re)}; stderr so far:\n${err}`));
        }, timeoutMs);
        const check = () => {
          const m = err.match(re);
          if (m) {
            clearTimeout(t);
            listeners.delete(check);
            resolve(m);
          } else if (exited) {
            clearTimeout(t);
            listeners.delete(check);
            reject(new Error(`process ended before ${String(re)}; stderr:\n${err}\nstdout:\n${out}`));
          }
        };
        listeners.add(check);
        check();
      });
    },
  };
}

/** Runs the CLI to completion. */
export function runCli(args: readonly string[], env: Record<string, string>, options: { stdin?: string; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return startCli(args, env, options).done;
}

/** Reads the stored profile of `home` (default profile) with the library. */
export async function storedProfile(env: Record<string, string>): Promise<PartnerProfile | undefined> {
  const store = await openStore({ kind: "file", home: env["SAMKIT_HOME"]!, storeKey: env["SAMKIT_STORE_KEY"]! });
  return readProfile(store, "default", { defaultCloud: "emulator" });
}

/** Approves (or declines) a pending device code through the emulator's control API (`consent`: accept the consent step too). */
export async function approveDeviceCode(url: string, body: { userCode: string; username?: string; mfa?: boolean; consent?: boolean; decline?: boolean }): Promise<void> {
  const r = await fetch(`${url}/_emulator/devicecode/approve`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (r.status !== 200) throw new Error(`approve failed: ${r.status} ${await r.text()}`);
}

/**
 * Runs `samkit ...args` (which must sign in by device code), approves the code it prints through
 * the control API of the emulator at `url` with `approval`, and resolves when the CLI ends.
 */
export async function runApprovingDeviceCode(
  url: string,
  args: readonly string[],
  env: Record<string, string>,
  approval: { username: string; mfa?: boolean; consent?: boolean },
  options: { timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startCli(args, env, options);
  const [, userCode] = await run.waitForStderr(/code ([A-Z0-9]{6,}) at /);
  await approveDeviceCode(url, { userCode: userCode!, ...approval });
  return run.done;
}
