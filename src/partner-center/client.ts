import { randomUUID } from "node:crypto";
import type { CloudDefinition } from "../cloud/types.js";
import type { HttpClient, HttpResponse, RetryOptions } from "../http/types.js";
import { SamkitError } from "../errors/index.js";
import { sendWithReauth } from "../broker/reauth.js";
import { partnerCenterErrorFromResponse } from "./errors.js";
import { partnerCenterNextPage, resolvePartnerCenterUri } from "./paging.js";
import { collectionSchema, customerSchema, objectSchema, validated } from "./schemas.js";
import type {
  ApplicationConsent,
  Customer,
  GetAccessToken,
  OrganizationProfile,
  PartnerCenterCallOptions,
  ResourceCollection,
  Subscription,
} from "./types.js";

/** Options for {@link PartnerCenterClient}. */
export interface PartnerCenterClientOptions {
  /** The HTTP seam (retries on 429/5xx with `Retry-After`, CONTRACTS §8). */
  readonly http: HttpClient;
  /** Where Partner Center lives: `cloud.resources["partner-center"].endpoint`. */
  readonly cloud: CloudDefinition;
  /** Access tokens; called with `{ resource: "partner-center" }` (partner tenant, App+User). */
  readonly getToken: GetAccessToken;
  /** `X-Locale` header (default `en-US`). */
  readonly locale?: string;
  /** API version path segment (default `v1`). */
  readonly apiVersion?: string;
  /** `MS-PartnerCenter-Application` header (default `samkit`). */
  readonly applicationName?: string;
  /** Page size for collections (default 100; Partner Center's documented maximum for customers is 500). */
  readonly pageSize?: number;
  /** Retry policy passed to the HTTP seam; default: the seam's (CONTRACTS §8). */
  readonly retry?: RetryOptions;
  /** Per-attempt timeout in milliseconds (default: the seam's). */
  readonly timeoutMs?: number;
}

/** One Partner Center request as the client sends it. */
export interface PartnerCenterRequest extends PartnerCenterCallOptions {
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path under the versioned root (`customers/…`), a host-relative `/v1/…` path, or an absolute URL. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** JSON-serialisable body. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A parsed Partner Center response. */
export interface PartnerCenterResponse<T> {
  readonly status: number;
  readonly data: T;
  readonly headers: Readonly<Record<string, string>>;
  /** `MS-RequestId` sent (echoed by the service). */
  readonly requestId: string;
  readonly correlationId: string;
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Typed Partner Center REST client (App+User, partner tenant).
 *
 * Headers on every request (shared/facts/partner-center.md §1): `Authorization: Bearer`,
 * `Accept: application/json`, `MS-RequestId` — a new GUID per request, reused by the HTTP seam on
 * each retry of that request (idempotency) — `MS-CorrelationId` — one GUID per operation, shared by
 * all pages of a listing — `MS-Contract-Version: v1`, `X-Locale` and `MS-PartnerCenter-Application`.
 *
 * Errors: every non-2xx becomes a {@link SamkitError} through the catalogue: throttling
 * (`retry-later`, with `retryAfterSeconds`), ApiFault bodies (`partnerCenterCode`), and the
 * MFA-required 401 (`reconsent`: run `samkit consent` again with MFA). Transport failures come
 * from the seam as `SAMKIT_HTTP_*`.
 *
 * @see https://learn.microsoft.com/partner-center/developer/headers
 * @see https://learn.microsoft.com/partner-center/developer/partner-center-rest-api-reference
 */
export class PartnerCenterClient {
  readonly #http: HttpClient;
  readonly #getToken: GetAccessToken;
  readonly #locale: string;
  readonly #applicationName: string;
  readonly #pageSize: number;
  readonly #retry: RetryOptions | undefined;
  readonly #timeoutMs: number | undefined;
  /** The versioned API root, e.g. `https://api.partnercenter.microsoft.com/v1`. */
  readonly apiRoot: string;

  constructor(options: PartnerCenterClientOptions) {
    this.#http = options.http;
    this.#getToken = options.getToken;
    this.#locale = options.locale ?? "en-US";
    this.#applicationName = options.applicationName ?? "samkit";
    this.#pageSize = options.pageSize ?? 100;
    this.#retry = options.retry;
    this.#timeoutMs = options.timeoutMs;
    const endpoint = options.cloud.resources["partner-center"].endpoint.replace(/\/+$/, "");
    this.apiRoot = `${endpoint}/${options.apiVersion ?? "v1"}`;
  }

