/**
 * The single HTTP seam (DESIGN.md "every network call goes through http/"). Nothing else in
 * src/ calls `fetch`; openid-client gets `HttpClient.fetch` as its `customFetch`.
 */

/** Which service a request is for: selects retry/headers/error mapping and log labels. */
export type ServiceKind = "identity" | "partner-center" | "graph" | "arm" | "keyvault" | "other";

/** Retry policy (CONTRACTS §8). Defaults: 4 attempts, 60 s max per wait, 120 s total. */
export interface RetryOptions {
  /** Total attempts including the first (default 4). */
  readonly maxAttempts?: number;
  /** Longest single wait honoured from `Retry-After`, in seconds (default 60). */
  readonly maxRetryAfterSeconds?: number;
  /** Budget for all attempts and waits, in milliseconds (default 120 000). */
  readonly totalBudgetMs?: number;
  /**
   * First back-off wait when the response has no `Retry-After`, in milliseconds (default 1 000);
   * doubles per retry, with ±20 % jitter, capped at `maxRetryAfterSeconds`.
   */
  readonly baseDelayMs?: number;
}

export interface HttpRequest {
  readonly method: string;
  readonly url: string | URL;
  /** Header names are case-insensitive; secrets here are never logged (allow-list redaction). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  readonly service?: ServiceKind;
  /** Per-attempt timeout in milliseconds (default 30 000). */
  readonly timeoutMs?: number;
  /** `false` disables retries (e.g. token redemption with one-time codes). */
  readonly retry?: RetryOptions | false;
  readonly abortSignal?: AbortSignal;
}

export interface HttpResponse {
  readonly status: number;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text (already fully read). */
  readonly text: string;
  /** The final URL. */
  readonly url: string;
  /** Attempts made (1 = no retry). */
  readonly attempts: number;
}

export interface HttpClient {
  /** Send with retries per {@link RetryOptions}; never throws for an HTTP status, only for transport failures (SamkitError `SAMKIT_HTTP_*`). */
  request(req: HttpRequest): Promise<HttpResponse>;
  /** A WHATWG-`fetch`-compatible function over the same seam, for openid-client's `customFetch`. */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}
