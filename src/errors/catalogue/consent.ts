import type { CatalogueEntry } from "../types.js";

/**
 * OAuth mechanics, `samkit consent` and `samkit app …` (issue 6). Identity-platform error
 * bodies (AADSTS) are mapped by the foundation classifier; these codes are for what samkit
 * itself detects: loopback receiver, id_token checks, MFA, provisioning.
 */
export const consentErrors = {
  SAMKIT_OAUTH_INVALID_RESPONSE: {
    message: "The identity platform at {endpoint} sent a response samkit could not accept: {detail}.",
    nextStep: "Check that --cloud points at the right identity platform, then retry; if it persists, run with SAMKIT_LOG_LEVEL=debug and report it.",
    action: "none",
  },
  SAMKIT_OAUTH_INSECURE_AUTHORITY: {
    message: "Refusing to send credentials to {authority}: only https, or http on 127.0.0.1/localhost (the emulator), is allowed.",
    nextStep: "Use an https authority, or SAMKIT_EMULATOR_URL=http://127.0.0.1:PORT for the emulator.",
    action: "fix-input",
  },
  SAMKIT_OAUTH_BAD_CLIENT_CREDENTIALS: {
    message: "The app credentials for client {clientId} are unusable: {detail}.",
    nextStep: "Give a client secret or a PEM certificate with its private key (`samkit app use` or `samkit app rotate-secret`).",
    action: "fix-app-credentials",
  },
  SAMKIT_CONSENT_STATE_MISMATCH: {
    message: "The sign-in response did not carry the state samkit sent, so it may not come from this consent; it was ignored.",
    nextStep: "Run `samkit consent` again and complete the sign-in in the browser window it opens (use only the latest URL).",
    action: "reconsent",
  },
  SAMKIT_CONSENT_ACCESS_DENIED: {
    message: "The sign-in was cancelled or consent was declined ({error}).",
    nextStep: "Run `samkit consent` again and accept the permissions with a partner admin account.",
    action: "reconsent",
  },
  SAMKIT_CONSENT_AUTHORIZE_ERROR: {
    message: "The identity platform returned an error to the sign-in: {error}: {detail}",
    nextStep: "Fix the cause named above (run `samkit explain` with the AADSTS code), then run `samkit consent` again.",
    action: "none",
  },
  SAMKIT_CONSENT_TIMEOUT: {
    message: "No sign-in response reached samkit within {seconds} s.",
    nextStep: "Run `samkit consent` again and finish the sign-in sooner, or pass a longer --timeout (seconds).",
    action: "reconsent",
  },
  SAMKIT_CONSENT_RECEIVER_CLOSED: {
    message: "samkit stopped waiting for the sign-in response: the loopback receiver was closed before one arrived.",
    nextStep: "Run the command again (`samkit consent`, or the `samkit app` command that opened the sign-in) and finish the sign-in in the browser.",
    action: "none",
  },
  SAMKIT_ADMIN_SIGNIN_TIMEOUT: {
    message: "The partner admin's sign-in did not finish within {seconds} s.",
    nextStep: "Run `samkit {command}` again and finish the sign-in sooner (use --device-code where no browser can reach this machine), or pass a longer --timeout (seconds).",
    action: "none",
  },
  SAMKIT_CONSENT_ADMIN_CONSENT_MISSING: {
    message: "The app has no admin consent in the partner tenant {tenant} (AADSTS65001).",
    nextStep: "Grant admin consent: run `samkit app create` again (it grants it) or open {url} as a Global Administrator, then run `samkit consent` again.",
    action: "none",
  },
  SAMKIT_CONSENT_PORT_IN_USE: {
    message: "samkit could not listen on 127.0.0.1 port {port} for the sign-in response: {detail}.",
    nextStep: "Leave --port unset so samkit picks a free port, or choose a port no other program uses.",
    action: "fix-input",
  },
  SAMKIT_CONSENT_ID_TOKEN_INVALID: {
    message: "The id_token from the sign-in failed verification: {detail}.",
    nextStep: "Check that --cloud and --tenant are right, then run `samkit consent` again.",
    action: "reconsent",
  },
  SAMKIT_CONSENT_WRONG_TENANT: {
    message: "The sign-in was made in tenant {actual}, not the partner tenant {expected}.",
    nextStep: "Run `samkit consent` again and sign in with an admin account of tenant {expected} (or pass --tenant {actual} if that is your partner tenant).",
    action: "reconsent",
  },
  SAMKIT_CONSENT_NO_MFA: {
    message: "The sign-in did not use multi-factor authentication (amr: {amr}); Partner Center requires MFA, so the refresh token was not stored.",
    nextStep: "Run `samkit consent` again and complete MFA, or pass --allow-no-mfa if you accept a token Partner Center will reject.",
    action: "reconsent",
  },
  SAMKIT_CONSENT_NO_REFRESH_TOKEN: {
    message: "The identity platform returned no refresh token (offline_access was not granted).",
    nextStep: "Run `samkit consent` again and accept all requested permissions, including offline access.",
    action: "reconsent",
  },
  SAMKIT_CONSENT_DEVICE_CODE_NOT_ALLOWED: {
    message: "Device-code sign-in is not allowed for app {clientId}: it is a confidential-only app (AADSTS7000218).",
    nextStep: "Run `samkit consent` without --device-code (browser sign-in), or set \"Allow public client flows\" (isFallbackPublicClient) on the app; `samkit app create` sets it.",
    action: "fix-app-credentials",
  },
  SAMKIT_CONSENT_DEVICE_CODE_DECLINED: {
    message: "The device-code sign-in was declined ({error}).",
    nextStep: "Run `samkit consent --device-code` again and approve the sign-in.",
    action: "reconsent",
  },
  SAMKIT_CONSENT_DEVICE_CODE_EXPIRED: {
    message: "The device code expired before the sign-in was completed.",
    nextStep: "Run `samkit consent --device-code` again and enter the code within its lifetime.",
    action: "reconsent",
  },
  SAMKIT_CONSENT_NO_APP: {
    message: "Profile {profile} has no app registration (client ID) to consent to.",
    nextStep: "Run `samkit app create` (or `samkit app use --client-id …`) first.",
    action: "fix-input",
  },
  SAMKIT_APP_GRAPH_FAILED: {
    message: "Microsoft Graph refused {operation}: {detail}",
    nextStep: "Sign in with an account that may manage app registrations (Application Administrator or Global Administrator) and try again.",
    action: "none",
  },
  SAMKIT_APP_CREDENTIAL_PROOF_FAILED: {
    message: "The new credential of app {clientId} did not work in a token request ({detail}); it was removed and the old one kept.",
    nextStep: "Wait a minute (new credentials take time to replicate) and run the command again.",
    action: "retry-later",
  },
  SAMKIT_APP_NOT_FOUND: {
    message: "No app registration with client ID {clientId} exists in tenant {tenant}.",
    nextStep: "Run `samkit app create`, or check --client-id and --tenant.",
    action: "fix-input",
  },
} as const satisfies Record<string, CatalogueEntry>;
