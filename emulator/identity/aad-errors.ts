/**
 * The emulator's AADSTS catalogue and the exact Entra error body.
 * @see shared/facts/errors.md §1 (body shape, headers, HTTP status), §2 (codes)
 * @see https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
import type { Context } from "hono";
import type { EmulatorContext } from "../context.js";

/** One catalogue entry: OAuth `error`, optional `suberror`, HTTP status and description template. */
interface AadstsDef {
  readonly error: string;
  readonly suberror?: string;
  readonly status?: number;
  /** Description template; `{name}` placeholders filled from `params`. */
  readonly text: string;
}

/** Every AADSTS code the emulator emits. */
export const AADSTS: Readonly<Record<number, AadstsDef>> = {
  50011: { error: "invalid_request", text: "The redirect URI '{redirectUri}' specified in the request does not match the redirect URIs configured for the application '{clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this." },
  50020: { error: "invalid_grant", text: "User account '{upn}' from identity provider 'https://sts.windows.net/{homeTenantId}/' does not exist in tenant '{tenantName}' and cannot access the application '{clientId}'({appName}) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account." },
  50034: { error: "invalid_grant", text: "The user account {upn} does not exist in the {tenant} directory. To sign into this application, the account must be added to the directory." },
  50058: { error: "login_required", text: "A silent sign-in request was sent but no user is signed in." },
  50076: { error: "invalid_grant", suberror: "basic_action", text: "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '{resourceAppId}'." },
  50079: { error: "interaction_required", suberror: "basic_action", text: "Due to a configuration change made by your administrator, or because you moved to a new location, you must enroll in multi-factor authentication to access '{resourceAppId}'." },
  50126: { error: "invalid_grant", text: "Error validating credentials due to invalid username or password." },
  50173: { error: "invalid_grant", suberror: "bad_token", text: "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '{issued}' and the TokensValidFrom date (before which tokens are not valid) for this user is '{validFrom}'." },
  53003: { error: "invalid_grant", suberror: "message_only", text: "Access has been blocked by Conditional Access policies. The access policy does not allow token issuance." },
  54005: { error: "invalid_grant", text: "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token." },
  65001: { error: "invalid_grant", suberror: "consent_required", text: "The user or administrator has not consented to use the application with ID '{clientId}' named '{appName}'. Send an interactive authorization request for this user and resource." },
  65004: { error: "access_denied", text: "User declined to consent to access the app." },
  70000: { error: "invalid_grant", text: "Provided grant is invalid or malformed. {detail}" },
  70003: { error: "unsupported_grant_type", text: "The app requested an unsupported grant type '{grantType}'." },
  70008: { error: "invalid_grant", text: "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource." },
  70011: { error: "invalid_scope", text: "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope {scope} is not valid." },
  70016: { error: "authorization_pending", text: "OAuth 2.0 device flow error. Authorization is pending. Continue polling." },
  70017: { error: "authorization_declined", text: "The end user declined the authorization request." },
  70018: { error: "bad_verification_code", text: "Invalid verification code. The device code provided is unknown." },
  70019: { error: "expired_token", text: "Verification code expired." },
  90002: { error: "invalid_request", text: "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant." },
  90014: { error: "invalid_request", text: "The required field '{field}' is missing from the credential. Ensure that you have all the necessary parameters for the login request." },
  90038: { error: "invalid_request", text: "Tenant '{tenant}' is homed in a national cloud ({cloud}) that this cloud does not federate with (NationalCloudTenantRedirection). Use the tenant's own cloud authority." },
  90033: { error: "temporarily_unavailable", text: "A transient error has occurred. Please try again." },
  500011: { error: "invalid_resource", text: "The resource principal named {resource} was not found in the tenant named {tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant." },
  501481: { error: "invalid_grant", text: "The Code_Verifier does not match the code_challenge supplied in the authorization request." },
  700007: { error: "invalid_grant", text: "The refresh token was issued to a different client. Client '{clientId}' cannot redeem a refresh token issued to '{tokenClientId}'." },
  700016: { error: "unauthorized_client", text: "Application with identifier '{clientId}' was not found in the directory '{tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant." },
  700025: { error: "invalid_client", status: 401, text: "Client is public so neither 'client_assertion' nor 'client_secret' should be presented." },
  700027: { error: "invalid_client", status: 401, text: "Client assertion failed signature validation. {detail}" },
  700054: { error: "unsupported_response_type", text: "response_type '{responseType}' is not enabled for the application." },
  700082: { error: "invalid_grant", suberror: "bad_token", text: "The refresh token has expired due to inactivity. The token was issued on {issued} and was inactive for 90.00:00:00." },
  7000215: { error: "invalid_client", status: 401, text: "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{clientId}'." },
  7000218: { error: "invalid_client", status: 401, text: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'." },
  7000222: { error: "invalid_client", status: 401, text: "The provided client secret keys for app '{clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds." },
  900144: { error: "invalid_request", text: "The request body must contain the following parameter: '{field}'." },
  901002: { error: "invalid_request", text: "The 'resource' request parameter is not supported." },
  9002313: { error: "invalid_request", text: "Invalid request. Request is malformed or invalid." },
};

/** An AADSTS failure raised inside identity handlers, turned into the Entra body at the edge. */
export class AadError extends Error {
  override readonly name = "AadError";
  constructor(
    readonly code: number,
    readonly params: Readonly<Record<string, string>> = {},
    /** Extra fields (e.g. `claims` for Conditional Access). */
    readonly extra: { claims?: string; error?: string } = {},
  ) {
    super(`AADSTS${code}`);
  }
}

/** `yyyy-MM-dd HH:mm:ssZ` (space, no `T`), as Entra formats `timestamp`. */
export function entraTimestamp(d: Date): string {
  return d.toISOString().replace("T", " ").replace(/\.\d{3}Z$/, "Z");
}

function fill(template: string, params: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? "").replace(/\s+$/, "");
}

