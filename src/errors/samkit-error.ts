import { catalogue, type SamkitErrorCode } from "./catalogue/index.js";
import { ExitCode, type CatalogueEntry, type ErrorAction, type IdentityErrorFields } from "./types.js";

/** Options for {@link SamkitError}. */
export interface SamkitErrorOptions {
  /** Values for `{placeholders}` in the catalogue message and next step. Never pass secrets. */
  readonly params?: Readonly<Record<string, string | number>>;
  /** The underlying error, kept as `cause`. */
  readonly cause?: unknown;
  /** Raw identity-platform fields (no secrets). */
  readonly identity?: IdentityErrorFields;
  /** AADSTS code, when the error came from the identity platform. */
  readonly aadsts?: number;
  /** HTTP status of the response that caused it, if any. */
  readonly status?: number;
  /** Seconds to wait before retrying (from `Retry-After`). */
  readonly retryAfterSeconds?: number;
  /** Partner Center ApiFault `code`, as a string. */
  readonly partnerCenterCode?: string;
  /** Microsoft Graph `error.code`. */
  readonly graphCode?: string;
  /** The service's own message, when it adds something the catalogue text does not. */
  readonly serviceMessage?: string;
}

/** Longest parameter value (in UTF-16 code units) put into a message as is; see {@link clip}. */
export const MAX_PARAM_CHARS = 200;

/**
 * Cut a value longer than {@link MAX_PARAM_CHARS} to that many characters plus `…`, so a huge
 * user input (a 100,000-character `--tenant`) is never echoed back whole in a catalogue message
 * or next step. Shorter values are returned unchanged.
 */
export function clip(value: string): string {
  return value.length > MAX_PARAM_CHARS ? `${value.slice(0, MAX_PARAM_CHARS)}…` : value;
}

/** Fill `{name}` placeholders; an empty value also drops the space before it (`samkit help {command}` → `samkit help`). */
function fill(template: string, params: Readonly<Record<string, string | number>> | undefined): string {
  return template.replace(/( ?)\{(\w+)\}/g, (whole, space: string, name: string) => {
    const v = params?.[name];
    if (v === undefined) return whole;
    const text = clip(String(v));
    return text === "" ? "" : `${space}${text}`;
  });
}

/**
 * The one error type samkit throws for anything a user can hit. `code` is stable; `message`
 * and `nextStep` come from the catalogue; `exitCode` follows CONTRACTS §5.
 */
export class SamkitError extends Error {
  override readonly name = "SamkitError";
  /** Stable catalogue code (`SAMKIT_*`). */
  readonly code: SamkitErrorCode;
  /** What the user should do, in the case-file vocabulary (`reconsent`, `retry-later`, …). */
  readonly action: ErrorAction;
  /** The next step in plain words. */
  readonly nextStep: string;
  /** Process exit code for the CLI (CONTRACTS §5). */
  readonly exitCode: ExitCode;
  /** Raw identity-platform fields (`error`, `error_codes`, `suberror`, `trace_id`, `correlation_id`, `claims`, `timestamp`); no secrets. */
  readonly identity: IdentityErrorFields | undefined;
  /** AADSTS number, when the identity platform answered. */
  readonly aadsts: number | undefined;
  /** HTTP status of the response behind the error. */
  readonly status: number | undefined;
  /** Seconds to wait before retrying (from `Retry-After`). */
  readonly retryAfterSeconds: number | undefined;
  /** Partner Center ApiFault `code`, as a string. */
  readonly partnerCenterCode: string | undefined;
  /** Microsoft Graph / ARM / Key Vault `error.code`. */
  readonly graphCode: string | undefined;
  /** First line of the service's own message. */
  readonly serviceMessage: string | undefined;

  constructor(code: SamkitErrorCode, options: SamkitErrorOptions = {}) {
    const entry: CatalogueEntry = catalogue[code];
    super(fill(entry.message, options.params), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.action = entry.action;
    this.nextStep = fill(entry.nextStep, options.params);
    this.exitCode =
      entry.exitCode ??
      (entry.action === "reconsent" ? ExitCode.Reconsent : entry.action === "fix-input" ? ExitCode.Usage : ExitCode.Error);
    this.identity = options.identity;
    this.aadsts = options.aadsts;
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.partnerCenterCode = options.partnerCenterCode;
    this.graphCode = options.graphCode;
    this.serviceMessage = options.serviceMessage;
  }

  /**
   * A JSON-safe view (camelCase, CONTRACTS §7); absent values are `null`. Identity fields appear
   * as `identityError`, `suberror`, `traceId`, `correlationId` (never secrets).
   */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      action: this.action,
      message: this.message,
      nextStep: this.nextStep,
      aadsts: this.aadsts ?? null,
      retryAfterSeconds: this.retryAfterSeconds ?? null,
      partnerCenterCode: this.partnerCenterCode ?? null,
      graphCode: this.graphCode ?? null,
      status: this.status ?? null,
      serviceMessage: this.serviceMessage ?? null,
      identityError: this.identity?.error ?? null,
      suberror: this.identity?.suberror ?? null,
      traceId: this.identity?.trace_id ?? null,
      correlationId: this.identity?.correlation_id ?? null,
    };
  }
}

/** True when `e` is a {@link SamkitError}, optionally with the given code. */
export function isSamkitError(e: unknown, code?: SamkitErrorCode): e is SamkitError {
  return e instanceof SamkitError && (code === undefined || e.code === code);
}
