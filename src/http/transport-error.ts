/**
 * Maps a transport failure (undici / Node network error) to a catalogue error. HTTP statuses
 * are never errors here: the seam returns them (`classifyResponse` maps them).
 */
import { SamkitError } from "../errors/index.js";

/** What kind of transport failure happened; decides retry and the catalogue code. */
export type TransportFailure = "timeout" | "reset" | "unreachable" | "tls" | "aborted" | "other";

const RESET = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "ECONNABORTED"]);
const UNREACHABLE = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "EADDRNOTAVAIL"]);
const TIMEOUT = new Set(["UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "ETIMEDOUT"]);
const TLS = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS/;

function codesOf(err: unknown): string[] {
  const codes: string[] = [];
  let e: unknown = err;
  for (let depth = 0; depth < 5 && typeof e === "object" && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    e = (e as { cause?: unknown }).cause;
  }
  return codes;
}

/** Classify a thrown transport error (walks `cause` chains; undici wraps socket errors). */
export function transportFailureOf(err: unknown): { kind: TransportFailure; detail: string } {
  const codes = codesOf(err);
  const detail = codes[0] ?? (err instanceof Error ? err.message : String(err));
  if (codes.some((c) => TIMEOUT.has(c))) return { kind: "timeout", detail };
  if (codes.some((c) => RESET.has(c))) return { kind: "reset", detail };
  if (codes.some((c) => UNREACHABLE.has(c))) return { kind: "unreachable", detail };
  if (codes.some((c) => TLS.test(c))) return { kind: "tls", detail };
  if (err instanceof Error && (err.name === "AbortError" || codes.includes("UND_ERR_ABORTED") || codes.includes("ABORT_ERR"))) {
    return { kind: "aborted", detail };
  }
  return { kind: "other", detail };
}

/** Facts about the request, for the error message (the URL is already redacted). */
export interface TransportErrorContext {
  readonly method: string;
  readonly url: string;
  readonly host: string;
  readonly attempts: number;
  readonly timeoutMs: number;
}

/**
 * The catalogue error for a transport failure.
 * @returns SamkitError `SAMKIT_HTTP_TIMEOUT` | `SAMKIT_HTTP_CONNECTION_RESET` |
 *   `SAMKIT_HTTP_UNREACHABLE` | `SAMKIT_HTTP_TLS` | `SAMKIT_HTTP_ABORTED` | `SAMKIT_HTTP_FAILED`.
 */
export function transportError(kind: TransportFailure, detail: string, ctx: TransportErrorContext, cause: unknown): SamkitError {
  const base = { cause } as const;
  switch (kind) {
    case "timeout":
      return new SamkitError("SAMKIT_HTTP_TIMEOUT", {
        ...base,
        params: { method: ctx.method, url: ctx.url, seconds: Math.round(ctx.timeoutMs / 100) / 10, attempts: ctx.attempts },
      });
    case "reset":
      return new SamkitError("SAMKIT_HTTP_CONNECTION_RESET", { ...base, params: { host: ctx.host, detail, attempts: ctx.attempts } });
    case "unreachable":
      return new SamkitError("SAMKIT_HTTP_UNREACHABLE", { ...base, params: { host: ctx.host, detail } });
    case "tls":
      return new SamkitError("SAMKIT_HTTP_TLS", { ...base, params: { host: ctx.host, detail } });
    case "aborted":
      return new SamkitError("SAMKIT_HTTP_ABORTED", { ...base, params: { host: ctx.host } });
    default:
      return new SamkitError("SAMKIT_HTTP_FAILED", { ...base, params: { host: ctx.host, detail } });
  }
}
