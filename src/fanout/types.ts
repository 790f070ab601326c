/**
 * Shapes of the fan-out runner: run one operation in many customer tenants (DESIGN.md "fanout/").
 * The record shape is CONTRACTS §7 (`foreach --jsonl`).
 */
import type { SamkitError } from "../errors/index.js";
import type { ErrorAction } from "../errors/types.js";
import type { HostBackoff } from "./host-backoff.js";

/** The customer a tenant belongs to, as far as the caller knows it (Partner Center `companyProfile`). */
export interface FanoutCustomer {
  /** Partner Center customer ID (normally equal to the tenant ID). */
  readonly id: string;
  readonly companyName: string | null;
  readonly domain: string | null;
}

/** One tenant to run the operation in. */
export interface FanoutTarget {
  /** Tenant GUID (lower-case) or, when no GUID is known, a domain. */
  readonly tenantId: string;
  readonly customer?: FanoutCustomer;
}

/** What the operation returns for one tenant. Throwing is the same as `{ ok: false }`. */
export type FanoutOutcome<T> =
  | { readonly ok: true; readonly status: number | null; readonly data: T }
  | { readonly ok: false; readonly status: number | null; readonly error: SamkitError; readonly data?: T };

/** Per-call context handed to the operation. */
export interface FanoutTaskContext {
  /**
   * Aborted when the run stops with `inFlight: "abort"` (a second Ctrl-C). Pass it to every
   * network call so the tenant's work ends promptly.
   */
  readonly abortSignal: AbortSignal;
  /** The per-host 429 back-off shared by every worker of this run. */
  readonly backoff: HostBackoff;
}

/** The per-tenant operation, e.g. "get a Graph token for the tenant, then GET /v1.0/users". */
export type FanoutOperation<T> = (
  target: FanoutTarget,
  context: FanoutTaskContext,
) => Promise<FanoutOutcome<T>>;

/** The error part of a {@link FanoutRecord} (CONTRACTS §7 plus `nextStep`). */
export interface FanoutRecordError {
  /** Stable samkit catalogue code, e.g. `SAMKIT_CUSTOMER_NOT_CONSENTED`. */
  readonly code: string;
  readonly action: ErrorAction;
  readonly message: string;
  /** What the user should do about this tenant. */
  readonly nextStep: string;
}

/**
 * One result line (CONTRACTS §7): `{tenantId, customer, ok, status, data | error}`. `status` is
 * the HTTP status of the tenant's call, or of the failed token request, or `null` when no
 * response was received.
 */
export type FanoutRecord<T> =
  | {
      readonly tenantId: string;
      readonly customer: FanoutCustomer | null;
      readonly ok: true;
      readonly status: number | null;
      readonly data: T;
    }
  | {
      readonly tenantId: string;
      readonly customer: FanoutCustomer | null;
      readonly ok: false;
      readonly status: number | null;
      readonly error: FanoutRecordError;
    };

/** Why a tenant was skipped before anything was requested for it. */
export type SkipReason = "not-allowed" | "excluded" | "duplicate";

/** Counters reported while a run progresses. */
export interface FanoutProgress {
  /** Tenants finished (ok + failed). */
  readonly done: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly skipped: number;
  /** Operations running right now. */
  readonly active: number;
  /** Total tenants when the source is an array, else `undefined`. */
  readonly total: number | undefined;
}

/** A failed tenant, kept (without data) for the summary table. */
export interface FanoutFailure {
  readonly tenantId: string;
  readonly customer: FanoutCustomer | null;
  readonly status: number | null;
  readonly error: FanoutRecordError;
}

/** What a finished (or stopped) run reports. */
export interface FanoutSummary<T> {
  /** Tenants whose operation finished (ok + failed). */
  readonly attempted: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Tenants refused by the allow-list / exclude-list (or listed twice); no token was requested. */
  readonly skipped: number;
  /** Tenants never started because the run was interrupted or stopped. `undefined` for a streaming source. */
  readonly notStarted: number | undefined;
  /** True when `abortSignal` fired before every tenant finished. */
  readonly interrupted: boolean;
  /**
   * The error that stopped the run early, if any: a tenant's partner-wide error (see
   * {@link FanoutOptions.stopOn}), or the target source's failure (see `targetsFailed`).
   */
  readonly stoppedBy: SamkitError | undefined;
  /**
   * True when `stoppedBy` is the target source's failure (e.g. the Partner Center customer
   * listing failed after some pages): the tenants already listed ran, the rest were never started.
   */
  readonly targetsFailed?: boolean;
  /** Failures per catalogue code. */
  readonly failuresByCode: Readonly<Record<string, number>>;
  /** Failed tenants, first {@link FanoutOptions.maxFailuresKept} of them. */
  readonly failures: readonly FanoutFailure[];
  /** Wall time of the run in milliseconds. */
  readonly durationMs: number;
  /** Every record, only when {@link FanoutOptions.keepResults} is true. */
  readonly results: readonly FanoutRecord<T>[] | undefined;
}

/** Options of {@link runFanout}. */
export interface FanoutOptions<T> {
  /** Operations running at once (p-limit). Default 8; at least 1. */
  readonly concurrency?: number;
  /**
   * Checked for every tenant **before** the operation (and so before any token request) runs.
   * See {@link createTenantFilter}.
   */
  readonly filter?: TenantFilterLike;
  /**
   * Stops scheduling new tenants when aborted (Ctrl-C). In-flight operations finish unless
   * `inFlight` is `"abort"` or `abortInFlightSignal` fires.
   */
  readonly abortSignal?: AbortSignal;
  /** What happens to running operations when `abortSignal` fires. Default `"finish"`. */
  readonly inFlight?: "finish" | "abort";
  /** Aborts running operations (e.g. a second Ctrl-C) even when `inFlight` is `"finish"`. */
  readonly abortInFlightSignal?: AbortSignal;
  /** Called once per finished tenant, in completion order; awaited (use it for back-pressure). */
  readonly onResult?: (record: FanoutRecord<T>) => void | Promise<void>;
  /** Called for each skipped tenant. */
  readonly onSkip?: (target: FanoutTarget, reason: SkipReason) => void;
  /** Called after every finished or skipped tenant. */
  readonly onProgress?: (progress: FanoutProgress) => void;
  /**
   * Errors that make every other tenant pointless (the partner's refresh token is expired or
   * revoked): the run stops scheduling and reports it as `stoppedBy`. Default: action `reconsent`.
   */
  readonly stopOn?: (error: SamkitError) => boolean;
  /** Keep every record in `summary.results` (memory grows with the tenant count). Default false. */
  readonly keepResults?: boolean;
  /** How many failures `summary.failures` keeps. Default 1,000. */
  readonly maxFailuresKept?: number;
  /** Share a back-off between runs; default: a new {@link HostBackoff}. */
  readonly backoff?: HostBackoff;
}

/** Anything that can refuse a tenant before work starts (see `tenant-filter.ts`). */
export interface TenantFilterLike {
  /** `undefined` when allowed, else why not. */
  check(target: FanoutTarget): SkipReason | undefined;
}
