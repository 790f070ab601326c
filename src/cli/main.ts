import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { commands } from "./registry.js";
import { ExitCode } from "../errors/types.js";
import { argvWantsJson } from "./options.js";
import { printError, printJson } from "./output.js";

function packageVersion(): string {
  for (const rel of ["../../../package.json", "../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "samkit" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // try the next layout (dist/src/cli or src/cli)
    }
  }
  return "0.0.0";
}

function logLevelFromArgv(argv: readonly string[]): string | undefined {
  const i = argv.indexOf("--log-level");
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith("--log-level="));
  return eq?.slice("--log-level=".length);
}

/**
 * CLI entry. Loads only the module of the command named in `argv` (lazy), runs it and returns
 * the process exit code (CONTRACTS §5: 0 ok, 1 error, 2 usage, 3 partial, 4 re-consent). Errors
 * are printed by `printError` (catalogue code, message, next step; JSON on stderr with `--json`);
 * a stack trace never reaches the user.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const json = argvWantsJson(argv);
  const level = logLevelFromArgv(argv);
  if (level !== undefined) {
    const { createLogger, isLogLevel, setLogger } = await import("../log/logger.js");
    if (isLogLevel(level)) setLogger(createLogger({ level }));
  }
  const program = new Command("samkit")
    .description("Secure Application Model toolkit for Partner Center, Microsoft Graph and Azure")
    .version(packageVersion(), "-V, --version")
    .option("--log-level <level>", "log level on stderr: fatal, error, warn, info, debug, trace, silent (env SAMKIT_LOG_LEVEL)")
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      outputError: (str, write) => {
        if (json) {
          const message = str.replace(/^error:\s*/i, "").trim();
          printJson(
            {
              error: {
                code: "SAMKIT_USAGE",
                action: "fix-input",
                message,
                nextStep: "Run `samkit help` or `samkit <command> --help` for the options.",
              },
            },
            { write: (s: string) => write(s) },
          );
        } else write(str);
      },
    });
  const name = argv.find((a) => !a.startsWith("-"));
  const entry = commands.find((c) => c.name === name);
  try {
    if (entry) {
      const mod = await entry.load();
      mod.define(program);
    } else {
      for (const c of commands) program.command(c.name).description(c.summary);
    }
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : ExitCode.Ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return ExitCode.Ok;
      return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    return printError(err, { json });
  }
}
