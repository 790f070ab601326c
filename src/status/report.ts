import { nowMs } from "../clock.js";
import { SamkitError, isSamkitError } from "../errors/index.js";
import { ExitCode } from "../errors/types.js";
import type { PartnerProfile } from "../store/types.js";
import { appCredentialStatus } from "./app-credential.js";
import { refreshTokenStatus } from "./refresh-token.js";
import { tenantHealth } from "./tenant-health.js";
import type {
  AppCredentialStatus,
  RefreshTokenStatus,
  StatusDependencies,
  StatusOptions,
  StatusProblem,
  StatusReport,
} from "./types.js";

function problem(e: SamkitError, severity: StatusProblem["severity"]): StatusProblem {
  return { code: e.code, action: e.action, message: e.message, nextStep: e.nextStep, severity };
}

const NO_CREDENTIAL: AppCredentialStatus = {
  kind: "none",
  keyId: null,
  expiresAt: null,
  daysLeft: null,
  source: null,
  graphError: null,
};

/**
 * Exit code of a status report (CONTRACTS §5): 4 when any error-level problem needs re-consent,
 * else 1 for another error-level problem, 3 when only some customer tenants are unhealthy, else 0.
 */
export function statusExitCode(problems: readonly StatusProblem[]): ExitCode {
  const errors = problems.filter((p) => p.severity === "error");
  if (errors.some((p) => p.action === "reconsent")) return ExitCode.Reconsent;
  if (errors.some((p) => p.code !== "SAMKIT_STATUS_TENANTS_UNHEALTHY")) return ExitCode.Error;
  if (errors.length > 0) return ExitCode.Partial;
  return ExitCode.Ok;
}

/**
 * Collects `samkit status`: which store and profile, partner tenant, app ID, cloud, consent time
 * and user, MFA at consent, the refresh token's age and days left of its 90-day inactivity window
 * (from the stored rotation time, on samkit's clock — `SAMKIT_TEST_NOW` in tests), the app
 * credential's expiry (Graph when reachable, else stored metadata), and optionally per-tenant
 * health. With `renew`, re-mints the refresh token through the broker and persists it first.
 *
 * Never prints or returns a secret. Failures become `problems` with catalogue codes; only
 * programming errors throw.
 */