  /**
   * Send one request and parse the JSON answer.
   * @throws SamkitError — the catalogue code for the service's error (see class doc).
   */
  async request<T>(req: PartnerCenterRequest): Promise<PartnerCenterResponse<T>> {
    const url = new URL(resolvePartnerCenterUri(req.path, this.apiRoot));
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const correlationId = req.correlationId ?? randomUUID();
    const requestId = randomUUID();
    const tokenRequest = {
      resource: "partner-center",
      ...(req.abortSignal ? { abortSignal: req.abortSignal } : {}),
    };
    const headers: Record<string, string> = {
      Accept: "application/json",
      "MS-RequestId": requestId,
      "MS-CorrelationId": correlationId,
      "MS-Contract-Version": "v1",
      "X-Locale": this.#locale,
      "MS-PartnerCenter-Application": this.#applicationName,
      ...req.headers,
    };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = JSON.stringify(req.body);
      headers["Content-Type"] = "application/json";
    }
    const send = (token: string): Promise<HttpResponse> =>
      this.#http.request({
        method: req.method,
        url,
        headers: { ...headers, Authorization: `Bearer ${token}` },
        ...(body !== undefined ? { body } : {}),
        service: "partner-center",
        ...(this.#retry ? { retry: this.#retry } : {}),
        ...(this.#timeoutMs !== undefined ? { timeoutMs: this.#timeoutMs } : {}),
        ...(req.abortSignal ? { abortSignal: req.abortSignal } : {}),
      });
    // A 401 (token issued before a revocation, MFA claim missing, …) is retried once with a new token.
    const res = await sendWithReauth(this.#getToken, tokenRequest, send);
    if (res.status < 200 || res.status >= 300) throw partnerCenterErrorFromResponse(res);
    return {
      status: res.status,
      data: parseJson(res.text) as T,
      headers: res.headers,
      requestId,
      correlationId,
    };
  }

  /**
   * Iterate every page of a collection, following `links.next` with its continuation headers.
   * Callers never see continuation tokens. All pages share one `MS-CorrelationId`.
   */
  async *pages<T>(
    path: string,
    options: PartnerCenterCallOptions & {
      readonly query?: Readonly<Record<string, string | number | undefined>>;
    } = {},
  ): AsyncGenerator<ResourceCollection<T>, void, undefined> {
    const correlationId = options.correlationId ?? randomUUID();
    const common = { correlationId, ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}) };
    let page = await this.request<unknown>({
      method: "GET",
      path,
      ...(options.query ? { query: options.query } : {}),
      ...common,
    });
    const seen = new Set<string>();
    for (;;) {
      const data = validated(collectionSchema, page.data, path) as ResourceCollection<T>;
      yield data;
      const next = partnerCenterNextPage(data, this.apiRoot);
      if (!next) return;
      const key = `${next.url}\n${JSON.stringify(next.headers)}`;
      if (seen.has(key)) {
        throw new SamkitError("SAMKIT_PC_PAGING_LOOP", { params: { path } });
      }
      seen.add(key);
      page = await this.request<unknown>({ method: "GET", path: next.url, headers: next.headers, ...common });
    }
  }

