/**
 * How `samkit foreach` prints: JSON Lines records, or table rows streamed as tenants finish and a
 * summary with each failure's next step. Nothing here holds response data.
 */
import type { FanoutRecord, FanoutSummary } from "../../../fanout/types.js";

/** A writable text stream (process.stdout / stderr, or a test buffer). */
export interface TextOut {
  write(chunk: string): unknown;
  /** True on a terminal: `foreach` then prints an aligned table with a summary on stdout. */
  readonly isTTY?: boolean;
  /** Present on Node streams: used to wait for `drain` when `write` returns false. */
  once?(event: "drain", listener: () => void): unknown;
}

/**
 * Writes `chunk`, and when the stream's buffer is full (`write` returned false) waits for `drain`,
 * so a slow reader (a pipe into `jq`, a file on a slow disk) never makes samkit buffer every record.
 */
export function writeOut(out: TextOut, chunk: string): Promise<void> | undefined {
  const ok = out.write(chunk);
  if (ok !== false || typeof out.once !== "function") return undefined;
  return new Promise((resolve) => out.once?.("drain", resolve));
}

/** A writer that gathers short chunks into fewer, larger writes. */
export interface BatchedOut {
  /** Queue `chunk`; a promise while the stream is full (wait for it before producing more). */
  write(chunk: string): Promise<void> | undefined;
  /** Write everything queued now (and wait for `drain` if the stream is full). */
  flush(): Promise<void>;
}

/**
 * Gather records into one write per `delayMs` (default 20 ms) or per `maxBytes` (default 64 KiB),
 * whichever comes first, keeping their order. Each write to a pipe is a system call that also
 * wakes the reader; a fan-out finishing hundreds of tenants a second otherwise spends much of its
 * CPU there (docs/performance.md). Back-pressure is kept: while the stream is full, `write`
 * returns the pending `drain` wait.
 */
export function batchedOut(out: TextOut, options: { readonly delayMs?: number; readonly maxBytes?: number } = {}): BatchedOut {
  const delayMs = options.delayMs ?? 20;
  const maxBytes = options.maxBytes ?? 65_536;
  let chunks: string[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  let draining: Promise<void> | undefined;
  const writeNow = (): Promise<void> | undefined => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    // While the stream is full, keep queueing: the drain handler writes what gathered.
    if (draining !== undefined || chunks.length === 0) return draining;
    const text = chunks.join("");
    chunks = [];
    size = 0;
    const wait = writeOut(out, text);
    if (wait) {
      draining = wait.then(() => {
        draining = undefined;
        void writeNow();
      });
    }
    return draining;
  };
  return {
    write(chunk) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= maxBytes) return writeNow();
      if (draining === undefined) timer ??= setTimeout(() => void writeNow(), delayMs);
      return draining;
    },
    async flush() {
      for (let wait = writeNow(); wait !== undefined; wait = writeNow()) await wait;
    },
  };
}

/** One JSON line per tenant (CONTRACTS §7). */
export function jsonlLine(record: FanoutRecord<unknown>): string {
  return `${JSON.stringify(record)}\n`;
}

function pad(s: string, width: number): string {
  if (s.length > width) return `${s.slice(0, width - 1)}…`;
  return s.padEnd(width);
}

/** A short description of a successful response: item count for collections, else the status. */
export function describeData(data: unknown): string {
  if (Array.isArray(data)) return `${data.length} item${data.length === 1 ? "" : "s"}`;
  if (data !== null && typeof data === "object") {
    const o = data as Record<string, unknown>;
    const list = Array.isArray(o["value"]) ? o["value"] : Array.isArray(o["items"]) ? o["items"] : undefined;
    if (list) return `${list.length} item${list.length === 1 ? "" : "s"}`;
  }
  return "ok";
}

/** The table header (fixed widths so rows can stream). */
export function tableHeader(): string {
  return `${pad("RESULT", 7)} ${pad("STATUS", 6)} ${pad("TENANT", 36)} ${pad("CUSTOMER", 28)} DETAIL\n`;
}

/** One table row for a finished tenant. */
export function tableRow(record: FanoutRecord<unknown>): string {
  const name = record.customer?.companyName ?? record.customer?.domain ?? "-";
  const status = record.status === null ? "-" : String(record.status);
  const detail = record.ok ? describeData(record.data) : record.error.code;
  return `${pad(record.ok ? "ok" : "FAILED", 7)} ${pad(status, 6)} ${pad(record.tenantId, 36)} ${pad(name, 28)} ${detail}\n`;
}

/**
 * One tab-separated row (no padding, no header) for stdout that is not a TTY (docs/cli.md):
 * result, status, tenant, customer, detail.
 */
