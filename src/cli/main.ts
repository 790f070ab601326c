import { Command, CommanderError } from "commander";
import { commands } from "./registry.js";
import { isSamkitError } from "../errors/index.js";
import { ExitCode } from "../errors/types.js";

/**
 * CLI entry. Loads only the module of the command named in `argv` (lazy), runs it and returns
 * the process exit code (CONTRACTS §5). Never lets a stack trace reach the user.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command("samkit")
    .description("Secure Application Model toolkit for Partner Center, Microsoft Graph and Azure")
    .exitOverride()
    .showSuggestionAfterError(true);
  const name = argv.find((a) => !a.startsWith("-"));
  const entry = commands.find((c) => c.name === name);
  if (entry) {
    const mod = await entry.load();
    mod.define(program);
  } else {
    for (const c of commands) program.command(c.name).description(c.summary);
  }
  try {
    await program.parseAsync([...argv], { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : ExitCode.Ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help") return ExitCode.Ok;
      return err.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (isSamkitError(err)) {
      process.stderr.write(`error ${err.code}: ${err.message}\nnext step: ${err.nextStep}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`error SAMKIT_INTERNAL: ${message}\n`);
    return ExitCode.Error;
  }
}
