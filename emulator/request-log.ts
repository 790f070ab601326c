/**
 * In-memory log of every request the emulator received, for tests (`takeRequests()`,
 * `GET /_emulator/requests`). Bounded (oldest dropped). Values are kept verbatim: the log never
 * leaves the process except through the loopback control API.
 */
import type { ServiceName } from "./context.js";

/** One logged request. */
export interface LoggedRequest {
  readonly seq: number;
  /** ISO 8601 on the emulator clock. */
  readonly time: string;
  readonly service: ServiceName;
  readonly method: string;
  /** Path without query. */
  readonly path: string;
  /** Query parameters (last value wins). */
  readonly query: Record<string, string>;
  /** Request headers, lower-case names. */
  readonly headers: Record<string, string>;
  /** Form or JSON bodies as text (≤ 64 KiB); undefined otherwise. */
  readonly body?: string;
  /** Parsed `application/x-www-form-urlencoded` body, when that was the content type. */
  readonly form?: Record<string, string>;
  /** Response status, filled in after the handler ran. */
  status?: number;
}

/** Bounded request log. */
export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;
  constructor(private readonly max = 20_000) {}

  /** Append an entry (assigns `seq`). */
  add(entry: Omit<LoggedRequest, "seq">): LoggedRequest {
    const e: LoggedRequest = { ...entry, seq: ++this.seq };
    this.entries.push(e);
    if (this.entries.length > this.max) this.entries.splice(0, this.entries.length - this.max);
    return e;
  }

  /** Entries so far, optionally only one service's; the log is kept. */
  list(service?: ServiceName): LoggedRequest[] {
    return service ? this.entries.filter((e) => e.service === service) : [...this.entries];
  }

  /** Return every entry and clear the log. */
  take(service?: ServiceName): LoggedRequest[] {
    const out = this.list(service);
    this.entries = service ? this.entries.filter((e) => e.service !== service) : [];
    return out;
  }

  clear(): void {
    this.entries = [];
  }
}
