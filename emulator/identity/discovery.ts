/**
 * OIDC discovery (v2 and v1), JWKS and MSAL instance discovery.
 * @see shared/facts/identity-platform.md §5
 * @see shared/facts/clouds.md §3 (instance discovery)
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html
 */
import type { Context, Hono } from "hono";
import type { EmulatorContext } from "../context.js";
import { AadError, aadErrorResponse } from "./aad-errors.js";
import { resolveAuthority } from "./tenant.js";

const CLAIMS = ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"];

function discoveryHeaders(c: Context): void {
  c.header("Cache-Control", "max-age=86400, private");
  c.header("Access-Control-Allow-Origin", "*");
}

/** The v2 document for a tenant segment (GUID → its issuer; common/organizations → `{tenantid}`). */
export function v2Document(ctx: EmulatorContext, segment: string, tid: string | undefined): Record<string, unknown> {
  const h = ctx.urls.authorityHost;
  const seg = tid ?? segment;
  return {
    token_endpoint: `${h}/${seg}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${h}/${seg}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${h}/${tid ?? "{tenantid}"}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: "https://graph.microsoft.com/oidc/userinfo",
    authorization_endpoint: `${h}/${seg}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${h}/${seg}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${h}/${seg}/oauth2/v2.0/logout`,
    claims_supported: CLAIMS,
    kerberos_endpoint: `${h}/${seg}/kerberos`,
    code_challenge_methods_supported: ["plain", "S256"],
    grant_types_supported: ["authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code"],
    tenant_region_scope: tid ? "NA" : null,
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  };
}

/** The v1 document. */
function v1Document(ctx: EmulatorContext, segment: string, tid: string | undefined): Record<string, unknown> {
  const h = ctx.urls.authorityHost;
  const seg = tid ?? segment;
  return {
    token_endpoint: `${h}/${seg}/oauth2/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${h}/common/discovery/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "token id_token", "token"],
    scopes_supported: ["openid"],
    issuer: `https://sts.windows.net/${tid ?? "{tenantid}"}/`,
    microsoft_multi_refresh_token: true,
    authorization_endpoint: `${h}/${seg}/oauth2/authorize`,
    device_authorization_endpoint: `${h}/${seg}/oauth2/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${h}/${seg}/oauth2/logout`,
    claims_supported: CLAIMS,
    check_session_iframe: `${h}/${seg}/oauth2/checksession`,
    userinfo_endpoint: `${h}/${seg}/openid/userinfo`,
    kerberos_endpoint: `${h}/${seg}/kerberos`,
    tenant_region_scope: tid ? "NA" : null,
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: "graph.microsoft.com",
    rbac_url: "https://pas.windows.net",
  };
}

/** Register discovery, JWKS and instance discovery routes. */
export function registerDiscovery(app: Hono, ctx: EmulatorContext): void {
  const doc = (v: 1 | 2) => (c: Context) => {
    discoveryHeaders(c);
    try {
      const a = resolveAuthority(ctx, c.req.param("tenant") ?? "");
      const tid = a.kind === "tenant" ? a.tenant.tenantId : undefined;
      return c.json(v === 2 ? v2Document(ctx, a.segment, tid) : v1Document(ctx, a.segment, tid));
    } catch (e) {
      if (e instanceof AadError) return aadErrorResponse(c, ctx, new AadError(e.code, e.params, { error: "invalid_tenant" }));
      throw e;
    }
  };
  app.get("/:tenant/v2.0/.well-known/openid-configuration", doc(2));
  app.get("/:tenant/.well-known/openid-configuration", doc(1));

  const jwks = (c: Context) => {
    discoveryHeaders(c);
    c.header("Content-Type", "application/json; charset=utf-8");
    return c.body(ctx.keys.jwks(ctx.urls.authorityHost));
  };
  app.get("/:tenant/discovery/v2.0/keys", jwks);
  app.get("/:tenant/discovery/keys", jwks);
  app.get("/discovery/keys", jwks);

  // MSAL instance discovery (used when the host is not in knownAuthorities).
  app.get("/common/discovery/instance", (c) => {
    discoveryHeaders(c);
    const host = new URL(ctx.urls.authorityHost).host;
    const ae = c.req.query("authorization_endpoint") ?? "";
    const m = /\/([^/]+)\/oauth2\//.exec(ae);
    return c.json({
      tenant_discovery_endpoint: `${ctx.urls.authorityHost}/${m?.[1] ?? "common"}/v2.0/.well-known/openid-configuration`,
      "api-version": "1.1",
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  });
}
