/**
 * The catalogue as a lookup, for `samkit explain`: an AADSTS or samkit code → its entry; a pasted
 * response (JSON body, case file, raw HTTP response, or a log line with `AADSTSnnnn`) → its
 * classification.
 */
import { catalogue, type SamkitErrorCode } from "./catalogue/index.js";
import { AADSTS_CODES, aadstsOf, catalogueCodeForAadsts } from "./classify/aadsts.js";
import { isAzureErrorBody } from "./classify/graph.js";
import { isIdentityErrorBody } from "./classify/identity.js";
import { isApiFault, isPartnerCenterThrottleBody } from "./classify/partner-center.js";
import { classifyResponse } from "./classify/response.js";
import type { ErrorResponse } from "./classify/types.js";
import { SamkitError } from "./samkit-error.js";

/** Largest input `explainText` accepts, in characters. */
export const EXPLAIN_MAX_INPUT = 1_000_000;

function unreadable(detail: string): SamkitError {
  return new SamkitError("SAMKIT_EXPLAIN_UNREADABLE", { params: { detail } });
}

function isCatalogueCode(s: string): s is SamkitErrorCode {
  return Object.prototype.hasOwnProperty.call(catalogue, s);
}

/**
 * Explain one code: `70008`, `AADSTS70008` or a samkit code (`SAMKIT_REFRESH_TOKEN_EXPIRED`).
 * Unknown AADSTS numbers still get an answer: `SAMKIT_IDENTITY_ERROR`, action `none`, pointing at
 * Microsoft's error page.
 *
 * @throws SamkitError `SAMKIT_EXPLAIN_UNREADABLE` when `input` is neither.
 */
export function explainCode(input: string): SamkitError {
  const s = input.trim();
  const m = /^(?:AADSTS)?(\d{1,9})$/i.exec(s);
  if (m?.[1]) {
    const aadsts = Number(m[1]);
    const mapped = catalogueCodeForAadsts(aadsts);
    const detail = `AADSTS${aadsts} is not in samkit's catalogue; Microsoft describes it at https://login.microsoftonline.com/error?code=${aadsts}`;
    return new SamkitError(mapped ?? "SAMKIT_IDENTITY_ERROR", { aadsts, params: { aadsts, error: "", detail } });
  }
  const upper = s.toUpperCase();
  if (isCatalogueCode(upper)) {
    return new SamkitError(upper, { params: { detail: "(details are filled in when the error happens)" } });
  }
  throw unreadable(`'${s.slice(0, 80)}' is not an AADSTS code (e.g. 70008, AADSTS700082) or a samkit code (SAMKIT_…)`);
}

function parseRawHttp(text: string): ErrorResponse {
  const [head = "", ...rest] = text.split(/\r?\n\r?\n/);
  const lines = head.split(/\r?\n/);
  const statusLine = /^HTTP\/[\d.]+\s+(\d{3})/.exec(lines[0] ?? "");
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(":");
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { ...(statusLine?.[1] ? { status: Number(statusLine[1]) } : {}), headers, body: rest.join("\n\n") };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function asResponse(v: Record<string, unknown>): ErrorResponse | undefined {
  const status = v["status"];
  const headers = v["headers"];
  if (typeof status !== "number" && !isRecord(headers)) return undefined;
  if (!("body" in v) && !isRecord(headers)) return undefined;
  const h: Record<string, string> = {};
  if (isRecord(headers)) for (const [k, val] of Object.entries(headers)) if (typeof val === "string") h[k] = val;
  return { ...(typeof status === "number" ? { status } : {}), headers: h, body: v["body"] };
}

/**
 * True when a parsed JSON input has something to classify: an HTTP status, or an identity error
 * body, a Partner Center ApiFault or throttling body, an Azure `{error:{code}}` body, or AADSTS
 * `error_codes`. `{"foo":1}` has none of them.
 */
function recognisable(r: ErrorResponse): boolean {
  if (r.status !== undefined) return true;
  const b = r.body;
  if (isIdentityErrorBody(b) || isApiFault(b) || isPartnerCenterThrottleBody(b) || isAzureErrorBody(b)) return true;
  if (typeof b === "string") return aadstsOf(undefined, b) !== undefined;
  return aadstsOf(b, undefined) !== undefined;
}

/**
 * Parse pasted input into a response: a case file `{"response":{status, headers, body}}`, a bare
 * `{status, headers, body}`, a raw error body (JSON), a raw HTTP response (`HTTP/1.1 429 …`), or
 * text containing `AADSTSnnnn`.
 *
 * @throws SamkitError `SAMKIT_EXPLAIN_UNREADABLE` for empty, oversized or unparseable input, JSON
 *   without an HTTP status or any recognisable error field (`{"foo":1}`), or text with nothing
 *   samkit recognises.
 */
export function parseExplainInput(text: string): ErrorResponse {
  if (text.length > EXPLAIN_MAX_INPUT) throw unreadable(`the input is larger than ${EXPLAIN_MAX_INPUT} characters`);
  const t = text.replace(/^\uFEFF/, "").trim();
  if (t === "") throw unreadable("the input is empty");
  if (/^HTTP\/\d/.test(t)) return parseRawHttp(t);
  if (t.startsWith("{") || t.startsWith("[")) {
    let data: unknown;
    try {
      data = JSON.parse(t) as unknown;
    } catch (e) {
      throw unreadable(`the input looks like JSON but does not parse (${(e as Error).message})`);
    }
    if (!isRecord(data)) throw unreadable("the JSON input is not an object");
    const inner = data["response"];
    const r = isRecord(inner) ? (asResponse(inner) ?? { body: inner }) : (asResponse(data) ?? { body: data });
    if (!recognisable(r)) {
      // A JSON log record that mentions AADSTSnnnn somewhere: explain it as text (like a log line).
      const at = t.search(/AADSTS\d/);
      if (at >= 0 && aadstsOf(undefined, t.slice(at)) !== undefined) return { body: t.slice(at) };
      throw unreadable("the JSON has no HTTP status and no error fields samkit knows (error/error_description/error_codes, an ApiFault code, error.code, or an AADSTS code)");
    }
    return r;
  }
  if (aadstsOf(undefined, t) !== undefined) return { body: t };
  throw unreadable("no JSON error body, HTTP response or AADSTS code found in the text");
}

/**
 * Classify pasted input ({@link parseExplainInput} then `classifyResponse`).
 * @throws SamkitError `SAMKIT_EXPLAIN_UNREADABLE`.
 */
export function explainText(text: string): SamkitError {
  return classifyResponse(parseExplainInput(text));
}

/** The AADSTS → samkit mapping as rows, sorted by AADSTS number (for `samkit explain` without arguments). */
export function aadstsTable(): { aadsts: number; code: SamkitErrorCode; action: string }[] {
  return Object.entries(AADSTS_CODES)
    .map(([n, code]) => ({ aadsts: Number(n), code, action: catalogue[code].action }))
    .sort((a, b) => a.aadsts - b.aadsts);
}
