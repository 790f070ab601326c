/** Helpers shared by the classifiers. */
import { nowMs } from "../../clock.js";
import { retryAfterSeconds } from "./retry-after.js";
import type { ClassifyOptions, ErrorResponse, ServiceHint } from "./types.js";

/** A response with lower-cased single-valued headers and the body parsed when it is JSON. */
export interface NormalizedResponse {
  readonly status: number | undefined;
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON object/array, or the text, or `undefined` when empty. */
  readonly body: unknown;
  /** The raw text of the body (`""` when empty). */
  readonly text: string;
}

/** Normalise an {@link ErrorResponse}. */
export function normalize(res: ErrorResponse): NormalizedResponse {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers ?? {})) {
    if (v === undefined) continue;
    headers[k.toLowerCase()] = typeof v === "string" ? v : v.join(", ");
  }
  const raw = res.body !== undefined ? res.body : res.text;
  let body: unknown = raw;
  let text = "";
  if (typeof raw === "string") {
    text = raw;
    const t = raw.trim();
    if (t === "") body = undefined;
    else if (t.startsWith("{") || t.startsWith("[")) {
      try {
        body = JSON.parse(t) as unknown;
      } catch {
        body = raw;
      }
    }
  } else if (raw !== undefined && raw !== null) {
    text = JSON.stringify(raw);
  } else {
    body = undefined;
  }
  return { status: res.status, headers, body, text };
}

/** True for a plain JSON object. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `v` if it is a string, else `undefined`. */
export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Seconds from `Retry-After` (or the `-ms` variants) of `res`. */
export function retryAfterOf(res: NormalizedResponse, options: ClassifyOptions): number | undefined {
  return retryAfterSeconds(res.headers, options.nowMs ?? nowMs());
}

/** Human name of a service for messages. */
export function serviceName(service: ServiceHint | undefined): string {
  switch (service) {
    case "identity":
      return "The identity platform";
    case "partner-center":
      return "Partner Center";
    case "graph":
      return "Microsoft Graph";
    case "arm":
      return "Azure Resource Manager";
    case "keyvault":
      return "Key Vault";
    default:
      return "The service";
  }
}

/** "wait N s" text for next steps. */
export function waitText(seconds: number | undefined): string {
  return seconds === undefined ? "a minute" : `${Math.ceil(seconds)} s`;
}

/** First line of a (possibly multi-line) service message, trimmed to 500 characters. */
export function firstLine(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  const line = s.split(/\r?\n/)[0]?.trim() ?? "";
  return line === "" ? undefined : line.slice(0, 500);
}
