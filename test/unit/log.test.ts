/**
 * The logger (src/log/logger.ts): levels filter lines, pino's deny-list still censors secrets,
 * and pino is not loaded until a line is written (a fresh Node process checks its module cache).
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/log/logger.js";

function sink(): { lines: () => Record<string, unknown>[]; stream: Writable } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, lines: () => chunks.join("").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe("logger", () => {
  it("writes lines at its level and above, as pino JSON with the message", () => {
    const out = sink();
    const log = createLogger({ level: "warn", destination: out.stream });
    log.debug({ a: 1 }, "not written");
    log.info({ a: 2 });
    log.warn({ a: 3 }, "written");
    log.error({ a: 4 });
    expect(out.lines().map((l) => [l["level"], l["a"], l["msg"]])).toEqual([
      [40, 3, "written"],
      [50, 4, undefined],
    ]);
    expect(log.level).toBe("warn");
    expect([log.isLevelEnabled("debug"), log.isLevelEnabled("warn"), log.isLevelEnabled("fatal"), log.isLevelEnabled("nonsense")]).toEqual([false, true, true, false]);
  });

  it("silent writes nothing; pino's deny-list still censors a secret a caller forgot to redact", () => {
    const quiet = sink();
    const silent = createLogger({ level: "silent", destination: quiet.stream });
    silent.fatal({ a: 1 }, "no");
    expect(silent.isLevelEnabled("fatal")).toBe(false);
    expect(quiet.lines()).toEqual([]);
    const out = sink();
    createLogger({ level: "debug", destination: out.stream }).debug({ http: { refresh_token: "0.SECRET", status: 200 } }, "x");
    expect(out.lines()[0]?.["http"]).toEqual({ refresh_token: "REDACTED", status: 200 });
  });

  it("does not load pino until a line is written", () => {
    const logger = resolve(import.meta.dirname, "../../dist/src/log/logger.js");
    const script = `
      import { createRequire } from "node:module";
      const { createLogger } = await import(${JSON.stringify(logger)});
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => /node_modules[\\\\/]pino[\\\\/]/.test(k));
      const log = createLogger({ level: "warn" });
      log.debug({ a: 1 }, "below the level");
      const before = loaded();
      log.warn({ a: 1 }, "a line");
      console.log(JSON.stringify({ before, after: loaded() }));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    expect(JSON.parse(out.trim().split("\n").pop()!)).toEqual({ before: false, after: true });
  });
});
