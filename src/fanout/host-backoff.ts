import { sleep } from "../clock.js";
import type { HttpClient, HttpRequest, HttpResponse } from "../http/types.js";

/** Options of {@link HostBackoff}. */
export interface HostBackoffOptions {
  /** Longest pause honoured from one `Retry-After`, in seconds (default 60, CONTRACTS §8). */
  readonly maxPauseSeconds?: number;
  /** Monotonic clock in milliseconds (tests); default `performance.now()`. */
  readonly now?: () => number;
}

/** Lower-cased `host[:port]` of a URL — the unit Partner Center and Graph throttle by. */
export function hostOf(url: string | URL): string {
  if (typeof url === "string") {
    // Fast path for the usual `https://host/...` (no port, no user info): no URL object per request.
    const m = /^https?:\/\/([^/?#@:[\]]+)(?=[/?#]|$)/i.exec(url);
    if (m) return m[1]!.toLowerCase();
  }
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return "";
  }
}

/**
 * Parses `Retry-After` as delta-seconds or an HTTP date into seconds (≥ 0), or `undefined`.
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export function parseRetryAfterSeconds(
  value: string | undefined,
  nowEpochMs: number = Date.now(),
): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - nowEpochMs) / 1000));
}

/**
 * A per-host pause shared by every worker of a fan-out: when one worker is told to wait
 * (HTTP 429 + `Retry-After`) for a host, every other worker waits for that host too, instead of
 * each spending its own retries on a throttled service.
 * @see https://learn.microsoft.com/partner-center/developer/api-throttling-guidance
 * @see https://learn.microsoft.com/graph/throttling
 */
export class HostBackoff {
  readonly #until = new Map<string, number>();
  readonly #maxPauseMs: number;
  readonly #now: () => number;
  #pauses = 0;

  constructor(options: HostBackoffOptions = {}) {
    this.#maxPauseMs = (options.maxPauseSeconds ?? 60) * 1000;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Pauses `host` for `seconds` (capped), extending but never shortening a current pause. */
  pause(host: string, seconds: number): void {
    if (!host || !Number.isFinite(seconds) || seconds <= 0) return;
    const until = this.#now() + Math.min(seconds * 1000, this.#maxPauseMs);
    const current = this.#until.get(host);
    if (current === undefined || until > current) this.#until.set(host, until);
    this.#pauses++;
  }

  /** Milliseconds left of the pause on `host` (0 when not paused). */
  remainingMs(host: string): number {
    const until = this.#until.get(host);
    if (until === undefined) return 0;
    const left = until - this.#now();
    if (left <= 0) {
      this.#until.delete(host);
      return 0;
    }
    return left;
  }

  /** How many pauses were recorded (for summaries and benchmarks). */
  get pauseCount(): number {
    return this.#pauses;
  }

  /**
   * Resolves when `host` is not paused; rejects with the signal's reason if `abortSignal` fires.
   */
  async wait(host: string, abortSignal?: AbortSignal): Promise<void> {
    for (;;) {
      abortSignal?.throwIfAborted();
      const left = this.remainingMs(host);
      if (left <= 0) return;
      await sleep(left, abortSignal);
    }
  }

  /** Records the response's `Retry-After` when it is a 429 (or a 503 with `Retry-After`). */
  observe(url: string | URL, status: number, headers: Readonly<Record<string, string>>): void {
    if (status !== 429 && status !== 503) return;
    const seconds = parseRetryAfterSeconds(headers["retry-after"]);
    if (seconds === undefined) return;
    this.pause(hostOf(url), seconds);
  }
}

/**
 * Wraps an {@link HttpClient} so every request first waits out a pause on its host, and a 429
 * with `Retry-After` pauses that host for every other user of the same {@link HostBackoff}.
 * The inner client keeps its own retry policy (CONTRACTS §8).
 */
export function withHostBackoff(http: HttpClient, backoff: HostBackoff): HttpClient {
  return {
    async request(req: HttpRequest): Promise<HttpResponse> {
      await backoff.wait(hostOf(req.url), req.abortSignal);
      const res = await http.request(req);
      backoff.observe(res.url || req.url, res.status, res.headers);
      return res;
    },
    async fetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
      const url = input instanceof Request ? input.url : input;
      await backoff.wait(hostOf(url), init?.signal ?? undefined);
      const res = await http.fetch(input, init);
      const headers: Record<string, string> = {};
      res.headers.forEach((v, k) => (headers[k.toLowerCase()] = v));
      backoff.observe(url, res.status, headers);
      return res;
    },
  };
}
