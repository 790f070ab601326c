/**
 * CLI output helpers (DESIGN.md "CLI conventions"): data to stdout, diagnostics to stderr,
 * `--json` printing, tables on a TTY (tab-separated otherwise), `NO_COLOR`, and the one way
 * errors are printed (catalogue code, message, next step; never a stack trace).
 *
 * @see https://no-color.org/
 */
import { SamkitError, isSamkitError } from "../errors/index.js";
import { ExitCode } from "../errors/types.js";

/** A stream samkit writes to (`process.stdout` / `process.stderr` or a test double). */
export interface OutputStream {
  write(chunk: string): unknown;
  readonly isTTY?: boolean;
}

/** True when `stream` is a terminal. */
export function isTty(stream: OutputStream = process.stdout): boolean {
  return stream.isTTY === true;
}

/**
 * Whether to colour output on `stream`: never when `NO_COLOR` is set to a non-empty value,
 * always when `FORCE_COLOR` is set (not `0`), otherwise only on a TTY whose `TERM` is not `dumb`.
 */
export function colorEnabled(stream: OutputStream = process.stdout, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  if (env["NO_COLOR"] !== undefined && env["NO_COLOR"] !== "") return false;
  const force = env["FORCE_COLOR"];
  if (force !== undefined && force !== "" && force !== "0") return true;
  return isTty(stream) && env["TERM"] !== "dumb";
}

/** ANSI styles, applied only when `on`. */
export function style(on: boolean): { bold: (s: string) => string; dim: (s: string) => string; red: (s: string) => string; yellow: (s: string) => string } {
  const wrap = (open: number, close: number) => (s: string) => (on ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), yellow: wrap(33, 39) };
}

/** Print `value` as pretty JSON (2-space indent) and a newline. */
export function printJson(value: unknown, stream: OutputStream = process.stdout): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Print `value` as one compact JSON line (JSON Lines). */
export function printJsonLine(value: unknown, stream: OutputStream = process.stdout): void {
  stream.write(`${JSON.stringify(value)}\n`);
}

/** One table column. */
export interface Column<T> {
  readonly header: string;
  readonly value: (row: T) => string | number | boolean | null | undefined;
}

function cell(v: string | number | boolean | null | undefined): string {
  return v === null || v === undefined ? "" : String(v).replace(/[\t\r\n]+/g, " ");
}

/**
 * Format rows as a table: on a TTY, aligned columns with a (bold when coloured) header; otherwise
 * tab-separated values without a header, for `cut`/`awk` (like `gh`).
 */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[], options: { tty: boolean; color?: boolean }): string {
  const data = rows.map((r) => columns.map((c) => cell(c.value(r))));
  if (!options.tty) return data.map((r) => r.join("\t")).join("\n") + (data.length > 0 ? "\n" : "");
  const widths = columns.map((c, i) => Math.max(c.header.length, ...data.map((r) => (r[i] ?? "").length)));
  const s = style(options.color === true);
  const pad = (r: readonly string[]) =>
    r
      .map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [s.bold(pad(columns.map((c) => c.header.toUpperCase()))), ...data.map(pad)].join("\n") + "\n";
}

/** Options for {@link printData}. */
export interface PrintDataOptions<T> {
  /** `--json` given: print `json ?? rows` as JSON. */
  readonly json?: boolean;
  /** The JSON value (default: the rows). */
  readonly jsonValue?: unknown;
  readonly columns: readonly Column<T>[];
  readonly stream?: OutputStream;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Print rows: JSON with `--json`, else a table (aligned on a TTY, tab-separated otherwise). Data goes to stdout. */
export function printData<T>(rows: readonly T[], options: PrintDataOptions<T>): void {
  const stream = options.stream ?? process.stdout;
  if (options.json === true) {
    printJson(options.jsonValue ?? rows, stream);
    return;
  }
  stream.write(formatTable(rows, options.columns, { tty: isTty(stream), color: colorEnabled(stream, options.env) }));
}

/** Write a diagnostic line to stderr (progress, notes, warnings): never data. */
export function diag(message: string, stream: OutputStream = process.stderr): void {
  stream.write(message.endsWith("\n") ? message : `${message}\n`);
}

/** Any thrown value as a catalogue error (`SAMKIT_INTERNAL` for what is not one; its message only, no stack). */
export function toSamkitError(err: unknown): SamkitError {
  if (isSamkitError(err)) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new SamkitError("SAMKIT_INTERNAL", { params: { detail }, cause: err });
}

/**
 * Human form of an error: `error CODE: message`, the identity-platform references and the
 * service's own text when they add something, then `next step: …`. Never a stack trace.
 */
export function formatError(err: SamkitError, options: { color?: boolean } = {}): string {
  const s = style(options.color === true);
  const lines = [`${s.red(s.bold("error"))} ${s.bold(err.code)}: ${err.message}`];
  const refs: string[] = [];
  if (err.aadsts !== undefined) refs.push(`AADSTS${err.aadsts}`);
  if (err.status !== undefined) refs.push(`HTTP ${err.status}`);
  if (err.partnerCenterCode !== undefined) refs.push(`Partner Center code ${err.partnerCenterCode}`);
  if (err.graphCode !== undefined) refs.push(`code ${err.graphCode}`);
  if (err.retryAfterSeconds !== undefined) refs.push(`retry after ${err.retryAfterSeconds} s`);
  if (err.identity?.trace_id) refs.push(`trace ID ${err.identity.trace_id}`);
  if (err.identity?.correlation_id) refs.push(`correlation ID ${err.identity.correlation_id}`);
  if (refs.length > 0) lines.push(s.dim(`  ${refs.join(" · ")}`));
  if (err.serviceMessage && !err.message.includes(err.serviceMessage)) lines.push(`  service said: ${err.serviceMessage}`);
  lines.push(`${s.yellow("next step")}: ${err.nextStep}`);
  return lines.join("\n") + "\n";
}

/**
 * Print an error to stderr — JSON `{"error": {...}}` in `--json` mode, else {@link formatError} —
 * and return the exit code for it (CONTRACTS §5: 4 for `reconsent`, 2 for `fix-input`, else 1).
 */
export function printError(err: unknown, options: { json?: boolean; stream?: OutputStream; env?: Readonly<Record<string, string | undefined>> } = {}): ExitCode {
  const stream = options.stream ?? process.stderr;
  const e = toSamkitError(err);
  if (options.json === true) printJson({ error: e.toJSON() }, stream);
  else stream.write(formatError(e, { color: colorEnabled(stream, options.env) }));
  return e.exitCode ?? ExitCode.Error;
}
