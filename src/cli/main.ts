import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { commands } from "./registry.js";
import { SamkitError } from "../errors/index.js";
import { ExitCode } from "../errors/types.js";
import { argvWantsJson } from "./options.js";
import { printError } from "./output.js";

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

/** Program-level options that take a separate value (`--log-level warn`): that value is not a command. */
const PROGRAM_OPTIONS_WITH_VALUE: ReadonlySet<string> = new Set(["--log-level"]);

/**
 * The positional words of `argv` before `--`, skipping the values of program-level options
 * (`samkit --log-level warn status` → `["status"]`). The first one is the command name.
 */
export function commandWords(argv: readonly string[]): string[] {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") break;
    if (PROGRAM_OPTIONS_WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (!a.startsWith("-")) words.push(a);
  }
  return words;
}

/** `samkit help X` / `samkit X …`: the words naming the command whose help fits a usage error. */
function helpTopic(program: Command, words: readonly string[]): string {
  const first = words[0] === "help" ? words.slice(1) : words;
  const top = program.commands.find((c) => c.name() === first[0]);
  if (top === undefined) return "";
  const sub = top.commands.find((c) => c.name() === first[1]);
  return sub === undefined ? top.name() : `${top.name()} ${sub.name()}`;
}

function usageError(detail: string, command: string): SamkitError {
  return new SamkitError("SAMKIT_USAGE", { params: { detail, command } });
}

/**
 * A reader that stops early (`samkit foreach … | head -1`) closes the pipe: the next write fails
 * with EPIPE. That is a normal end for a CLI, not an error: stop quietly, as Unix tools do, instead
 * of letting an unhandled `'error'` event print a stack trace. Exit 0 mirrors `head`'s view that
 * it got what it wanted; nothing stored is touched by the write that failed. `foreach` handles a
 * closed stdout itself (most tenants never ran: it exits with the interrupted code, not 0).
 */
function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (err: NodeJS.ErrnoException) => {
      // A command that handles its own stream errors (foreach: stop scheduling, exit with the
      // interrupted code) has added a listener after this one: leave the error to it.
      if (stream.listenerCount("error") > 1) return;
      if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
}

/**
 * CLI entry. Loads only the module of the command named in `argv` (lazy), runs it and returns
 * the process exit code (CONTRACTS §5: 0 ok, 1 error, 2 usage, 3 partial, 4 re-consent). Errors
 * are printed by `printError` (catalogue code, message, next step; JSON on stderr with `--json`);
 * commander's own usage errors (unknown command or option, missing value or argument) become
 * `SAMKIT_USAGE` (exit 2) in both text and JSON mode. A stack trace never reaches the user.
 */
export async function main(argv: readonly string[]): Promise<number> {
  endQuietlyOnClosedPipe();
  const json = argvWantsJson(argv);
  const level = logLevelFromArgv(argv);
  if (level !== undefined) {
    const { createLogger, isLogLevel, setLogger } = await import("../log/logger.js");
    if (isLogLevel(level)) setLogger(createLogger({ level }));
  }
  /** Commander's last error line; printed as a catalogue error once the parse has failed. */
  let usageDetail: string | undefined;
  const program = new Command("samkit")
    .description("Secure Application Model toolkit for Partner Center, Microsoft Graph and Azure")
    .version(packageVersion(), "-V, --version")
    .option("--log-level <level>", "log level on stderr: fatal, error, warn, info, debug, trace, silent (env SAMKIT_LOG_LEVEL)")
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      outputError: (str) => {
        usageDetail = str.replace(/^error:\s*/i, "").trim();
      },
    });
  const words = commandWords(argv);
  const name = words[0];
  // `samkit help token` shows the real help of `token` (its module is loaded, not a stub).
  const target = name === "help" ? words[1] : name;
  const entry = commands.find((c) => c.name === target);
  try {
    if (name === "help" && target !== undefined && entry === undefined) {
      throw usageError(`unknown command '${target}'`, "");
    }
    if (entry) {
      const mod = await entry.load();
      mod.define(program);
    } else {
      for (const c of commands) program.command(c.name).description(c.summary);
      // `--json` is a shared flag of every command (docs/cli.md); without a known command it only
      // selects JSON errors (argvWantsJson), so `samkit --json frobnicate` reports the unknown
      // command, not an unknown `--json`.
      program.addOption(new Option("--json", "print errors as JSON").hideHelp());
    }
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : ExitCode.Ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return ExitCode.Ok;
      if (err.exitCode === 0) return ExitCode.Ok;
      const detail = usageDetail ?? err.message.replace(/^error:\s*/i, "").trim();
      printError(usageError(detail, helpTopic(program, words)), { json });
      return ExitCode.Usage;
    }
    return printError(err, { json });
  }
}
