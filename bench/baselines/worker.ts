/**
 * Child-process entry of bench/fanout-compare.ts: runs one variant and prints one JSON line
 * (`FanoutBenchResult`). Input comes as a JSON file named by `BENCH_FANOUT_INPUT_FILE` (0600, read
 * then deleted; never on argv or in the environment, so the
 * refresh token and secret do not show in `ps`).
 *
 *   BENCH_FANOUT_INPUT_FILE=/tmp/…/input.json node --import tsx bench/baselines/worker.ts openid-client|msal-node|samkit-library
 *
 * (A file, not an environment variable: 10,000 tenant IDs exceed the kernel's per-string limit, E2BIG.)
 */
import { readFileSync, rmSync } from "node:fs";
import type { FanoutBenchInput, FanoutBenchResult } from "./types.js";

const variant = process.argv[2];
const inputFile = process.env["BENCH_FANOUT_INPUT_FILE"];
if (inputFile === undefined) throw new Error("BENCH_FANOUT_INPUT_FILE is not set");
const input = JSON.parse(readFileSync(inputFile, "utf8")) as FanoutBenchInput;
rmSync(inputFile, { force: true });
delete process.env["BENCH_FANOUT_INPUT_FILE"];

async function run(): Promise<Omit<FanoutBenchResult, "peakRssKb">> {
  switch (variant) {
    case "openid-client":
      return (await import("./openid-client.js")).runOpenidClientFanout(input);
    case "msal-node":
      return (await import("./msal-node.js")).runMsalFanout(input);
    case "samkit-library":
      return (await import("./samkit-library.js")).runSamkitLibraryFanout(input);
    default:
      throw new Error(`unknown variant ${String(variant)}`);
  }
}

const cpu0 = process.cpuUsage();
const ran = await run();
const cpu = process.cpuUsage(cpu0);
const result: FanoutBenchResult = { ...ran, peakRssKb: process.resourceUsage().maxRSS, cpuMs: Math.round((cpu.user + cpu.system) / 1000) };
process.stdout.write(`${JSON.stringify(result)}\n`);
