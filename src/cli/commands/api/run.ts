/**
 * `samkit api` behaviour behind the flags: run a spec, stream pages to stdout (one JSON document,
 * a merged array with `--paginate`, or JSON Lines with `--jsonl`), and on failure print the
 * service's error body to stderr and throw the catalogue error (main prints it with its next step
 * and exits with its code: 1, or 4 for re-consent).
 */
import { errorResponseBody, paginateApi } from "../../../api/call.js";
import type { ApiContext, ApiRequestSpec } from "../../../api/types.js";
import { isSamkitError } from "../../../errors/index.js";

/** Where `runApi` writes. */
export interface ApiOutput {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
}

function printErrorBody(body: unknown, out: ApiOutput): void {
  if (body === undefined || body === null || body === "") return;
  out.stderr.write(`${typeof body === "string" ? body : JSON.stringify(body)}\n`);
}

/**
 * Execute `spec` and print the result.
 * @throws SamkitError — the service's error (after printing its body on stderr), token errors,
 * transport errors.
 */
export async function runApi(spec: ApiRequestSpec, ctx: ApiContext, out: ApiOutput): Promise<void> {
  const merged: unknown[] = [];
  let single: unknown = null;
  let pages = 0;
  let collection = false;
  try {
    for await (const page of paginateApi(spec, ctx)) {
      pages++;
      if (spec.jsonl) {
        if (page.items) for (const item of page.items) out.stdout.write(`${JSON.stringify(item)}\n`);
        else if (page.data !== null) out.stdout.write(`${JSON.stringify(page.data)}\n`);
        continue;
      }
      if (page.items) {
        collection = true;
        merged.push(...page.items);
      }
      single = page.data;
    }
  } catch (err) {
    if (isSamkitError(err)) printErrorBody(errorResponseBody(err), out);
    throw err;
  }
  if (spec.jsonl || pages === 0) return;
  const data = spec.paginate && collection ? merged : single;
  if (data === null) return; // 204 No Content and friends: print nothing
  out.stdout.write(typeof data === "string" ? (data.endsWith("\n") ? data : `${data}\n`) : `${JSON.stringify(data, null, 2)}\n`);
}
