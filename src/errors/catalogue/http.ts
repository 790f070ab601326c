import type { CatalogueEntry } from "../types.js";

/**
 * Transport and generic HTTP-status errors of the HTTP seam (`src/http/`) and of
 * `classifyResponse` when no service-specific entry fits. Retries: CONTRACTS §8.
 */
export const httpErrors = {
  SAMKIT_HTTP_TIMEOUT: {
    message: "{method} {url} did not answer within {seconds} s (after {attempts} attempt(s)).",
    nextStep: "Check the network and proxy settings (HTTPS_PROXY, NO_PROXY), then try again.",
    action: "retry-later",
  },
  SAMKIT_HTTP_CONNECTION_RESET: {
    message: "The connection to {host} was reset ({detail}) after {attempts} attempt(s).",
    nextStep: "Try again in a minute; if it keeps happening, check the proxy (HTTPS_PROXY, NO_PROXY).",
    action: "retry-later",
  },
  SAMKIT_HTTP_UNREACHABLE: {
    message: "Could not connect to {host} ({detail}).",
    nextStep: "Check the URL, DNS and proxy settings (HTTPS_PROXY, NO_PROXY); for the emulator, check `samkit-emulator start` is running.",
    action: "none",
  },
  SAMKIT_HTTP_TLS: {
    message: "The TLS certificate of {host} is not trusted ({detail}).",
    nextStep: "Trust the issuing CA with NODE_EXTRA_CA_CERTS=<pem file> (corporate proxies, the emulator's caCertPath).",
    action: "none",
  },
  SAMKIT_HTTP_ABORTED: {
    message: "The request to {host} was cancelled.",
    nextStep: "Nothing to do; run the command again when you want it to finish.",
    action: "none",
  },
  SAMKIT_HTTP_FAILED: {
    message: "The request to {host} failed: {detail}.",
    nextStep: "Re-run with SAMKIT_LOG_LEVEL=debug to see the (redacted) request log.",
    action: "none",
  },
  SAMKIT_THROTTLED: {
    message: "{service} is throttling requests (HTTP 429).",
    nextStep: "Wait {wait} and try again; for many tenants, lower --concurrency.",
    action: "retry-later",
  },
  SAMKIT_SERVICE_UNAVAILABLE: {
    message: "{service} is temporarily unavailable (HTTP {status}).",
    nextStep: "Try again in a few minutes.",
    action: "retry-later",
  },
  SAMKIT_HTTP_STATUS: {
    message: "{service} answered HTTP {status}: {detail}",
    nextStep: "Read the service's message above; re-run with SAMKIT_LOG_LEVEL=debug for the request log.",
    action: "none",
  },
} as const satisfies Record<string, CatalogueEntry>;
