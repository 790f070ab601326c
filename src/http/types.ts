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
  /**
   * Also retry **connection resets** of non-idempotent requests (POST, PATCH), within the same
   * attempts and budget (default `false`: only idempotent and Partner Center requests are retried
   * after a transport failure). Opt in only when replaying the request is harmless, e.g. a
   * client-credentials grant or a refresh-token redemption under the `lenient` rotation policy
   * (Microsoft Entra keeps the redeemed refresh token valid). Never for one-time codes
   * (authorization code, device code) or a `strict` redemption. Timeouts are not covered: the
   * server may still be processing the first attempt.
   */
  readonly retryResetsForNonIdempotent?: boolean;
}

/** One request through the seam. */
export interface HttpRequest {
  /** HTTP method, e.g. `GET`, `POST` (case-insensitive). */
  readonly method: string;
  /** Absolute URL. Its query is logged only for allow-listed parameters. */
  readonly url: string | URL;
  /** Header names are case-insensitive; secrets here are never logged (allow-list redaction). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Request body; form bodies are logged with only allow-listed fields, others only by size. */
  readonly body?: string | Uint8Array;
  /** Which service (default `other`); `partner-center` adds `MS-RequestId`/`MS-CorrelationId`. */
  readonly service?: ServiceKind;
  /** Per-attempt timeout in milliseconds (default 30 000). */
  readonly timeoutMs?: number;
  /** `false` disables retries (e.g. token redemption with one-time codes). */
  readonly retry?: RetryOptions | false;
  /** Cancels the request and any retry wait (`SAMKIT_HTTP_ABORTED`). */
  readonly abortSignal?: AbortSignal;
}

/** A fully read response (never an error for 4xx/5xx: callers map it with `classifyResponse`). */
export interface HttpResponse {
  /** HTTP status code. */
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

/** The HTTP seam; create one with `createHttpClient` (`src/http/client.ts`). */
export interface HttpClient {
  /** Send with retries per {@link RetryOptions}; never throws for an HTTP status, only for transport failures (SamkitError `SAMKIT_HTTP_*`). */
  request(req: HttpRequest): Promise<HttpResponse>;
  /** A WHATWG-`fetch`-compatible function over the same seam, for openid-client's `customFetch`. */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}