  /** Iterate every item of a collection (see {@link pages}). */
  async *items<T>(
    path: string,
    options: PartnerCenterCallOptions & {
      readonly query?: Readonly<Record<string, string | number | undefined>>;
    } = {},
  ): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages<T>(path, options)) yield* page.items;
  }

  /** The partner's organization profile (`GET /v1/profiles/organization`). */
  async getOrganizationProfile(options: PartnerCenterCallOptions = {}): Promise<OrganizationProfile> {
    const res = await this.request<unknown>({ method: "GET", path: "profiles/organization", ...options });
    return validated(objectSchema, res.data, "profiles/organization");
  }

  /**
   * Every customer of the partner, page by page (`GET /v1/customers?size=N`, then `links.next`).
   * @see https://learn.microsoft.com/partner-center/developer/get-a-list-of-customers
   */
  async *listCustomers(
    options: PartnerCenterCallOptions & { readonly pageSize?: number } = {},
  ): AsyncGenerator<Customer, void, undefined> {
    for await (const c of this.items<unknown>("customers", {
      ...options,
      query: { size: options.pageSize ?? this.#pageSize },
    })) {
      yield validated(customerSchema, c, "customers");
    }
  }

  /**
   * One customer by customer ID (`GET /v1/customers/{id}`).
   * @throws SamkitError `SAMKIT_PC_CUSTOMER_NOT_FOUND` (naming the ID; status 404 and the ApiFault
   *   code kept) when Partner Center answers 404; otherwise the ApiFault's error (e.g. 403 `20002`).
   */
  async getCustomer(customerId: string, options: PartnerCenterCallOptions = {}): Promise<Customer> {
    const path = `customers/${encodeURIComponent(customerId)}`;
    let res: PartnerCenterResponse<unknown>;
    try {
      res = await this.request<unknown>({ method: "GET", path, ...options });
    } catch (e) {
      if (e instanceof SamkitError && e.status === 404) {
        throw new SamkitError("SAMKIT_PC_CUSTOMER_NOT_FOUND", {
          params: { customer: customerId },
          status: 404,
          cause: e,
          ...(e.partnerCenterCode !== undefined ? { partnerCenterCode: e.partnerCenterCode } : {}),
          ...(e.serviceMessage !== undefined ? { serviceMessage: e.serviceMessage } : {}),
        });
      }
      throw e;
    }
    return validated(customerSchema, res.data, path);
  }

  /**
   * The customer whose default domain or custom domain equals `domain` (case-insensitive), or
   * `undefined`. Uses Partner Center's documented prefix filter
   * (`filter={"Field":"Domain","Value":…,"Operator":"starts_with"}`, all pages) and keeps exact
   * matches only. A service that ignores the filter returns the whole list, which is then scanned.
   * @see https://learn.microsoft.com/partner-center/developer/get-a-list-of-customers-filtered-by-a-search-field
   */
  async findCustomerByDomain(
    domain: string,
    options: PartnerCenterCallOptions = {},
  ): Promise<Customer | undefined> {
    const wanted = domain.trim().toLowerCase();
    const filter = JSON.stringify({ Field: "Domain", Value: wanted, Operator: "starts_with" });
    for await (const c of this.items<unknown>("customers", { ...options, query: { size: 0, filter } })) {
      const customer = validated(customerSchema, c, "customers") as Customer;
      if (matchesDomain(customer, wanted)) return customer;
    }
    return undefined;
  }

  /**
   * A customer by customer ID / tenant ID (a GUID) or by domain.
   * @throws SamkitError `SAMKIT_PC_CUSTOMER_NOT_FOUND` when no customer matches a domain.
   */
  async resolveCustomer(idOrDomain: string, options: PartnerCenterCallOptions = {}): Promise<Customer> {
    const v = idOrDomain.trim();
    if (isGuid(v)) return this.getCustomer(v.toLowerCase(), options);
    const found = await this.findCustomerByDomain(v, options);
    if (!found) throw new SamkitError("SAMKIT_PC_CUSTOMER_NOT_FOUND", { params: { customer: v } });
    return found;
  }

  /** A customer's subscriptions (`GET /v1/customers/{id}/subscriptions`). */
  listSubscriptions(
    customerId: string,
    options: PartnerCenterCallOptions = {},
  ): AsyncGenerator<Subscription, void, undefined> {
    return this.items<Subscription>(`customers/${encodeURIComponent(customerId)}/subscriptions`, options);
  }

  /** Application consents in a customer tenant (`GET /v1/customers/{id}/applicationconsents`). */
  async listApplicationConsents(
    customerId: string,
    options: PartnerCenterCallOptions = {},
  ): Promise<ApplicationConsent[]> {
    const out: ApplicationConsent[] = [];
    for await (const c of this.items<ApplicationConsent>(
      `customers/${encodeURIComponent(customerId)}/applicationconsents`,
      options,
    ))
      out.push(c);
    return out;
  }

  /**
   * Consent an application in a customer tenant (CPV / SAM onboarding):
   * `POST /v1/customers/{id}/applicationconsents` with `{displayName, applicationId, applicationGrants}`.
   * @see https://learn.microsoft.com/partner-center/developer/control-panel-vendor-apis
   * @throws SamkitError (409 `AlreadyExists` when a consent for the app exists: delete it first).
   */
  async createApplicationConsent(
    customerId: string,
    consent: ApplicationConsent,
    options: PartnerCenterCallOptions = {},
  ): Promise<ApplicationConsent> {
    const res = await this.request<ApplicationConsent | undefined>({
      method: "POST",
      path: `customers/${encodeURIComponent(customerId)}/applicationconsents`,
      body: consent,
      ...options,
    });
    return res.data ?? consent;
  }

  /** Remove an application consent (`DELETE /v1/customers/{id}/applicationconsents/{appId}`). */
  async deleteApplicationConsent(
    customerId: string,
    applicationId: string,
    options: PartnerCenterCallOptions = {},
  ): Promise<void> {
    await this.request<unknown>({
      method: "DELETE",
      path: `customers/${encodeURIComponent(customerId)}/applicationconsents/${encodeURIComponent(applicationId)}`,
      ...options,
    });
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a GUID such as a tenant or customer ID. */
export function isGuid(v: string): boolean {
  return GUID.test(v);
}

function matchesDomain(c: Customer, wanted: string): boolean {
  if (typeof c.companyProfile?.domain === "string" && c.companyProfile.domain.toLowerCase() === wanted)
    return true;
  return (
    Array.isArray(c.customDomains) &&
    c.customDomains.some((d) => typeof d === "string" && d.toLowerCase() === wanted)
  );
}
