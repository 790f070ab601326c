import type { Command } from "commander";

/** What a command module exports: it adds its (sub)commands, flags and actions to `program`. */
export interface CommandModule {
  define(program: Command): void;
}

/** One top-level noun of the CLI. Modules load lazily so start-up stays fast. */
export interface CommandEntry {
  readonly name: string;
  readonly summary: string;
  readonly load: () => Promise<CommandModule>;
}

/**
 * Every top-level command. Keep this list small and sorted by the flow of the Secure Application
 * Model; each entry points at `commands/<noun>/index.ts`, which wires `commands/<noun>/<verb>.ts`.
 */
export const commands: readonly CommandEntry[] = [
  { name: "app", summary: "Create, rotate or adopt the Secure Application Model app registration", load: () => import("./commands/app/index.js") },
  { name: "consent", summary: "Sign in as the partner admin with MFA and store the refresh token", load: () => import("./commands/consent/index.js") },
  { name: "token", summary: "Print an access token for a resource and tenant (cached)", load: () => import("./commands/token/index.js") },
  { name: "customers", summary: "List and show Partner Center customers; application consent per customer", load: () => import("./commands/customers/index.js") },
  { name: "api", summary: "Call Partner Center, Microsoft Graph or ARM with the stored consent (like gh api)", load: () => import("./commands/api/index.js") },
  { name: "foreach", summary: "Run one api request in every customer tenant", load: () => import("./commands/foreach/index.js") },
  { name: "status", summary: "What is stored where, refresh-token and secret expiry, tenant health; --renew keeps it alive", load: () => import("./commands/status/index.js") },
  { name: "profile", summary: "List the partner profiles in the secret store, or delete one (offboarding)", load: () => import("./commands/profile/index.js") },
  { name: "store", summary: "Move secrets between the encrypted file and Azure Key Vault (store migrate)", load: () => import("./commands/store/index.js") },
  { name: "explain", summary: "Explain an AADSTS code or a Microsoft error response", load: () => import("./commands/explain/index.js") },
];
