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
  SAMKIT_INTERNAL: {
    message: "samkit hit an unexpected internal error: {detail}",
    nextStep: "Re-run with SAMKIT_LOG_LEVEL=debug and report the output (it is redacted).",
    action: "none",
  },
} as const satisfies Record<string, CatalogueEntry>;
