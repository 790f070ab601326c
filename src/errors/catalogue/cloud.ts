import type { CatalogueEntry } from "../types.js";

/** Errors of the national-cloud table (`src/cloud/`). Facts: shared/facts/clouds.md. */
export const cloudErrors = {
  SAMKIT_CLOUD_UNKNOWN: {
    message: "Unknown cloud '{cloud}'.",
    nextStep: "Pass --cloud (or set SAMKIT_CLOUD) to one of: {valid}.",
    action: "fix-input",
  },
  SAMKIT_CLOUD_RETIRED: {
    message: "The {cloud} cloud was retired by Microsoft in 2021 (Microsoft Cloud Deutschland closed on 2021-10-29); samkit cannot use it.",
    nextStep: "Use the global cloud (--cloud global); tenants that lived in Germany were migrated there.",
    action: "check-cloud",
    // Bad input like an unknown cloud name: exit 2, not 1.
    exitCode: 2,
  },
  SAMKIT_CLOUD_EMULATOR_URL_MISSING: {
    message: "The emulator cloud needs the emulator's identity URL.",
    nextStep: "Set SAMKIT_EMULATOR_URL (or pass --emulator-url) to the `url` printed by `samkit-emulator start`.",
    action: "fix-input",
  },
  SAMKIT_CLOUD_EMULATOR_UNREADABLE: {
    message: "The emulator at {url} did not return a usable cloud definition from /_emulator/cloud ({detail}).",
    nextStep: "Check that `samkit-emulator start` is running and that SAMKIT_EMULATOR_URL is its `url`.",
    action: "fix-input",
    exitCode: 1,
  },
  SAMKIT_RESOURCE_UNKNOWN: {
    message: "Unknown resource '{resource}'.",
    nextStep: "Use one of: {valid}, or a resource URI such as https://graph.microsoft.com.",
    action: "fix-input",
  },
  SAMKIT_RESOURCE_NOT_IN_CLOUD: {
    message: "No resource of the {cloud} cloud serves {url}.",
    nextStep: "Pass --resource with the resource for this URL, or use a URL of one of: {valid}.",
    action: "fix-input",
  },
} as const satisfies Record<string, CatalogueEntry>;
