/**
 * samkit's logger: pino, JSON lines on stderr (stdout is for data, DESIGN.md). Level from
 * `SAMKIT_LOG_LEVEL` (default `warn`). Callers pass only values that went through the
 * allow-list redaction of `./redact.ts`; pino's own `redact` list is a second line of defence.
 */
import { pino, type DestinationStream, type Logger } from "pino";

/** Log levels samkit accepts (`SAMKIT_LOG_LEVEL`, `--log-level`). */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];
/** The logger type used across samkit (a pino logger). */
export type SamkitLogger = Logger;

/** Options for {@link createLogger}. */
export interface CreateLoggerOptions {
  /** Default: `SAMKIT_LOG_LEVEL`, else `warn`. */
  readonly level?: LogLevel;
  /** Where lines go. Default: stderr (file descriptor 2, synchronous). */
  readonly destination?: DestinationStream;
}

/** Paths pino replaces even if a caller forgot the allow-list (defence in depth). */
const DENY_PATHS = [
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "refresh_token",
  "*.refresh_token",
  "access_token",
  "*.access_token",
  "client_secret",
  "*.client_secret",
  "client_assertion",
  "*.client_assertion",
  "password",
  "*.password",
  "code_verifier",
  "*.code_verifier",
];

/** True when `s` is one of {@link LOG_LEVELS}. */
export function isLogLevel(s: string): s is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(s);
}

function levelFromEnv(): LogLevel {
  const v = process.env["SAMKIT_LOG_LEVEL"]?.trim().toLowerCase();
  return v !== undefined && isLogLevel(v) ? v : "warn";
}

/** A new pino logger writing JSON lines to stderr (or `destination`). */
export function createLogger(options: CreateLoggerOptions = {}): SamkitLogger {
  const destination = options.destination ?? pino.destination({ dest: 2, sync: true });
  return pino(
    {
      name: "samkit",
      level: options.level ?? levelFromEnv(),
      redact: { paths: DENY_PATHS, censor: "REDACTED" },
      base: undefined,
    },
    destination,
  );
}

let shared: SamkitLogger | undefined;

/** The process-wide logger (created on first use with {@link createLogger}'s defaults). */
export function getLogger(): SamkitLogger {
  shared ??= createLogger();
  return shared;
}

/** Replace the process-wide logger (the CLI does this after reading `--log-level`). */
export function setLogger(logger: SamkitLogger): void {
  shared = logger;
}
