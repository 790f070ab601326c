/**
 * The single HTTP seam (DESIGN.md): undici underneath, retries per CONTRACTS §8, Partner Center
 * request headers, proxy and CA handling, and allow-list-redacted debug logs.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { rootCertificates } from "node:tls";
import { EnvHttpProxyAgent, request as undiciRequest, type Dispatcher } from "undici";
import { nowMs, sleep as defaultSleep } from "../clock.js";
import { getLogger, redactBody, redactHeaders, redactUrl, type SamkitLogger } from "../log/index.js";
import { createFetch } from "./fetch-adapter.js";
import { retryAfterSeconds } from "./retry-after.js";
import { transportError, transportFailureOf } from "./transport-error.js";
import type { HttpClient, HttpRequest, HttpResponse, RetryOptions, ServiceKind } from "./types.js";

/** Retry defaults (CONTRACTS §8). */
export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxAttempts: 4,
  maxRetryAfterSeconds: 60,
  totalBudgetMs: 120_000,
  baseDelayMs: 1_000,
  retryResetsForNonIdempotent: false,
};

/** Default per-attempt timeout, milliseconds. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** HTTP statuses that are retried (CONTRACTS §8). */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);

/** Options for {@link createHttpClient}. Every option has a default; tests inject the seams. */
export interface HttpClientOptions {
  /** undici dispatcher (e.g. a `MockAgent` in tests). Default: `EnvHttpProxyAgent` honouring HTTPS_PROXY/HTTP_PROXY/NO_PROXY. */
  readonly dispatcher?: Dispatcher;
  /**
   * Extra trusted CA certificates (PEM), added to Node's roots and `NODE_EXTRA_CA_CERTS`
   * (e.g. the emulator's `caCertPath` contents, a corporate proxy CA). Ignored with `dispatcher`.
   */
  readonly ca?: string | readonly string[];
  /** Default per-attempt timeout in milliseconds (default 30 000); `HttpRequest.timeoutMs` wins. */
  readonly timeoutMs?: number;
  /** Default retry policy; `HttpRequest.retry` wins. */
  readonly retry?: RetryOptions;
  /** Logger (default: the process logger of `src/log`). Requests are logged at `debug`, redacted. */
  readonly logger?: SamkitLogger;
  /** Wait seam, milliseconds. Default: a global `setTimeout` (so fake timers drive it). */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock seam, epoch milliseconds (default: `nowMs` of `src/clock.ts`). Used for HTTP-date `Retry-After` and the budget. */
  readonly now?: () => number;
  /** Jitter seam returning [0, 1) (default `Math.random`). */
  readonly random?: () => number;
  /** `User-Agent` header (default `samkit (node <version>)`). */
  readonly userAgent?: string;
  /**
   * Partner Center `MS-CorrelationId` for every call through this client (one per operation, as
   * the Partner Center SDK does). Default: a new GUID per request.
   * @see https://learn.microsoft.com/partner-center/developer/headers
   */
  readonly correlationId?: string;
  /** Service label for requests made through {@link HttpClient.fetch} (default `identity`). */
  readonly fetchService?: ServiceKind;
}

function caList(extra: string | readonly string[] | undefined): string[] | undefined {
  if (extra === undefined) return undefined;
  const list = [...rootCertificates, ...(typeof extra === "string" ? [extra] : extra)];
  // An explicit `ca` replaces Node's store, so NODE_EXTRA_CA_CERTS must be re-added by hand.
  const extraFile = process.env["NODE_EXTRA_CA_CERTS"];
  if (extraFile) {
    try {
      list.push(readFileSync(extraFile, "utf8"));
    } catch {
      // Node already warned at start-up about an unreadable NODE_EXTRA_CA_CERTS.
    }
  }
  return list;
}

/** The default dispatcher: HTTPS_PROXY/HTTP_PROXY/NO_PROXY via undici's `EnvHttpProxyAgent`, optional extra CAs. */
export function createDispatcher(ca?: string | readonly string[]): Dispatcher {
  const list = caList(ca);
  return list ? new EnvHttpProxyAgent({ connect: { ca: list }, requestTls: { ca: list } }) : new EnvHttpProxyAgent();
}

/** True for an abort reason that is a timeout (`AbortSignal.timeout()` aborts with a `TimeoutError` DOMException). */
function isTimeoutReason(reason: unknown): boolean {
  return reason instanceof Error && reason.name === "TimeoutError";
}

