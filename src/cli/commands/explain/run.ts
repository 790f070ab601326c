/** `samkit explain`: flags → the catalogue lookups of `src/errors/explain.ts` → output. */
import { aadstsTable, explainCode, explainText, type SamkitError } from "../../../errors/index.js";
import { colorEnabled, diag, printData, printJson, style, type OutputStream } from "../../output.js";
import type { ExplainOptions } from "./index.js";

/** Streams `runExplain` uses (process streams in the CLI, doubles in tests). */
export interface ExplainIo {
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
}

async function readAll(stream: NodeJS.ReadableStream, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === "string" ? Buffer.from(chunk) : (chunk);
    size += b.length;
    if (size > limit) break; // explainText reports the oversized input
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString("utf8") + (size > limit ? " ".repeat(limit) : "");
}

function printHuman(e: SamkitError, out: OutputStream): void {
  const s = style(colorEnabled(out));
  const lines = [`${s.bold(e.code)}  (action: ${e.action})`, e.message];
  const refs: string[] = [];
  if (e.aadsts !== undefined) refs.push(`AADSTS${e.aadsts}`);
  if (e.status !== undefined) refs.push(`HTTP ${e.status}`);
  if (e.partnerCenterCode !== undefined) refs.push(`Partner Center code ${e.partnerCenterCode}`);
  if (e.graphCode !== undefined) refs.push(`code ${e.graphCode}`);
  if (e.retryAfterSeconds !== undefined) refs.push(`retry after ${e.retryAfterSeconds} s`);
  if (e.identity?.trace_id) refs.push(`trace ID ${e.identity.trace_id}`);
  if (e.identity?.correlation_id) refs.push(`correlation ID ${e.identity.correlation_id}`);
  if (refs.length > 0) lines.push(s.dim(refs.join(" · ")));
  if (e.serviceMessage && !e.message.includes(e.serviceMessage)) lines.push(`Service said: ${e.serviceMessage}`);
  lines.push(`Next step: ${e.nextStep}`);
  out.write(lines.join("\n") + "\n");
}

/**
 * Run `samkit explain`. Prints the classification (exit 0); unreadable input throws
 * `SAMKIT_EXPLAIN_UNREADABLE`, which `main` prints and maps to exit 2.
 */
export async function runExplain(code: string | undefined, opts: ExplainOptions, io: ExplainIo): Promise<void> {
  if (code === undefined) {
    const rows = aadstsTable();
    printData(rows, {
      json: opts.json === true,
      stream: io.stdout,
      columns: [
        { header: "aadsts", value: (r) => r.aadsts },
        { header: "code", value: (r) => r.code },
        { header: "action", value: (r) => r.action },
      ],
    });
    return;
  }
  let result: SamkitError;
  if (code === "-") {
    if (io.stdin.isTTY === true) diag("Paste the error response, then press Ctrl-D:", io.stderr);
    result = explainText(await readAll(io.stdin, 1_000_000));
  } else {
    result = explainCode(code);
  }
  if (opts.json === true) printJson(result.toJSON(), io.stdout);
  else printHuman(result, io.stdout);
}