export async function collectStatus(
  deps: StatusDependencies,
  options: StatusOptions = {},
): Promise<StatusReport> {
  const warnDays = options.warnDays ?? 14;
  const problems: StatusProblem[] = [];
  const signal = options.abortSignal ? { abortSignal: options.abortSignal } : {};
  let profile: PartnerProfile | undefined = deps.profile;

  if (!profile) {
    const e = new SamkitError("SAMKIT_STATUS_NOT_CONFIGURED", {
      params: { profile: deps.profileName, store: deps.storeDescription },
    });
    return {
      profile: deps.profileName,
      configured: false,
      store: deps.storeDescription,
      cloud: deps.cloud.name,
      partnerTenantId: null,
      appId: null,
      consent: { at: null, by: null, mfa: null },
      refreshToken: refreshTokenStatus(false, undefined, undefined, nowMs()),
      appCredential: NO_CREDENTIAL,
      renew: null,
      tenants: null,
      problems: [problem(e, "error")],
      exitCode: ExitCode.Reconsent,
    };
  }

  let renew: StatusReport["renew"] = null;
  if (options.renew && profile.refreshToken !== undefined && deps.renewRefreshToken) {
    try {
      const r = await deps.renewRefreshToken(signal);
      renew = { persisted: r.persisted, rotatedAt: r.rotatedAt ?? null };
      profile = (await deps.rereadProfile?.()) ?? profile;
    } catch (e) {
      if (!isSamkitError(e)) throw e;
      problems.push(problem(e, "error"));
    }
  }

  const now = nowMs();
  const rt = refreshTokenStatus(
    profile.refreshToken !== undefined,
    profile.metadata.refreshTokenRotatedAt,
    profile.metadata.refreshTokenPersistedAt,
    now,
    warnDays,
  );
  if (rt.state === "missing") {
    problems.push(
      problem(
        new SamkitError("SAMKIT_STATUS_NO_REFRESH_TOKEN", { params: { profile: profile.profile } }),
        "error",
      ),
    );
  } else if (rt.state === "expired") {
    problems.push(
      problem(
        new SamkitError("SAMKIT_STATUS_REFRESH_TOKEN_STALE", { params: { days: rt.ageDays ?? 90 } }),
        "error",
      ),
    );
  } else if (rt.state === "expiring") {
    problems.push(
      problem(
        new SamkitError("SAMKIT_STATUS_REFRESH_TOKEN_EXPIRING", { params: { days: rt.daysLeft ?? 0 } }),
        "warning",
      ),
    );
  }
  if (profile.metadata.mfaAtConsent === false)
    problems.push(problem(new SamkitError("SAMKIT_STATUS_NO_MFA"), "warning"));

  // Graph needs a delegated token: skip it when the refresh token is known to be unusable.
  const tokenUsable = rt.state === "ok" || rt.state === "expiring";
  const { error: graphError, ...credential } = await appCredentialStatus(profile, deps, {
    graph: (options.graph ?? true) && tokenUsable,
    nowMs: now,
    ...signal,
  });
  if (credential.daysLeft !== null && credential.expiresAt !== null) {
    const params = { kind: credential.kind, days: credential.daysLeft, expiresAt: credential.expiresAt };
    if (credential.daysLeft < 0)
      problems.push(problem(new SamkitError("SAMKIT_STATUS_SECRET_EXPIRED", { params }), "error"));
    else if (credential.daysLeft < warnDays)
      problems.push(problem(new SamkitError("SAMKIT_STATUS_SECRET_EXPIRING", { params }), "warning"));
  }
  // The Graph lookup is best-effort, but a re-consent answer from the identity platform is the real state.
  if (graphError && !problems.some((p) => p.code === graphError.code)) {
    problems.push(problem(graphError, graphError.action === "reconsent" ? "error" : "warning"));
  }

  // The window is only an upper bound: a token the identity platform just refused is not "ok".
  const rtReported: RefreshTokenStatus =
    tokenUsable && problems.some((p) => p.action === "reconsent" && p.severity === "error") ? { ...rt, state: "rejected" } : rt;

  let tenants: StatusReport["tenants"] = null;
  if (options.tenants && deps.listCustomers && tokenUsable && rtReported.state !== "rejected") {
    try {
      const { list, summary } = await tenantHealth(
        { listCustomers: deps.listCustomers, http: deps.http, cloud: deps.cloud, getToken: deps.getToken },
        { ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}), ...signal },
      );
      tenants = { healthy: summary.succeeded, unhealthy: summary.failed, list };
      if (summary.stoppedBy) problems.push(problem(summary.stoppedBy, "error"));
      else if (summary.failed > 0) {
        const e = new SamkitError("SAMKIT_STATUS_TENANTS_UNHEALTHY", {
          params: { count: summary.failed, total: summary.attempted },
        });
        problems.push(problem(e, "error"));
      }
    } catch (e) {
      if (!isSamkitError(e)) throw e;
      problems.push(problem(e, "error"));
    }
  }

  return {
    profile: profile.profile,
    configured: true,
    store: deps.storeDescription,
    cloud: profile.cloud,
    partnerTenantId: profile.tenantId,
    appId: profile.clientId,
    consent: {
      at: profile.metadata.consentedAt ?? null,
      by: profile.metadata.consentedBy ?? null,
      mfa: profile.metadata.mfaAtConsent ?? null,
    },
    refreshToken: rtReported,
    appCredential: credential,
    renew,
    tenants,
    problems,
    exitCode: statusExitCode(problems),
  };
}
