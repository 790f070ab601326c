/**
 * Options every command that talks to Microsoft shares, mirrored by `SAMKIT_*` variables
 * (CONTRACTS §6). `--log-level` is a program-level option added by `main.ts`.
 */
import type { Command } from "commander";
import type { ConfigFlags } from "../config/load.js";

/** The shared flags, as parsed (commander's camelCase). */
export interface GlobalFlags extends ConfigFlags {
  /** `--json`: machine-readable output (data on stdout, errors as JSON on stderr). */
  readonly json?: boolean;
}

/** Options for {@link addGlobalOptions}. */
export interface AddGlobalOptionsOptions {
  /** Add `--json` too (default true). */
  readonly json?: boolean;
}

const GLOBAL_OPTIONS: readonly [flags: string, description: string][] = [
  ["--profile <name>", "profile (one partner per profile; env SAMKIT_PROFILE, default: default)"],
  ["--cloud <name>", "cloud: global, usgov, china or emulator (env SAMKIT_CLOUD, default: global)"],
  ["--emulator-url <url>", "emulator identity URL for --cloud emulator (env SAMKIT_EMULATOR_URL)"],
  ["--store <kind>", "secret store: file or keyvault (env SAMKIT_STORE, default: file)"],
  ["--vault-url <url>", "Key Vault URL for --store keyvault (env SAMKIT_VAULT_URL)"],
  ["--rotation <policy>", "refresh-token rotation: lenient or strict (env SAMKIT_ROTATION, default: lenient)"],
];

/**
 * Add `--profile`, `--cloud`, `--emulator-url`, `--store`, `--vault-url`, `--rotation` and
 * (unless `json: false`) `--json` to `cmd`. Options `cmd` already has are left alone, so this
 * composes with other helpers. Returns `cmd`.
 */
export function addGlobalOptions(cmd: Command, options: AddGlobalOptionsOptions = {}): Command {
  const has = (flags: string) => {
    const long = flags.split(" ")[0];
    return cmd.options.some((o) => o.long === long);
  };
  for (const [flags, description] of GLOBAL_OPTIONS) if (!has(flags)) cmd.option(flags, description);
  if (options.json !== false && !has("--json")) cmd.option("--json", "print JSON (errors go to stderr as JSON too)");
  return cmd;
}

/** The shared flags of `cmd` (its own options and the program's, e.g. `--log-level`). */
export function readGlobalOptions(cmd: Command): GlobalFlags {
  const o = cmd.optsWithGlobals<Record<string, unknown>>();
  const s = (k: string): string | undefined => (typeof o[k] === "string" ? o[k] : undefined);
  const flags: Record<string, string | boolean> = {};
  for (const k of ["profile", "cloud", "emulatorUrl", "store", "vaultUrl", "rotation", "logLevel"] as const) {
    const v = s(k);
    if (v !== undefined) flags[k] = v;
  }
  if (o["json"] === true) flags["json"] = true;
  return flags;
}

/** True when `argv` asks for JSON output (`--json`, `--jsonl`); used to print errors as JSON before commander ran. */
export function argvWantsJson(argv: readonly string[]): boolean {
  return argv.some((a) => a === "--json" || a === "--jsonl" || a.startsWith("--json="));
}
