import type { Command } from "commander";

/** Placeholder until the foundation issue lands the catalogue command. */
export function define(program: Command): void {
  program
    .command("explain")
    .description("Explain an AADSTS code or a Microsoft error response")
    .argument("[code]", "AADSTS code, or - to read a response from stdin")
    .action(() => {
      process.stdout.write("not yet\n");
    });
}
