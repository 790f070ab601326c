/** The single HTTP seam: `createHttpClient` and its types. Nothing else in src/ calls `fetch`. */
export type { HttpClient, HttpRequest, HttpResponse, RetryOptions, ServiceKind } from "./types.js";
export { createHttpClient, createDispatcher, DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, RETRYABLE_STATUSES, type HttpClientOptions } from "./client.js";
export { retryAfterSeconds } from "./retry-after.js";
export { createFetch } from "./fetch-adapter.js";
export { assertOk } from "./assert-ok.js";
