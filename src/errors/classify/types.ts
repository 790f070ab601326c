/** Input shapes of the classifiers. */

/** Which service answered; a hint for {@link classifyResponse} when the body shape is ambiguous. */
export type ServiceHint = "identity" | "partner-center" | "graph" | "arm" | "keyvault" | "other";

/**
 * An HTTP error response as the classifiers take it: the shape of the case files
 * (`{status, headers, body}`) or of an `HttpResponse` (`text` instead of `body`).
 */
export interface ErrorResponse {
  /** HTTP status; absent when only a body was pasted (`samkit explain -`). */
  readonly status?: number;
  /** Response headers; names are matched case-insensitively. */
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The body: parsed JSON, or text (parsed as JSON when it is JSON). */
  readonly body?: unknown;
  /** The body as text (an `HttpResponse`), used when `body` is absent. */
  readonly text?: string;
}

/** Options for the classifiers. */
export interface ClassifyOptions {
  /** The service that answered, when the caller knows it. */
  readonly service?: ServiceHint;
  /** Current time, epoch ms, for HTTP-date `Retry-After` (default: samkit's clock). */
  readonly nowMs?: number;
}
