/**
 * samkit's logger: pino, JSON lines on stderr (stdout is for data, DESIGN.md). Level from
 * `SAMKIT_LOG_LEVEL` (default `warn`). Callers pass only values that went through the
 * allow-list redaction of `./redact.ts`; pino's own `redact` list is a second line of defence.
 *
 * pino is loaded on the first line actually written: at the default level most runs write none,
 * and loading pino costs ~45 ms and ~9 MB (docs/performance.md).
 */
import { createRequire } from "node:module";
import type { DestinationStream, Logger } from "pino";

/** Log levels samkit accepts (`SAMKIT_LOG_LEVEL`, `--log-level`). */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];
/** One logging method: a context object (already redacted) and a message. */
export type LogMethod = (context: object, message?: string) => void;

/**
 * The logger samkit writes to: the subset of a pino logger it uses, so any pino logger (or a
 * compatible one) can be passed in.
 */
export interface SamkitLogger {
  /** The current level name (one of {@link LOG_LEVELS}, or a custom level of a pino logger). */
  readonly level: string;
  /** True when a line at `level` would be written. */
  isLevelEnabled(level: string): boolean;
  fatal: LogMethod;
  error: LogMethod;
  warn: LogMethod;
  info: LogMethod;
  debug: LogMethod;
  trace: LogMethod;
}

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

/** Numeric order of the levels (pino's values); `silent` writes nothing. */
const LEVEL_VALUES: Readonly<Record<LogLevel, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

const loadPino = (): typeof import("pino") => createRequire(import.meta.url)("pino") as typeof import("pino");

/**
 * A logger writing pino JSON lines to stderr (or `destination`) at `level` and above. pino itself
 * (and the stderr destination) is created on the first line written.
 */
export function createLogger(options: CreateLoggerOptions = {}): SamkitLogger {
  const level = options.level ?? levelFromEnv();
  const threshold = LEVEL_VALUES[level];
  let inner: Logger | undefined;
  const pinoLogger = (): Logger => {
    if (inner === undefined) {
      const { pino } = loadPino();
      inner = pino(
        { name: "samkit", level, redact: { paths: DENY_PATHS, censor: "REDACTED" }, base: undefined },
        options.destination ?? pino.destination({ dest: 2, sync: true }),
      );
    }
    return inner;
  };
  const method =
    (name: Exclude<LogLevel, "silent">): LogMethod =>
    (context, message) => {
      if (LEVEL_VALUES[name] < threshold) return;
      if (message === undefined) pinoLogger()[name](context);
      else pinoLogger()[name](context, message);
    };
  return {
    level,
    isLevelEnabled: (name) => isLogLevel(name) && name !== "silent" && LEVEL_VALUES[name] >= threshold,
    fatal: method("fatal"),
    error: method("error"),
    warn: method("warn"),
    info: method("info"),
    debug: method("debug"),
    trace: method("trace"),
  };
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
