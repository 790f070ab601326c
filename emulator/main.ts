/**
 * `samkit-emulator` CLI: a thin wrapper around {@link EmulatorServer}.
 *
 * `samkit-emulator start [--port N] [--seed-customers N] [--latency-ms N] [--tls]
 *   [--strict-rotation] [--seed S] [--data-dir DIR] [--config scenario.json]` prints one JSON line (the cloud
 * definition, CONTRACTS §1) on stdout when ready and stops cleanly on SIGINT/SIGTERM.
 * Exit codes: 0 stopped cleanly, 1 runtime error (e.g. port taken), 2 usage or unreadable config.
 */
import { readFile } from "node:fs/promises";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import { z } from "zod/v3";
import { scenarioRuleSchema } from "./scenarios.js";
import { EmulatorServer, type EmulatorServerOptions } from "./server.js";

/** Schema of `--config` files. Flags override file values. */
const configSchema = z
  .object({
    port: z.number().int().min(0).max(65_531).optional(),
    seedCustomers: z.number().int().min(0).max(100_000).optional(),
    latencyMs: z.number().int().min(0).optional(),
    tls: z.boolean().optional(),
    strictRotation: z.boolean().optional(),
    seed: z.string().min(1).optional(),
    dataDir: z.string().min(1).optional(),
    scenarios: z.array(scenarioRuleSchema).optional(),
  })
  .strict();

class UsageError extends Error {}

function intOption(name: string, min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}.`);
    return n;
  };
}

async function loadConfig(path: string): Promise<z.infer<typeof configSchema>> {
  let raw: string;
  try {
    raw = await readFile(path, "utf8");
  } catch (e) {
    throw new UsageError(`Cannot read config file '${path}': ${(e as NodeJS.ErrnoException).code ?? "error"}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new UsageError(`Config file '${path}' is not valid JSON.`);
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) throw new UsageError(`Config file '${path}' is invalid: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}.`);
  return parsed.data;
}

interface StartFlags {
  port?: number;
  seedCustomers?: number;
  latencyMs?: number;
  tls?: boolean;
  strictRotation?: boolean;
  seed?: string;
  dataDir?: string;
  config?: string;
}

/** Wait for SIGINT or SIGTERM (or an injected abort). */
function untilSignal(signal?: AbortSignal): Promise<string> {
  return new Promise((resolve) => {
    const done = (name: string) => {
      process.off("SIGINT", onInt);
      process.off("SIGTERM", onTerm);
      resolve(name);
    };
    const onInt = () => done("SIGINT");
    const onTerm = () => done("SIGTERM");
    process.on("SIGINT", onInt);
    process.on("SIGTERM", onTerm);
    signal?.addEventListener("abort", () => done("abort"), { once: true });
  });
}

async function start(flags: StartFlags, io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream; signal?: AbortSignal }): Promise<number> {
  const file = flags.config ? await loadConfig(flags.config) : {};
  const options: EmulatorServerOptions = {
    ...file,
    ...(flags.port !== undefined ? { port: flags.port } : {}),
    ...(flags.seedCustomers !== undefined ? { seedCustomers: flags.seedCustomers } : {}),
    ...(flags.latencyMs !== undefined ? { latencyMs: flags.latencyMs } : {}),
    ...(flags.tls ? { tls: true } : {}),
    ...(flags.strictRotation ? { strictRotation: true } : {}),
    ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
    ...(flags.dataDir !== undefined ? { dataDir: flags.dataDir } : {}),
  };
  const server = new EmulatorServer(options);
  let cloud;
  try {
    cloud = await server.start();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr.write(`samkit-emulator: cannot start: ${code === "EADDRINUSE" ? "a port in the range is already in use; pass --port 0 for free ports" : e instanceof Error ? e.message : String(e)}\n`);
    await server.stop();
    return 1;
  }
  io.stdout.write(`${JSON.stringify(cloud)}\n`);
  const why = await untilSignal(io.signal);
  await server.stop();
  io.stderr.write(`samkit-emulator: stopped (${why})\n`);
  return 0;
}

/**
 * Run the CLI. Resolves with the exit code.
 * @param argv arguments after the program name, e.g. `["start", "--port", "0"]`.
 */
export async function main(argv: readonly string[], io: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream; signal?: AbortSignal } = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let result: Promise<number> = Promise.resolve(0);
  const program = new Command("samkit-emulator")
    .description("The offline Microsoft cloud for samkit: identity platform, Partner Center, Graph, ARM and Key Vault on 127.0.0.1.")
    .exitOverride()
    .configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) });
  program
    .command("start")
    .description("Start the emulator; prints the cloud definition as one JSON line when ready; Ctrl-C stops it.")
    .option("--port <n>", "first port (identity); services use n+1..n+4; 0 = free ports", intOption("--port", 0, 65_531))
    .option("--seed-customers <n>", "number of seeded customer tenants (default 25)", intOption("--seed-customers", 0, 100_000))
    .option("--latency-ms <n>", "latency added to every request, milliseconds", intOption("--latency-ms", 0, 600_000))
    .option("--tls", "serve HTTPS with a self-signed certificate (path in caCertPath)")
    .option("--strict-rotation", "reusing a rotated refresh token revokes its whole family")
    .option("--seed <s>", "world seed (default samkit)")
    .option("--data-dir <dir>", "folder that keeps Key Vault secrets across restarts (default: memory only)")
    .option("--config <file>", "JSON file: {port, seedCustomers, latencyMs, tls, strictRotation, seed, dataDir, scenarios: [...]}")
    .addHelpText(
      "after",
      `
Examples:
  $ samkit-emulator start --port 0
  $ samkit-emulator start --port 7070 --seed-customers 10000 --tls
  $ samkit-emulator start --port 0 --data-dir ./.emulator-data   # Key Vault secrets survive restarts
  $ SAMKIT_EMULATOR_URL=$(samkit-emulator start --port 0 | head -1 | jq -r .url)   # in a script`,
    )
    .action((flags: StartFlags) => {
      result = start(flags, { stdout, stderr, ...(io.signal ? { signal: io.signal } : {}) });
    });
  try {
    await program.parseAsync(["node", "samkit-emulator", ...argv]);
    if (argv.length === 0) {
      stderr.write(program.helpInformation());
      return 2;
    }
    return await result;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof UsageError) {
      stderr.write(`samkit-emulator: ${e.message}\n`);
      return 2;
    }
    stderr.write(`samkit-emulator: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
