/**
 * Must-show tests of issue 5: crash safety (SIGKILL a writer at random points, inside and outside
 * the lock) and cross-process concurrency (8 processes × 50 read-modify-write updates).
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EncryptedFileStore } from "../../src/store/file/file-store.js";

const WORKER_SOURCE = fileURLToPath(new URL("./store-worker.child.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The worker, bundled once with esbuild (from the toolchain) so 40 children start fast on a busy machine. */
let workerBundle = "";

interface Worker {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[];
  readonly exited: Promise<number | null>;
  waitFor(pred: (line: string) => boolean, timeoutMs?: number): Promise<string>;
}

/** Every worker started, so none outlives the test file even when an assertion fails. */
const started: Worker[] = [];

function startWorker(args: string[]): Worker {
  const child = spawn(process.execPath, [workerBundle, ...args], {
    cwd: ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiters: { pred: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  let buf = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf("\n")) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      for (const w of [...waiters]) {
        if (!w.pred(line)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const worker: Worker = {
    child,
    lines,
    exited,
    waitFor(pred, timeoutMs = 60_000) {
      const hit = lines.find(pred);
      if (hit !== undefined) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const t = setTimeout(
          () =>
            reject(
              new Error(
                `worker: no matching line in ${timeoutMs} ms; lines=${lines.slice(-5).join("|")} stderr=${stderr.slice(-500)}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({ pred, resolve: (l) => (clearTimeout(t), resolve(l)) });
        void exited.then(() =>
          setTimeout(
            () =>
              reject(
                new Error(`worker exited; lines=${lines.slice(-5).join("|")} stderr=${stderr.slice(-500)}`),
              ),
            50,
          ),
        );
      });
    },
  };
  started.push(worker);
  return worker;
}

let root: string;
beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "samkit-crash-"));
  workerBundle = path.join(root, "store-worker.cjs");
  const { build } = await import("esbuild");
  await build({
    entryPoints: [WORKER_SOURCE],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: workerBundle,
    logLevel: "error",
  });
});
afterAll(async () => {
  const alive = started.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
  for (const w of alive) w.child.kill("SIGKILL");
  await Promise.all(alive.map((w) => w.exited));
  fs.rmSync(root, { recursive: true, force: true });
});

describe("EncryptedFileStore across processes", () => {
  it("survives SIGKILL of a writer at 32 random points: always decryptable, old or new value, next writer not blocked", async () => {
    const home = path.join(root, "crash");
    const store = new EncryptedFileStore({ home });
    await store.set("Counter", "0");
    const t0 = Date.now();
    const KILLS = 32;
    let insideLock = 0;
    let outsideLock = 0;
    let lockLeftBehind = 0;
    const waits: number[] = [];
    // two writers always pre-started, so process start-up overlaps the kills
    const queue = [startWorker(["crash", home]), startWorker(["crash", home])];
    await queue[0]!.waitFor((l) => l === "ready");
    for (let k = 0; k < KILLS; k++) {
      const w = queue.shift()!;
      w.child.stdin.write("go\n");
      // pre-start the next writer so its start-up time is not part of the measurement
      queue.push(startWorker(["crash", home]));
      const waitLine = await w.waitFor((l) => l.startsWith("wait ") || l.startsWith("error"));
      expect(waitLine).toMatch(/^wait \d+$/);
      waits.push(Number(waitLine.slice(5)));
      await w.waitFor((l) => l.startsWith("wrote"));
      await new Promise((r) => setTimeout(r, Math.random() * 120));
      w.child.kill("SIGKILL");
      await w.exited;

      const markers = w.lines.filter(
        (l) => l === "locked" || l === "unlocked" || l.startsWith("writing") || l.startsWith("wrote"),
      );
      const last = markers[markers.length - 1];
      if (last === "unlocked") outsideLock++;
      else insideLock++;
      if (fs.existsSync(`${store.path}.lock`)) lockLeftBehind++;
      const wrote = w.lines.filter((l) => l.startsWith("wrote ")).map((l) => Number(l.slice(6)));
      const writing = w.lines.filter((l) => l.startsWith("writing ")).map((l) => Number(l.slice(8)));
      const lastWrote = Math.max(...wrote);
      const lastWriting = Math.max(...writing);

      // The file always decrypts, and holds the old or the new value.
      const fresh = new EncryptedFileStore({ home });
      const value = Number((await fresh.get("Counter"))?.value);
      expect([lastWrote, lastWriting]).toContain(value);
      expect(fs.readdirSync(home).filter((f) => !f.startsWith("store.enc.lock"))).toEqual(
        expect.arrayContaining(["store.enc", "store.key"]),
      );
      await queue[0]!.waitFor((l) => l === "ready");
    }
    // the last writer proves it is not blocked either, then finishes cleanly
    const next = queue.shift()!;
    next.child.stdin.write("go\n");
    const waitLine = await next.waitFor((l) => l.startsWith("wait ") || l.startsWith("error"));
    waits.push(Number(waitLine.slice(5)));
    await next.waitFor((l) => l.startsWith("wrote"));
    next.child.kill("SIGKILL");
    await next.exited;
    for (const spare of queue) spare.child.kill("SIGKILL");
    await Promise.all(queue.map((q) => q.exited));

    expect(insideLock + outsideLock).toBe(KILLS);
    expect(insideLock).toBeGreaterThan(0);
    // A writer SIGKILLed while holding the lock leaves the lock directory behind; the next writer
    // must clear it at once (holder pid dead), far below proper-lockfile's 10 s stale time.
    expect(lockLeftBehind).toBeGreaterThan(0);
    expect(Math.max(...waits)).toBeLessThan(5_000);
    // no temp files left to grow without bound beyond the current writer's
    const strays = fs.readdirSync(home).filter((f) => f.includes(".stale-"));
    expect(strays).toEqual([]);
    console.log(
      `crash test in ${Date.now() - t0} ms: ${KILLS} kills (${insideLock} inside the lock, ${outsideLock} outside; ${lockLeftBehind} left a lock behind); max next-writer lock wait ${Math.max(...waits)} ms`,
    );
  }, 300_000);

  it("8 processes × 50 read-modify-write updates of one counter → 400", async () => {
    const home = path.join(root, "counter");
    await new EncryptedFileStore({ home }).set("Counter", "0");
    const workers = Array.from({ length: 8 }, () => startWorker(["counter", home, "50"]));
    const t0 = Date.now();
    await Promise.all(workers.map((w) => w.waitFor((l) => l === "ready")));
    for (const w of workers) w.child.stdin.write("go\n");
    const codes = await Promise.all(workers.map((w) => w.exited));
    expect(codes).toEqual(Array(8).fill(0));
    expect((await new EncryptedFileStore({ home }).get("Counter"))?.value).toBe("400");
    expect(fs.existsSync(path.join(home, "store.enc.lock"))).toBe(false);
    console.log(
      `counter test: 400 locked increments by 8 processes in ${Date.now() - t0} ms (start-up included)`,
    );
  }, 300_000);
});
