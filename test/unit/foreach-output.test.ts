/**
 * `samkit foreach` output batching (src/cli/commands/foreach/output.ts): records keep their order,
 * short records become few writes, a full stream pushes back until `drain`, and `flush` writes
 * what is queued.
 */
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { batchedOut, type TextOut } from "../../src/cli/commands/foreach/output.js";

/** A stream that records writes and reports "full" (write → false) while `full` is set. */
class FakeStream extends EventEmitter implements TextOut {
  readonly writes: string[] = [];
  full = false;
  write(chunk: string): boolean {
    this.writes.push(chunk);
    return !this.full;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe("foreach batched output", () => {
  it("gathers records written within the delay into one write, in order", async () => {
    const out = new FakeStream();
    const b = batchedOut(out, { delayMs: 10 });
    for (let i = 0; i < 100; i++) expect(b.write(`r${i}\n`)).toBeUndefined();
    expect(out.writes).toEqual([]);
    await sleep(30);
    expect(out.writes).toHaveLength(1);
    expect(out.writes[0]).toBe(Array.from({ length: 100 }, (_, i) => `r${i}\n`).join(""));
  });

  it("writes at once when the queued text reaches maxBytes", () => {
    const out = new FakeStream();
    const b = batchedOut(out, { delayMs: 10_000, maxBytes: 10 });
    void b.write("12345");
    expect(out.writes).toEqual([]);
    void b.write("67890");
    expect(out.writes).toEqual(["1234567890"]);
    return b.flush();
  });

  it("returns the drain wait while the stream is full, and resolves it on drain", async () => {
    const out = new FakeStream();
    out.full = true;
    const b = batchedOut(out, { delayMs: 10_000, maxBytes: 1 });
    const wait = b.write("a\n");
    expect(wait).toBeInstanceOf(Promise);
    expect(b.write("b\n")).toBe(wait); // still full: queued behind the same wait
    expect(out.writes).toEqual(["a\n"]);
    let drained = false;
    void wait!.then(() => (drained = true));
    await sleep(5);
    expect(drained).toBe(false);
    out.full = false;
    out.emit("drain");
    await wait;
    expect(drained).toBe(true);
    expect(out.writes).toEqual(["a\n", "b\n"]); // what gathered is written on drain
    expect(b.write("c\n")).toBeUndefined();
    expect(out.writes).toEqual(["a\n", "b\n", "c\n"]);
  });

  it("flush waits for a full stream to drain and writes what gathered meanwhile", async () => {
    const out = new FakeStream();
    out.full = true;
    const b = batchedOut(out, { delayMs: 10_000, maxBytes: 1 });
    void b.write("a\n");
    void b.write("b\n");
    let flushed = false;
    const f = b.flush().then(() => (flushed = true));
    await sleep(5);
    expect(flushed).toBe(false);
    out.full = false;
    out.emit("drain");
    await f;
    expect(out.writes).toEqual(["a\n", "b\n"]);
  });

  it("flush writes what is queued and cancels the timer", async () => {
    const out = new FakeStream();
    const b = batchedOut(out, { delayMs: 20 });
    void b.write("x\n");
    void b.write("y\n");
    await b.flush();
    expect(out.writes).toEqual(["x\ny\n"]);
    await sleep(40);
    expect(out.writes).toEqual(["x\ny\n"]);
    await b.flush();
    expect(out.writes).toEqual(["x\ny\n"]);
  });
});
