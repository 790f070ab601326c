import type { Command } from "commander";

/** `samkit app` (placeholder until create/rotate-secret/use land in this folder). */
export function define(program: Command): void {
  program.command("app").description("Create, rotate or adopt the Secure Application Model app registration");
}
