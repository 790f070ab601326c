import type { CatalogueEntry } from "../types.js";

/** Token broker (src/broker) and `samkit token` errors. Redemption errors themselves come from the identity mapping. */
export const brokerErrors = {
  SAMKIT_BROKER_NO_REFRESH_TOKEN: {
    message: "Profile {profile} has no stored refresh token, so samkit cannot get delegated tokens.",
    nextStep: "Run `samkit consent` to sign in (with MFA) and store a refresh token.",
    action: "reconsent",
  },
  SAMKIT_BROKER_NO_APP_CREDENTIAL: {
    message: "App-only tokens need the app's client secret or certificate, and profile {profile} has neither.",
    nextStep: "Run `samkit app create` (or add a secret to the profile) and try again.",
    action: "fix-app-credentials",
  },
  SAMKIT_BROKER_TENANT_NOT_ALLOWED: {
    message: "Tenant {tenant} is not in the allowed tenants of this {who}.",
    nextStep: "Add the tenant to {option} (or use \"*\" to allow any tenant), or request a token for an allowed tenant.",
    action: "fix-input",
  },
  SAMKIT_BROKER_BAD_REQUEST: {
    message: "{detail}",
    nextStep: "Pass --resource (an alias such as graph, or a resource URI) or --scope with at least one scope.",
    action: "fix-input",
  },
  SAMKIT_BROKER_TENANT_INVALID: {
    message: "{detail}",
    nextStep: "`common`, `organizations` and `consumers` are sign-in endpoints, not tenants: a token is issued for one tenant. Pass --tenant (library: `tenant`) with a tenant ID (GUID) or verified domain (contoso.onmicrosoft.com), or leave it out for the partner tenant.",
    action: "fix-input",
  },
  SAMKIT_PROFILE_CLOUD_MISMATCH: {
    message: "Profile {profile} was consented in the {recorded} cloud, but samkit is set to use the {cloud} cloud; its refresh token and app secret are sent only to the {recorded} cloud's sign-in service.",
    nextStep: "Run with --cloud {recorded} (or unset SAMKIT_CLOUD and the config's cloud), or consent in the {cloud} cloud with another profile (--profile <name>).",
    // Bad input/configuration for this profile: fix-input exits 2 (CONTRACTS §5).
    action: "fix-input",
  },
  SAMKIT_BROKER_ROTATION_NOT_SAVED: {
    message: "The refresh token was rotated but the new one could not be saved in the secret store ({policy} rotation policy): {detail}",
    nextStep: "Make the secret store writable: for the file store, $SAMKIT_HOME and its store.enc must be yours and writable (0700 folder, 0600 files) on a disk with free space; for Key Vault, you need permission to set secrets. Then run `samkit status --renew`; if calls fail with a revoked token, run `samkit consent`.",
    action: "none",
  },
} as const satisfies Record<string, CatalogueEntry>;
