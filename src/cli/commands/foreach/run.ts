/**
 * `samkit foreach` behaviour behind the flags: pick the tenants, run the `api` request in each
 * on the fan-out runner, print records (JSONL) or a streamed table and a summary, and return the
 * exit code (CONTRACTS §5). Dependencies come in from `command.ts` (or a test).
 */
import type { ApiRequestSpec } from "../../../api/types.js";
import type { CloudDefinition } from "../../../cloud/types.js";
import type { HttpClient } from "../../../http/types.js";
import { apiOperation } from "../../../fanout/api-operation.js";
import { fanoutExitCode } from "../../../fanout/exit-code.js";
import { cancelledIfAborted } from "../../../fanout/record.js";
import type { HostBackoff } from "../../../fanout/host-backoff.js";
import { runFanout } from "../../../fanout/runner.js";
import { customerTargets, tenantTargets, type CustomerSelection } from "../../../fanout/targets.js";
import { createTenantFilter } from "../../../fanout/tenant-filter.js";
import type { FanoutOperation, FanoutRecord, FanoutSummary, FanoutTarget } from "../../../fanout/types.js";
import type { ExitCode } from "../../../errors/types.js";
import type { Customer, GetAccessToken } from "../../../partner-center/types.js";
import {
  batchedOut,
  createProgress,
  jsonlLine,
  plainRow,
  summaryText,
  tableHeader,
  tableRow,
  writeOut,
  type TextOut,
} from "./output.js";

/** What `runForeach` needs from the outside world. */
export interface ForeachDependencies {
  /** HTTP seam for the per-tenant calls (with the run's back-off interceptor). */
  readonly http: HttpClient;
  readonly cloud: CloudDefinition;
  /** `TokenBroker.getToken`. */
  readonly getToken: GetAccessToken;
  /** Every Partner Center customer (for `--customers all`), lazily paged. */
  readonly listCustomers: (options: { abortSignal?: AbortSignal }) => AsyncIterable<Customer>;
  readonly backoff: HostBackoff;
}

/** Parsed `samkit foreach` options. */
export interface ForeachRunOptions {
  readonly spec: ApiRequestSpec;
  readonly selection: CustomerSelection;
  readonly concurrency: number;
  readonly jsonl: boolean;
  readonly allow?: ReadonlySet<string>;
  readonly exclude?: ReadonlySet<string>;
  /** Show progress when stderr is a TTY. */
  readonly progress: boolean;
  /** Stop scheduling (first Ctrl-C). */
  readonly abortSignal?: AbortSignal;
  /** Abort running tenants (second Ctrl-C). */
  readonly abortInFlightSignal?: AbortSignal;
  /**
   * Aborted when stdout was closed (EPIPE): records are dropped, the summary is one short line on
   * stderr, and the exit code is the interrupted one (3 or 1), never 0.
   */
  readonly outputClosed?: AbortSignal;
}

/** Where `runForeach` writes. `progressStream` is stderr (progress only on a TTY). */
export interface ForeachIo {
  readonly stdout: TextOut;
  readonly stderr: TextOut;
  readonly progressStream?: NodeJS.WriteStream;
}

/** Run the fan-out and print it. Never throws for a tenant's failure; returns the exit code. */
export async function runForeach(
  deps: ForeachDependencies,
  options: ForeachRunOptions,
  io: ForeachIo,
): Promise<{ summary: FanoutSummary<unknown>; exitCode: ExitCode }> {
  const signal = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  const closed = (): boolean => options.outputClosed?.aborted === true;
  // Once stdout is closed, writes are dropped and a pending `drain` wait ends.
  const real = io.stdout;
  const stdout: TextOut = {
    ...(real.isTTY !== undefined ? { isTTY: real.isTTY } : {}),
    write: (chunk) => (closed() ? true : real.write(chunk)),
    ...(typeof real.once === "function"
      ? {
          once: (event: "drain", listener: () => void) => {
            real.once?.(event, listener);
            options.outputClosed?.addEventListener("abort", listener, { once: true });
          },
        }
      : {}),
  };
  io = { ...io, stdout };
  const targets: Iterable<FanoutTarget> | AsyncIterable<FanoutTarget> =
    options.selection.kind === "all"
      ? customerTargets(deps.listCustomers(signal))
      : tenantTargets(options.selection.tenants);
  const total = options.selection.kind === "list" ? options.selection.tenants.length : undefined;
  const progress = await createProgress(
    io.progressStream ?? process.stderr,
    options.progress && !options.jsonl,
    total,
  );
  // Off a TTY stdout carries data only (docs/cli.md): tab-separated rows, no header, summary on stderr.
  const tty = io.stdout.isTTY === true;
  // With a live progress bar, table rows are printed after it stops (one short line per tenant).
  const rows: string[] | undefined = progress.active && tty ? [] : undefined;
  let headerDone = false;
  // JSONL and piped rows are gathered into fewer writes; a terminal table streams row by row.
  const batch = options.jsonl || !tty ? batchedOut(io.stdout) : undefined;
  const print = (record: FanoutRecord<unknown>): Promise<void> | undefined => {
    if (batch) return batch.write(options.jsonl ? jsonlLine(record) : plainRow(record));
    if (rows) {
      rows.push(tableRow(record));
      return undefined;
    }
    if (!headerDone) {
      io.stdout.write(tableHeader());
      headerDone = true;
    }
    return writeOut(io.stdout, tableRow(record));
  };

  let failed = 0;
  const api = apiOperation(options.spec, { http: deps.http, cloud: deps.cloud, getToken: deps.getToken });
  // A second Ctrl-C aborts running requests: report those tenants as cancelled, not as HTTP failures.
  const operation: FanoutOperation<unknown> = async (target, task) => {
    const outcome = await api(target, task);
    if (outcome.ok) return outcome;
    return { ...outcome, error: cancelledIfAborted(outcome.error, task.abortSignal.aborted) };
  };
  const summary = await runFanout(targets, operation, {
    concurrency: options.concurrency,
    filter: createTenantFilter({
      ...(options.allow ? { allow: options.allow } : {}),
      ...(options.exclude ? { exclude: options.exclude } : {}),
    }),
    backoff: deps.backoff,
    ...signal,
    ...(options.abortInFlightSignal ? { abortInFlightSignal: options.abortInFlightSignal } : {}),
    onResult: (record) => {
      if (!record.ok) failed++;
      return print(record);
    },
    onProgress: (p) => progress.update(p.done, failed),
  }).finally(() => batch?.flush());
  const exitCode = fanoutExitCode(summary);
  if (closed()) {
    // The reader went away (`| head -1`): one short line, no table, no summary.
    progress.stop("Interrupted");
    io.stderr.write(
      `samkit: stdout was closed; stopped after ${summary.attempted} tenant${summary.attempted === 1 ? "" : "s"} (${summary.succeeded} ok).\n`,
    );
    return { summary, exitCode };
  }
  progress.stop(summary.interrupted ? "Interrupted" : `${summary.succeeded}/${summary.attempted} tenants ok`);
  if (rows) {
    io.stdout.write(tableHeader());
    for (const r of rows) io.stdout.write(r);
  }
  const text = summaryText(summary);
  // Only a TTY table gets the summary on stdout; JSONL and piped rows keep stdout machine-readable.
  if (tty && !options.jsonl) io.stdout.write(`\n${text}`);
  else io.stderr.write(text);
  if (summary.attempted === 0 && summary.skipped === 0 && !summary.interrupted)
    io.stderr.write("warning: no customer tenants to run in.\n");
  return { summary, exitCode };
}
