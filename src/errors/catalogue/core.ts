import type { CatalogueEntry } from "../types.js";

/** General errors: usage, configuration, internal. */
export const coreErrors = {
  SAMKIT_USAGE: {
    message: "{detail}",
    nextStep: "Run `samkit help {command}` for the options this command takes.",
    action: "fix-input",
  },
  SAMKIT_INVALID_INPUT: {
    message: "{detail}",
    nextStep: "Check the value and try again.",
    action: "fix-input",
  },
  SAMKIT_CONFIG_INVALID: {
    message: "The configuration in {path} is not valid: {detail}",
    nextStep: "Fix or delete {path} (see docs/configuration.md for its keys), or override the value with a flag or SAMKIT_* variable.",
    action: "fix-input",
  },
  SAMKIT_CONFIG_WRITE_FAILED: {
    message: "Could not write the configuration to {path}: {detail}",
    nextStep: "Check that SAMKIT_HOME ({home}) is writable by you.",
    action: "none",
  },
  SAMKIT_EXPLAIN_UNREADABLE: {
    message: "samkit could not read an error from the input: {detail}",
    nextStep: "Pass an AADSTS code (`samkit explain 70008`), or pipe a JSON error body or a case file (`{\"response\":{...}}`) into `samkit explain -`.",
    action: "fix-input",
  },
  SAMKIT_INTERNAL: {
    message: "samkit hit an unexpected internal error: {detail}",
    nextStep: "Re-run with SAMKIT_LOG_LEVEL=debug and report the output (it is redacted).",
    action: "none",
  },
} as const satisfies Record<string, CatalogueEntry>;
