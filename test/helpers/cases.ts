/**
 * The shared test cases (shared/cases/, copied into test/fixtures/cases so a clean clone has
 * them). Each case: `{story, response: {status, headers, body}, expect}`.
 */
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

export interface CaseFile {
  readonly name: string;
  readonly file: string;
  readonly story: string;
  readonly response: { readonly status: number; readonly headers: Record<string, string>; readonly body: unknown };
  readonly expect: {
    readonly action: string;
    readonly aadsts?: number;
    readonly retry_after_seconds?: number;
    readonly partner_center_code?: number | string;
    readonly graph_code?: string;
  };
}

/** Folder of the identity-error cases. */
export const IDENTITY_CASES_DIR = fileURLToPath(new URL("../fixtures/cases/identity-errors/", import.meta.url));

/** Every case of `dir` (default: identity errors), sorted by file name. */
export function loadCases(dir: string = IDENTITY_CASES_DIR): CaseFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      const data = JSON.parse(readFileSync(file, "utf8")) as Omit<CaseFile, "name" | "file">;
      return { ...data, name: f.replace(/\.json$/, ""), file };
    });
}
