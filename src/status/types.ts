/**
 * Shapes of `samkit status` as a library (DESIGN.md flow: "what is stored where, refresh-token
 * age and expiry, MFA claim, secret expiry, per-tenant health"). Times are ISO 8601 strings
 * (CONTRACTS §7); day counts are whole days.
 */
import type { CloudDefinition } from "../cloud/types.js";
import type { ErrorAction } from "../errors/types.js";
import type { HttpClient } from "../http/types.js";
import type { Customer } from "../partner-center/types.js";
import type { PartnerProfile } from "../store/types.js";

/** A token request as the broker takes it (`TokenBroker.getToken`). */
export interface StatusTokenRequest {
  readonly resource?: string;
  readonly tenant?: string;
  readonly appOnly?: boolean;
  readonly forceRefresh?: boolean;
  readonly abortSignal?: AbortSignal;
}

/** What {@link collectStatus} needs; the CLI builds it from `src/cli/context.ts`. */
export interface StatusDependencies {
  /** Profile name (`SAMKIT_PROFILE`, default `default`). */
  readonly profileName: string;
  /** Which store answered, e.g. `file:/…/store.enc (key: key file /…/store.key)`. */
  readonly storeDescription: string;
  /** The stored profile, already read (`readProfile`); `undefined` when nothing is stored. */
  readonly profile: PartnerProfile | undefined;
  readonly cloud: CloudDefinition;
  readonly http: HttpClient;
  /** `TokenBroker.getToken`. */
  readonly getToken: (request: StatusTokenRequest) => Promise<{ readonly token: string }>;
  /** `TokenBroker.renewRefreshToken` (for `--renew`). */
  readonly renewRefreshToken?: (options: {
    abortSignal?: AbortSignal;
  }) => Promise<{ readonly persisted: boolean; readonly rotatedAt?: string }>;
  /** Re-reads the profile after `--renew` so the report shows the new rotation time. */
  readonly rereadProfile?: () => Promise<PartnerProfile | undefined>;
  /** Partner Center customers (for `--tenants`). */
  readonly listCustomers?: (options: { abortSignal?: AbortSignal }) => AsyncIterable<Customer>;
}

/** Options of {@link collectStatus}. */
export interface StatusOptions {
  /** Re-mint the refresh token and persist it (the weekly keep-alive). Default false. */
  readonly renew?: boolean;
  /** Check every customer tenant (token obtainable? Graph reachable?). Default false. */
  readonly tenants?: boolean;
  /** Concurrency of the tenant checks (default 8). */
  readonly concurrency?: number;
  /** Look the app secret's expiry up in Microsoft Graph (default true). */
  readonly graph?: boolean;
  /** Warn when fewer days than this are left (refresh-token window, secret). Default 14. */
  readonly warnDays?: number;
  readonly abortSignal?: AbortSignal;
}

/** A problem found, with the catalogue's next step. */
export interface StatusProblem {
  readonly code: string;
  readonly action: ErrorAction;
  readonly message: string;
  readonly nextStep: string;
  /** `error` problems decide the exit code; `warning`s do not. */
  readonly severity: "error" | "warning";
}

/** The refresh token's 90-day inactivity window, measured from its stored rotation time. */
export interface RefreshTokenStatus {
  readonly present: boolean;
  /** When the stored token was minted (its rotation time), ISO 8601. */
  readonly rotatedAt: string | null;
  /** When it was last written to the store, ISO 8601. */
  readonly persistedAt: string | null;
  /** Whole days since `rotatedAt`. */
  readonly ageDays: number | null;
  /** Whole days left of the 90-day inactivity window (0 when past it). */
  readonly daysLeft: number | null;
  /** `rotatedAt` + 90 days, ISO 8601. */
  readonly inactivityExpiresAt: string | null;
  /**
   * `rejected`: the identity platform refused the token just now (revoked sessions, password
   * reset, consent withdrawn…: a problem with action `reconsent`), whatever the window says.
   */
  readonly state: "ok" | "expiring" | "expired" | "missing" | "rejected";
}

/** The app's credential and when it expires. */
export interface AppCredentialStatus {
  readonly kind: "secret" | "certificate" | "none";
  /** Graph `keyId` of the credential in use, when known. */
  readonly keyId: string | null;
  /** ISO 8601 expiry, when known. */
  readonly expiresAt: string | null;
  readonly daysLeft: number | null;
  /** `graph` when read from the app registration now, `store` from the profile's metadata. */
  readonly source: "graph" | "store" | null;
  /** Why Graph could not be asked, when it could not. */
  readonly graphError: { readonly code: string; readonly message: string } | null;
}

/** One customer tenant's health (`--tenants`). */
export interface TenantHealth {
  readonly tenantId: string;
  readonly companyName: string | null;
  readonly domain: string | null;
  /** A Graph token for the tenant was issued. */
  readonly token: boolean;
  /** `GET /v1.0/organization` in the tenant answered 2xx. */
  readonly graph: boolean;
  /** The first failure, with its next step; `null` when healthy. */
  readonly error: {
    readonly code: string;
    readonly action: ErrorAction;
    readonly message: string;
    readonly nextStep: string;
  } | null;
}

/** Everything `samkit status` reports (its `--json` output). */
export interface StatusReport {
  readonly profile: string;
  readonly configured: boolean;
  /** Which store answered (never a secret). */
  readonly store: string;
  readonly cloud: string;
  readonly partnerTenantId: string | null;
  readonly appId: string | null;
  readonly consent: { readonly at: string | null; readonly by: string | null; readonly mfa: boolean | null };
  readonly refreshToken: RefreshTokenStatus;
  readonly appCredential: AppCredentialStatus;
  /** Set with `--renew`. */
  readonly renew: { readonly persisted: boolean; readonly rotatedAt: string | null } | null;
  /** Set with `--tenants`. */
  readonly tenants: {
    readonly healthy: number;
    readonly unhealthy: number;
    readonly list: readonly TenantHealth[];
  } | null;
  readonly problems: readonly StatusProblem[];
  /** CONTRACTS §5: 0 ok, 4 re-consent needed, 1 another error, 3 some tenants unhealthy. */
  readonly exitCode: number;
}
