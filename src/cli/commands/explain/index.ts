import type { Command } from "commander";

const EXAMPLES = `
Examples:
  # What does an AADSTS code mean, and what should I do?
  samkit explain 700082
  samkit explain AADSTS90038 --json

  # Paste a whole error response (JSON body, raw HTTP response, or a log line); end with Ctrl-D
  samkit explain -

  # Classify a saved response or a case file
  samkit explain - --json < response.json

  # The whole AADSTS mapping
  samkit explain

Exit codes: 0 explained, 2 unreadable input. See docs/explain.md.`;

/** Parsed options of `samkit explain`. */
export interface ExplainOptions {
  readonly json?: boolean;
}

/** `samkit explain [CODE | -]` (docs/explain.md). */
export function define(program: Command): void {
  program
    .command("explain")
    .description("Explain an AADSTS code, a samkit error code, or a whole Microsoft error response from stdin")
    .argument("[code]", "AADSTS code (70008 or AADSTS70008), samkit code (SAMKIT_…), or - to read a response from stdin")
    .option("--json", "print JSON: code, action, message, nextStep, aadsts, retryAfterSeconds, partnerCenterCode, graphCode (absent values null)")
    .addHelpText("after", EXAMPLES)
    .action(async (code: string | undefined, opts: ExplainOptions) => {
      const { runExplain } = await import("./run.js");
      await runExplain(code, opts, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    });
}
