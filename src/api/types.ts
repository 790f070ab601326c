/**
 * Shapes of the generic API passthrough (`samkit api`, and `samkit foreach -- api …` in-process).
 * The passthrough is a library first: {@link ApiRequestSpec} is parsed once from `api` arguments,
 * then executed per tenant by `callApi` / `paginateApi`.
 */
import type { CloudDefinition } from "../cloud/types.js";
import type { HttpClient, RetryOptions } from "../http/types.js";
import type { SamkitError } from "../errors/index.js";
import type { GetAccessToken } from "../partner-center/types.js";

/** One API request as the user described it; independent of tenant and cloud. */
export interface ApiRequestSpec {
  /** Upper-case HTTP method. Default `GET`, or `POST` with `--input`. */
  readonly method: string;
  /** Path relative to the resource's endpoint (`/v1/customers`, `/v1.0/users`) or an absolute URL. */
  readonly path: string;
  /**
   * `--resource`: an alias (`partner-center`, `graph`, `arm`, `keyvault`, `aad-graph`, `exchange`)
   * or a resource URI. `undefined` = infer from a full URL or from the path's version prefix.
   */
  readonly resource?: string;
  /** `--tenant`: tenant GUID or domain; `undefined` = the partner tenant. */
  readonly tenant?: string;
  /** `--app-only`: a client-credentials token instead of App+User. */
  readonly appOnly: boolean;
  /** Extra request headers from `-H 'Key: Value'` (later values win). */
  readonly headers: Readonly<Record<string, string>>;
  /** Query parameters to add (from fields on GET/DELETE, or alongside `--input`). */
  readonly query: readonly (readonly [string, string])[];
  /** Request body text (from fields as a JSON object, or the `--input` file); `undefined` = none. */
  readonly body?: string;
  /** `--paginate`: follow next links and merge items. */
  readonly paginate: boolean;
  /** `--jsonl`: print one item per line instead of one JSON document. */
  readonly jsonl: boolean;
}

/** What executing a spec needs. `getToken` is `TokenBroker.getToken` or any compatible function. */
export interface ApiContext {
  readonly http: HttpClient;
  readonly cloud: CloudDefinition;
  readonly getToken: GetAccessToken;
  /** Overrides `spec.tenant` (the fan-out runner passes each customer here). */
  readonly tenant?: string;
  /** `X-Locale` for Partner Center (default `en-US`). */
  readonly locale?: string;
  readonly retry?: RetryOptions;
  /** Per-attempt timeout, milliseconds (default: the seam's). */
  readonly timeoutMs?: number;
  /** Stop after this many pages when paginating (default 10 000; a guard, not a feature). */
  readonly maxPages?: number;
  readonly abortSignal?: AbortSignal;
}

/** The service a request is for, with where to send it. */
export interface ApiTarget {
  /** Absolute request URL (query from the spec included). */
  readonly url: URL;
  /** Resource alias when the target is a known service, else `undefined`. */
  readonly alias?: "partner-center" | "graph" | "arm" | "aad-graph" | "exchange" | "keyvault";
  /** What to ask the token provider for: the alias, or the resource URI. */
  readonly tokenResource: string;
}

/** One page (or the single response) of an API call. */
export interface ApiPage {
  readonly status: number;
  /** Parsed JSON body (or the raw text when it is not JSON; `null` for an empty body). */
  readonly data: unknown;
  /** The collection items of this page when the body is a collection (`items` / `value`). */
  readonly items?: readonly unknown[];
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * The outcome of one call for one tenant. `data` is the body, or with `paginate` the merged array
 * of every page's items. `error` is the catalogue error (service error, token error, transport).
 */
export type ApiResult =
  | { readonly ok: true; readonly status: number; readonly data: unknown }
  | { readonly ok: false; readonly status: number; readonly error: SamkitError; readonly data?: unknown };