/**
 * The abort signal of one attempt: aborts after `timeoutMs` or when `outer` aborts. One timer and
 * one listener, both removed by `dispose()` — unlike `AbortSignal.timeout` + `AbortSignal.any`,
 * whose timer lives for the whole timeout and whose dependant signals pile up on a long-lived
 * `outer` (a fan-out's) until garbage collection.
 */
function attemptAbortSignal(timeoutMs: number, outer: AbortSignal | undefined): { signal: AbortSignal; timedOut: () => boolean; dispose: () => void } {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`The request took longer than ${timeoutMs} ms.`, "TimeoutError"));
  }, timeoutMs);
  timer.unref(); // like AbortSignal.timeout: a pending timeout alone does not keep the process alive
  const onAbort = (): void => controller.abort(outer?.reason);
  if (outer?.aborted) onAbort();
  else outer?.addEventListener("abort", onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onAbort);
    },
  };
}

function lowerHeaders(h: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h ?? {})) out[k.toLowerCase()] = v;
  return out;
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

/**
 * Create the HTTP client every samkit network call goes through.
 *
 * Behaviour (CONTRACTS §8, facts/partner-center.md §1):
 * - Retries 429/502/503/504, and connection resets / timeouts of idempotent requests (GET, PUT,
 *   DELETE, …) or of Partner Center requests (made idempotent by `MS-RequestId`); connection resets
 *   of other requests only with `retry.retryResetsForNonIdempotent` (the caller knows a replay is
 *   safe, e.g. a lenient refresh-token redemption). At most
 *   `maxAttempts` attempts. Waits `Retry-After` (seconds or HTTP-date; `retry-after-ms` too) or
 *   an exponential back-off; gives up early when a wait exceeds `maxRetryAfterSeconds` or the
 *   `totalBudgetMs` budget.
 * - When retries run out on a status, returns the **last response** (callers map it with
 *   `classifyResponse`); never throws for an HTTP status.
 * - Partner Center (`service: "partner-center"`): adds `MS-RequestId` (one GUID, kept across the
 *   retries of one request) and `MS-CorrelationId`, unless the caller set them.
 * - Logs each attempt at `debug` with allow-list redaction (no Authorization, tokens, secrets,
 *   `code`, `refresh_token`, `client_secret`, `client_assertion`, `password`).
 *
 * @throws SamkitError `SAMKIT_HTTP_TIMEOUT`, `SAMKIT_HTTP_CONNECTION_RESET`,
 *   `SAMKIT_HTTP_UNREACHABLE`, `SAMKIT_HTTP_TLS`, `SAMKIT_HTTP_ABORTED`, `SAMKIT_HTTP_FAILED`
 *   (transport failures only) from `request` and `fetch`.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3 (Retry-After)
 * @see https://learn.microsoft.com/partner-center/developer/headers (MS-RequestId, MS-CorrelationId)
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  let dispatcher = options.dispatcher;
  const getDispatcher = (): Dispatcher => (dispatcher ??= createDispatcher(options.ca));
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? nowMs;
  const random = options.random ?? Math.random;
  const logger = (): SamkitLogger => options.logger ?? getLogger();
  const userAgent = options.userAgent ?? `samkit (node ${process.version})`;

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const url = new URL(req.url);
    const method = req.method.toUpperCase();
    const service: ServiceKind = req.service ?? "other";
    const headers = lowerHeaders(req.headers);
    headers["user-agent"] ??= userAgent;
    if (service === "partner-center") {
      headers["ms-requestid"] ??= randomUUID();
      headers["ms-correlationid"] ??= options.correlationId ?? randomUUID();
    }
    const policy: Required<RetryOptions> =
      req.retry === false ? { ...DEFAULT_RETRY, maxAttempts: 1 } : { ...DEFAULT_RETRY, ...options.retry, ...req.retry };
    const timeoutMs = req.timeoutMs ?? options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const retryTransport = IDEMPOTENT.has(method) || service === "partner-center";
    let redactedUrl: string | undefined;
    const safeUrl = (): string => (redactedUrl ??= redactUrl(url)); // for logs and errors only
    const log = logger();
    const started = now();

    for (let attempt = 1; ; attempt++) {
      if (log.isLevelEnabled("debug")) {
        log.debug(
          { http: { service, method, url: safeUrl(), attempt, headers: redactHeaders(headers), body: redactBody(req.body, headers["content-type"]) } },
          "http request",
        );
      }
      const attemptSignal = attemptAbortSignal(timeoutMs, req.abortSignal);
      const signal = attemptSignal.signal;
      const t0 = now();
      let res: HttpResponse;
      try {
        const r = await undiciRequest(url, {
          method: method,
          headers,
          body: req.body === undefined ? null : req.body,
          signal,
          dispatcher: getDispatcher(),
        });
        const text = method === "HEAD" ? "" : await r.body.text();
        res = { status: r.statusCode, headers: flattenHeaders(r.headers), text, url: url.toString(), attempts: attempt };
      } catch (err) {
        const failure = transportFailureOf(err);
        const detail = failure.detail;
        let kind = failure.kind;
        // The caller's signal fired: a cancel, unless its reason is a timeout (openid-client passes
        // `AbortSignal.timeout(…)` as the fetch signal), which is a server that did not answer.
        // Neither is retried: the caller's signal stays aborted.
        const callerAborted = req.abortSignal?.aborted === true;
        const callerTimedOut = callerAborted && isTimeoutReason(req.abortSignal?.reason);
        if (callerAborted) kind = callerTimedOut ? "timeout" : "aborted";
        else if (attemptSignal.timedOut()) kind = "timeout";
        // A caller's timeout is reported with the time this attempt actually waited.
        const ctx = { method, url: safeUrl(), host: url.host, attempts: attempt, timeoutMs: callerTimedOut ? Math.round(now() - t0) : timeoutMs };
        const transportRetryable =
          !callerAborted &&
          (((kind === "reset" || kind === "timeout") && retryTransport) ||
            (kind === "reset" && policy.retryResetsForNonIdempotent));
        const canRetry = transportRetryable && attempt < policy.maxAttempts;
        const wait = backoffMs(attempt, policy);
        if (canRetry && now() - started + wait <= policy.totalBudgetMs) {
          log.debug({ http: { service, method, url: safeUrl(), attempt, failure: kind, detail, waitMs: wait } }, "http retry after transport failure");
          await waitOrAbort(wait, req.abortSignal, ctx);
          continue;
        }
        log.debug({ http: { service, method, url: safeUrl(), attempt, failure: kind, detail } }, "http transport failure");
        throw transportError(kind, detail, ctx, err);
      } finally {
        attemptSignal.dispose();
      }
      if (log.isLevelEnabled("debug")) {
        log.debug(
          { http: { service, method, url: safeUrl(), attempt, status: res.status, ms: Math.round(now() - t0), headers: redactHeaders(res.headers) } },
          "http response",
        );
      }
      if (!RETRYABLE_STATUSES.has(res.status) || attempt >= policy.maxAttempts) return res;
      const hinted = retryAfterSeconds(res.headers, now());
      if (hinted !== undefined && hinted > policy.maxRetryAfterSeconds) {
        log.debug({ http: { service, url: safeUrl(), status: res.status, retryAfterSeconds: hinted } }, "http give up: Retry-After beyond the limit");
        return res;
      }
      const wait = hinted !== undefined ? Math.ceil(hinted * 1000) : backoffMs(attempt, policy);
      if (now() - started + wait > policy.totalBudgetMs) {
        log.debug({ http: { service, url: safeUrl(), status: res.status, waitMs: wait } }, "http give up: retry budget spent");
        return res;
      }
      log.debug({ http: { service, method, url: safeUrl(), attempt, status: res.status, waitMs: wait } }, "http retry");
      await waitOrAbort(wait, req.abortSignal, { method, url: safeUrl(), host: url.host, attempts: attempt, timeoutMs });
    }
  }

  function backoffMs(attempt: number, policy: Required<RetryOptions>): number {
    const exp = policy.baseDelayMs * 2 ** (attempt - 1);
    const capped = Math.min(exp, policy.maxRetryAfterSeconds * 1000);
    return Math.round(capped * (0.8 + 0.4 * random()));
  }

  async function waitOrAbort(
    ms: number,
    signal: AbortSignal | undefined,
    ctx: { method: string; url: string; host: string; attempts: number; timeoutMs: number },
  ): Promise<void> {
    try {
      await sleep(ms, signal);
    } catch (err) {
      // The caller's timeout fired during the wait: the server did not answer in time, not a cancel.
      throw isTimeoutReason(signal?.reason) ? transportError("timeout", "timed out", ctx, err) : transportError("aborted", "cancelled", ctx, err);
    }
  }

  return { request, fetch: createFetch(request, options.fetchService ?? "identity") };
}
