import type { CatalogueEntry } from "../types.js";

/** Fan-out (`samkit foreach`) and `samkit status` errors. */
export const fanoutErrors = {
  SAMKIT_TENANT_LIST_UNREADABLE: {
    message: "Cannot read the tenant list {file}: {detail}",
    nextStep: "Pass a readable file with one tenant ID (GUID) or domain per line; `#` starts a comment.",
    action: "fix-input",
  },
  SAMKIT_TENANT_LIST_INVALID: {
    message: '{file} line {line}: "{value}" is not a tenant ID (GUID) or a domain.',
    nextStep: "Fix that line; each line holds one tenant ID (GUID) or domain, `#` starts a comment.",
    action: "fix-input",
  },
  SAMKIT_TENANT_NOT_ALLOWED: {
    message: "Tenant {tenant} is not on the tenant allow-list, so samkit requested nothing for it.",
    nextStep: "Add the tenant to the allow-list file if it should be included.",
    action: "fix-input",
  },
  SAMKIT_FANOUT_CANCELLED: {
    message: "Stopped before this tenant finished (the run was interrupted).",
    nextStep: "Run the command again for the tenants that did not finish.",
    action: "none",
  },
  SAMKIT_FANOUT_OPERATION_FAILED: {
    message: "The operation failed in tenant {tenant}: {detail}",
    nextStep: "Re-run for this tenant with SAMKIT_LOG_LEVEL=debug to see the requests (redacted).",
    action: "none",
  },
  SAMKIT_FOREACH_NO_COMMAND: {
    message:
      "samkit foreach needs a command after `--`, e.g. `samkit foreach -- api /v1.0/users --resource graph`.",
    nextStep: "Add `-- api PATH [api options]`; `samkit foreach --help` shows examples.",
    action: "fix-input",
  },
  SAMKIT_STATUS_REFRESH_TOKEN_STALE: {
    message:
      "The stored refresh token was last rotated {days} days ago; Microsoft expires refresh tokens after 90 days without use.",
    nextStep:
      "Run `samkit consent` to sign in again with MFA, then run `samkit status --renew` weekly to keep it alive.",
    action: "reconsent",
  },
  SAMKIT_STATUS_NO_REFRESH_TOKEN: {
    message: "Profile {profile} has no refresh token stored.",
    nextStep: "Run `samkit consent` to sign in with MFA and store one.",
    action: "reconsent",
  },
  SAMKIT_STATUS_REFRESH_TOKEN_EXPIRING: {
    message: "The stored refresh token has {days} days left of its 90-day inactivity window.",
    nextStep: "Run `samkit status --renew` now (and weekly, e.g. from cron) to keep it alive.",
    action: "none",
  },
  SAMKIT_STATUS_SECRET_EXPIRING: {
    message: "The app's {kind} expires in {days} days ({expiresAt}).",
    nextStep: "Run `samkit app rotate-secret` before it expires.",
    action: "fix-app-credentials",
  },
  SAMKIT_STATUS_SECRET_EXPIRED: {
    message: "The app's {kind} expired on {expiresAt}; token requests will fail with AADSTS7000222.",
    nextStep: "Run `samkit app rotate-secret` to add a new one.",
    action: "fix-app-credentials",
  },
  SAMKIT_STATUS_NO_MFA: {
    message: "The stored consent was given without MFA; Partner Center refuses App+User calls without it.",
    nextStep: "Run `samkit consent` again and complete the MFA step.",
    action: "reconsent",
  },
  SAMKIT_STATUS_TENANTS_UNHEALTHY: {
    message: "{count} of {total} customer tenants cannot be reached with the stored consent.",
    nextStep:
      "See each tenant's next step above; most need `samkit customers consent <id>` or a GDAP relationship.",
    action: "grant-customer-consent",
    exitCode: 3,
  },
  SAMKIT_STATUS_NOT_CONFIGURED: {
    message: "Nothing is stored for profile {profile} in {store}.",
    nextStep: "Run `samkit app create` (or `samkit app use`) and then `samkit consent`.",
    action: "reconsent",
  },
} as const satisfies Record<string, CatalogueEntry>;