export function plainRow(record: FanoutRecord<unknown>): string {
  const name = record.customer?.companyName ?? record.customer?.domain ?? "";
  const status = record.status === null ? "" : String(record.status);
  const detail = record.ok ? describeData(record.data) : record.error.code;
  const cell = (v: string): string => v.replace(/[\t\r\n]+/g, " ");
  return `${[record.ok ? "ok" : "FAILED", status, record.tenantId, name, detail].map(cell).join("\t")}\n`;
}

/** Plain-language summary: counts, then each failure code once with its message and next step. */
export function summaryText(
  summary: FanoutSummary<unknown>,
  options: { readonly verboseFailures?: number } = {},
): string {
  const lines: string[] = [];
  const seconds = (summary.durationMs / 1000).toFixed(1);
  const parts = [`${summary.succeeded} ok`, `${summary.failed} failed`];
  if (summary.skipped > 0) parts.push(`${summary.skipped} skipped by the tenant lists`);
  if (summary.notStarted !== undefined && summary.notStarted > 0)
    parts.push(`${summary.notStarted} not started`);
  lines.push(
    `${summary.attempted} tenant${summary.attempted === 1 ? "" : "s"} finished in ${seconds} s: ${parts.join(", ")}.`,
  );
  if (summary.interrupted) {
    const cancelled = summary.failuresByCode["SAMKIT_FANOUT_CANCELLED"] ?? 0;
    lines.push(
      summary.attempted === 0 && !summary.targetsFailed
        ? "Interrupted: no tenant was started."
        : cancelled > 0
          ? `Interrupted: ${cancelled} running tenant${cancelled === 1 ? " was" : "s were"} cancelled; the rest were not started.`
          : "Interrupted: the tenants above finished; the rest were not started.",
    );
  }
  if (summary.stoppedBy && summary.targetsFailed) {
    lines.push(
      `Stopped early: the customer listing failed: ${summary.stoppedBy.code}: ${summary.stoppedBy.message}`,
    );
    lines.push(
      summary.attempted === 0
        ? "  No tenant was started."
        : "  The tenants above finished; the remaining customers were not started.",
    );
    lines.push(`  next step: ${summary.stoppedBy.nextStep}`);
  } else if (summary.stoppedBy) {
    lines.push(`Stopped early: ${summary.stoppedBy.code}: ${summary.stoppedBy.message}`);
    lines.push(`  next step: ${summary.stoppedBy.nextStep}`);
  }
  const byCode = new Map<string, { count: number; message: string; nextStep: string; tenants: string[] }>();
  for (const f of summary.failures) {
    const entry = byCode.get(f.error.code) ?? {
      count: 0,
      message: f.error.message,
      nextStep: f.error.nextStep,
      tenants: [],
    };
    entry.count = summary.failuresByCode[f.error.code] ?? entry.count + 1;
    if (entry.tenants.length < (options.verboseFailures ?? 5))
      entry.tenants.push(f.customer?.companyName ?? f.tenantId);
    byCode.set(f.error.code, entry);
  }
  for (const [code, e] of byCode) {
    if (summary.stoppedBy && code === summary.stoppedBy.code) continue;
    const more = e.count > e.tenants.length ? `, +${e.count - e.tenants.length} more` : "";
    lines.push(`${e.count} × ${code}: ${e.message}`);
    lines.push(`  tenants: ${e.tenants.join(", ")}${more}`);
    lines.push(`  next step: ${e.nextStep}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Progress on a TTY (stderr), via @clack/prompts; a no-op elsewhere (clack writes escapes even off a TTY). */
export interface Progress {
  /** True when something is drawn (a TTY); table rows then wait until `stop`. */
  readonly active: boolean;
  update(done: number, failed: number): void;
  stop(message: string): void;
}

/**
 * A progress display on `stream`: a bar when the tenant count is known, else a spinner with a
 * counter. A no-op when `stream` is not a TTY, `CI=true`, or `enabled` is false.
 */
export async function createProgress(
  stream: NodeJS.WriteStream,
  enabled: boolean,
  total: number | undefined,
): Promise<Progress> {
  if (!enabled || stream.isTTY !== true || process.env["CI"] === "true")
    return { active: false, update: () => undefined, stop: () => undefined };
  const { progress, spinner } = await import("@clack/prompts");
  const label = (done: number, failed: number): string =>
    `${done}${total !== undefined ? `/${total}` : ""} tenants${failed > 0 ? `, ${failed} failed` : ""}`;
  const bar =
    total !== undefined && total > 0 ? progress({ output: stream, max: total, style: "heavy" }) : undefined;
  const spin = bar ? undefined : spinner({ output: stream });
  let shown = 0;
  let stopped = false;
  (bar ?? spin)?.start(label(0, 0));
  return {
    active: true,
    update(done, failed) {
      if (stopped) return;
      if (bar && done > shown) bar.advance(done - shown, label(done, failed));
      else (bar ?? spin)?.message(label(done, failed));
      shown = done;
    },
    stop(message) {
      if (stopped) return;
      stopped = true;
      (bar ?? spin)?.stop(message);
    },
  };
}
