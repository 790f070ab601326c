/**
 * Allow-list redaction for logs (STYLE.md, after the Azure SDK's HTTP logger): header names,
 * query parameters and form fields are printed only when listed here; every other value becomes
 * {@link REDACTED}. Secrets (Authorization, tokens, `code`, `refresh_token`, `client_secret`,
 * `client_assertion`, `password`, cookies) are therefore never logged, whatever their spelling.
 *
 * @see https://github.com/Azure/azure-sdk-for-js/blob/main/sdk/core/core-rest-pipeline/src/util/sanitizer.ts
 */

/** The text that replaces a value that is not allow-listed. */
export const REDACTED = "REDACTED";

/** Header names (lower-case) whose values may be logged. */
export const LOGGABLE_HEADERS: ReadonlySet<string> = new Set([
  "accept",
  "accept-encoding",
  "accept-language",
  "cache-control",
  "client-request-id",
  "content-length",
  "content-type",
  "date",
  "etag",
  "expires",
  "if-match",
  "if-none-match",
  "ms-contract-version",
  "ms-correlationid",
  "ms-requestid",
  "ms-cv",
  "ms-partnercenter-application",
  "request-id",
  "retry-after",
  "retry-after-ms",
  "return-client-request-id",
  "server",
  "strict-transport-security",
  "transfer-encoding",
  "user-agent",
  "x-content-type-options",
  "x-locale",
  "x-ms-ags-diagnostic",
  "x-ms-clitelem",
  "x-ms-correlation-request-id",
  "x-ms-keyvault-service-version",
  "x-ms-request-id",
  "x-ms-retry-after-ms",
]);

/** Query parameter names whose values may be logged. */
export const LOGGABLE_QUERY_PARAMS: ReadonlySet<string> = new Set([
  "api-version",
  "$top",
  "$select",
  "$count",
  "$orderby",
  "size",
  "offset",
  "maxresults",
  "client-request-id",
]);

/** Form (application/x-www-form-urlencoded) fields whose values may be logged. */
export const LOGGABLE_FORM_FIELDS: ReadonlySet<string> = new Set([
  "grant_type",
  "client_id",
  "scope",
  "resource",
  "redirect_uri",
  "response_type",
  "response_mode",
  "client_assertion_type",
  "code_challenge_method",
  "client_info",
  "prompt",
]);

type HeaderInput = Readonly<Record<string, string | readonly string[] | undefined>> | Headers;

/** Header map with every value that is not in {@link LOGGABLE_HEADERS} replaced by {@link REDACTED}. Names are lower-cased. */
export function redactHeaders(headers: HeaderInput | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  const entries: [string, string | readonly string[] | undefined][] =
    headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    out[key] = LOGGABLE_HEADERS.has(key) ? (typeof value === "string" ? value : value.join(", ")) : REDACTED;
  }
  return out;
}

/**
 * The URL without user info or fragment, with every query value not in
 * {@link LOGGABLE_QUERY_PARAMS} replaced by {@link REDACTED}. Unparseable input → {@link REDACTED}.
 */
export function redactUrl(url: string | URL): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return REDACTED;
  }
  u.username = "";
  u.password = "";
  u.hash = "";
  const params = [...u.searchParams.keys()];
  for (const name of new Set(params)) {
    if (!LOGGABLE_QUERY_PARAMS.has(name.toLowerCase())) {
      const n = u.searchParams.getAll(name).length;
      u.searchParams.delete(name);
      for (let i = 0; i < n; i++) u.searchParams.append(name, REDACTED);
    }
  }
  return u.toString();
}

/**
 * A loggable summary of a request body: form bodies with non-allow-listed fields redacted
 * (`grant_type=refresh_token&refresh_token=REDACTED`); anything else only as its size
 * (`[json 123 bytes]`), because JSON bodies may carry secrets (e.g. `passwordCredentials`).
 */
export function redactBody(body: string | Uint8Array | undefined, contentType: string | undefined): string | undefined {
  if (body === undefined) return undefined;
  const size = typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
  const ct = (contentType ?? "").toLowerCase();
  if (ct.startsWith("application/x-www-form-urlencoded")) {
    const text = typeof body === "string" ? body : Buffer.from(body).toString("utf8");
    const form = new URLSearchParams(text);
    const out = new URLSearchParams();
    for (const [k, v] of form) out.append(k, LOGGABLE_FORM_FIELDS.has(k.toLowerCase()) ? v : REDACTED);
    return out.toString();
  }
  const kind = ct.includes("json") ? "json" : "body";
  return `[${kind} ${size} bytes]`;
}
