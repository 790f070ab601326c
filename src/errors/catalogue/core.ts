import type { CatalogueEntry } from "../types.js";

/** General errors: usage, configuration, internal. */
export const coreErrors = {
  SAMKIT_USAGE: {
    message: "{detail}",
    nextStep: "Run `samkit help {command}` to see the commands and their options.",
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
  SAMKIT_HOME_NOT_A_FOLDER: {
    message: "SAMKIT_HOME ({home}) is not a folder: samkit keeps its configuration, secret store and token cache in a folder there.",
    nextStep: "Set SAMKIT_HOME to a folder (it is created when missing), or unset it to use the default.",
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
