/**
 * Child process for the store crash and concurrency tests (not a test file itself).
 * Usage: node --import tsx store-worker.child.ts <counter|crash> <home> [iterations]
 * Waits for a "go" line on stdin (so process start-up is not measured), then:
 *  - counter: `iterations` read-modify-write increments of secret `Counter` under the lock;
 *  - crash: increments `Counter` forever (plus a padding secret so writes take a while),
 *    printing `locked`, `writing N`, `wrote N`, `unlocked` markers; the parent SIGKILLs it.
 * Prints `wait <ms>` for its first lock acquisition. Stdout to a pipe is synchronous on Linux,
 * so every marker printed before a SIGKILL reaches the parent.
 */
import { randomBytes } from "node:crypto";
import { EncryptedFileStore } from "../../src/store/file/file-store.js";

const [mode, home, iterations] = process.argv.slice(2);
const store = new EncryptedFileStore({ home: home!, timeoutMs: 60_000 });
const say = (line: string) => process.stdout.write(`${line}\n`);

async function increment(markers: boolean, first: boolean): Promise<void> {
  const t0 = Date.now();
  await store.withLock(async () => {
    if (first) say(`wait ${Date.now() - t0}`);
    if (markers) say("locked");
    const n = Number((await store.get("Counter"))?.value ?? "0");
    if (markers) {
      await store.set("Padding", randomBytes(4096 + Math.floor(Math.random() * 60_000)).toString("base64"));
      say(`writing ${n + 1}`);
    }
    await store.set("Counter", String(n + 1));
    if (markers) say(`wrote ${n + 1}`);
  });
  if (markers) say("unlocked");
}

process.stdin.once("data", () => {
  void (async () => {
    say("started");
    if (mode === "counter") {
      for (let i = 0; i < Number(iterations); i++) await increment(false, i === 0);
      say("done");
      process.exit(0);
    }
    for (let i = 0; ; i++) {
      await increment(true, i === 0);
      await new Promise((r) => setTimeout(r, Math.random() * 8));
    }
  })().catch((e: unknown) => {
    say(`error ${(e as { code?: string }).code ?? String(e)}`);
    process.exit(1);
  });
});
say("ready");
