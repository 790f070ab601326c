/**
 * Child-process entry of bench/fanout-compare.ts: runs one variant and prints one JSON line
 * (`FanoutBenchResult`). Input comes as JSON in `BENCH_FANOUT_INPUT` (never on argv, so the
 * refresh token and secret do not show in `ps`).
 *
 *   BENCH_FANOUT_INPUT='{…}' node --import tsx bench/baselines/worker.ts openid-client|msal-node|samkit-library
 */
import type { FanoutBenchInput, FanoutBenchResult } from "./types.js";

const variant = process.argv[2];
const input = JSON.parse(process.env["BENCH_FANOUT_INPUT"] ?? "{}") as FanoutBenchInput;
delete process.env["BENCH_FANOUT_INPUT"];

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
