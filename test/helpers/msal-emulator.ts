/**
 * MSAL Node pointed at the emulator, the recommended set-up (shared/facts/sdk-interop.md §1,
 * docs/emulator.md "Using Microsoft's clients"): a never-dialled https authority host in
 * `knownAuthorities`, `authorityMetadata` naming the emulator's plain-http endpoints, and, where
 * cache lookups must match before any metadata is cached, static `cloudDiscoveryMetadata`.
 */

/** The authority host MSAL is given; never dialled (every endpoint comes from the metadata). */
export const MSAL_EMULATOR_HOST = "login.samkit.test";

/** `authorityMetadata` (JSON) for any tenant: issuer on `host`, endpoints on the emulator at `emulatorUrl`. */
export function emulatorAuthorityMetadata(emulatorUrl: string, host = MSAL_EMULATOR_HOST): string {
  return JSON.stringify({
    issuer: `https://${host}/{tenantid}/v2.0`,
    authorization_endpoint: `${emulatorUrl}/{tenant}/oauth2/v2.0/authorize`,
    token_endpoint: `${emulatorUrl}/{tenant}/oauth2/v2.0/token`,
    end_session_endpoint: `${emulatorUrl}/{tenant}/oauth2/v2.0/logout`,
    jwks_uri: `${emulatorUrl}/{tenant}/discovery/v2.0/keys`,
  });
}

/** Static `cloudDiscoveryMetadata` (JSON) with `host` as its only alias, so cache lookups match the environment before any metadata is cached. */
export function staticCloudDiscoveryMetadata(host = MSAL_EMULATOR_HOST): string {
  return JSON.stringify({
    tenant_discovery_endpoint: `https://${host}/{tenant}/v2.0/.well-known/openid-configuration`,
    "api-version": "1.1",
    metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
  });
}