/** The Entra error body for `code` (facts/errors.md §1). */
export interface AadErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri: string;
  suberror?: string;
  claims?: string;
}

/** Build the exact error body; `correlationId` echoes the client's `client-request-id` when sent. */
export function aadErrorBody(ctx: EmulatorContext, err: AadError, correlationId?: string): { status: number; body: AadErrorBody } {
  const def = AADSTS[err.code] ?? { error: "invalid_request", text: "Unknown error." };
  const traceId = crypto.randomUUID();
  const corr = correlationId && /^[0-9a-f-]{36}$/i.test(correlationId) ? correlationId.toLowerCase() : crypto.randomUUID();
  const ts = entraTimestamp(ctx.clock.now());
  const body: AadErrorBody = {
    error: err.extra.error ?? def.error,
    error_description: `AADSTS${err.code}: ${fill(def.text, err.params)}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${corr}\r\nTimestamp: ${ts}`,
    error_codes: [err.code],
    timestamp: ts,
    trace_id: traceId,
    correlation_id: corr,
    error_uri: `https://login.microsoftonline.com/error?code=${err.code}`,
  };
  if (def.suberror) body.suberror = def.suberror;
  if (err.extra.claims) body.claims = err.extra.claims;
  return { status: def.status ?? 400, body };
}

/** Correlation id sent by the client (`client-request-id` header or query). */
export function clientRequestId(c: Context): string | undefined {
  return c.req.header("client-request-id") ?? c.req.query("client-request-id") ?? undefined;
}

/** Respond with the Entra error body and headers (`x-ms-clitelem`, no-store). */
export function aadErrorResponse(c: Context, ctx: EmulatorContext, err: AadError): Response {
  const { status, body } = aadErrorBody(ctx, err, clientRequestId(c));
  c.header("Cache-Control", "no-store, no-cache");
  c.header("Pragma", "no-cache");
  c.header("x-ms-request-id", body.trace_id);
  c.header("x-ms-clitelem", `1,${err.code},0,,`);
  return c.json(body, status as 400);
}
