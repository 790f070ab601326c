/**
 * Client authentication at the token endpoint: `client_secret_post`, `client_secret_basic`,
 * `private_key_jwt` (certificate registered in the app's `keyCredentials`), or none for public
 * clients (first-party public apps, `isFallbackPublicClient` apps).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @see https://learn.microsoft.com/entra/identity-platform/certificate-credentials
 */
import { X509Certificate } from "node:crypto";
import { decodeProtectedHeader, importX509, jwtVerify } from "jose";
import type { EmulatorContext } from "../context.js";
import type { Application } from "../world-types.js";
import { AadError } from "./aad-errors.js";

const JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/** The authenticated client. */
export interface AuthenticatedClient {
  readonly app: Application;
  /** `appidacr`: "0" public, "1" secret, "2" certificate. */
  readonly appidacr: "0" | "1" | "2";
}

/** Whether an app can act as a public client (no credentials). */
export function isPublicCapable(app: Application): boolean {
  return app.isFallbackPublicClient || app.publicClientRedirectUris.length > 0;
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(header ?? "");
  if (!m) return undefined;
  const raw = Buffer.from(m[1]!, "base64").toString("utf8");
  const i = raw.indexOf(":");
  if (i < 0) return undefined;
  const dec = (s: string) => decodeURIComponent(s.replace(/\+/g, " "));
  return { id: dec(raw.slice(0, i)), secret: dec(raw.slice(i + 1)) };
}

/**
 * Authenticate the client of a token request.
 * @param requireCredential true for client credentials (a public client cannot use it).
 * @throws AadError 900144 (no client_id), 700016 (unknown app), 700025 (public client sent a
 *   credential), 7000215 (wrong secret), 7000222 (expired secret), 700027 (bad assertion),
 *   7000218 (confidential client without credential).
 */
export async function authenticateClient(
  ctx: EmulatorContext,
  form: Readonly<Record<string, string>>,
  authorization: string | undefined,
  tenantLabel: string,
  requireCredential: boolean,
): Promise<AuthenticatedClient> {
  const basic = basicCredentials(authorization);
  const clientId = (form.client_id ?? basic?.id ?? "").trim().toLowerCase();
  if (!clientId) throw new AadError(900144, { field: "client_id" });
  const app = ctx.world.application(clientId);
  if (!app) throw new AadError(700016, { clientId, tenant: tenantLabel });
  const secret = form.client_secret ?? basic?.secret;
  const assertion = form.client_assertion;
  const publicOnly = app.firstParty && app.passwordCredentials.length === 0 && app.keyCredentials.length === 0;
  if ((secret !== undefined || assertion !== undefined) && publicOnly) throw new AadError(700025);
  if (secret !== undefined && secret !== "") {
    const now = ctx.clock.nowMs();
    const matching = app.passwordCredentials.filter((p) => p.secretText === secret);
    if (matching.length === 0) throw new AadError(7000215, { clientId: app.appId });
    if (!matching.some((p) => Date.parse(p.endDateTime) > now)) throw new AadError(7000222, { clientId: app.appId });
    return { app, appidacr: "1" };
  }
  if (assertion !== undefined && assertion !== "") {
    if (form.client_assertion_type !== JWT_BEARER) throw new AadError(90014, { field: "client_assertion_type" });
    await verifyAssertion(ctx, app, assertion);
    return { app, appidacr: "2" };
  }
  if (requireCredential || !isPublicCapable(app)) throw new AadError(7000218);
  return { app, appidacr: "0" };
}

/** Verify a `private_key_jwt` assertion against the app's certificates (`x5t` / `x5t#S256`). */
async function verifyAssertion(ctx: EmulatorContext, app: Application, assertion: string): Promise<void> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    throw new AadError(700027, { detail: "The assertion is not a JWT." });
  }
  const x5t = header.x5t;
  const x5tS256 = header["x5t#S256"];
  const nowMs = ctx.clock.nowMs();
  const cred = app.keyCredentials.find((k) => (x5t !== undefined && k.thumbprintSha1 === x5t) || (typeof x5tS256 === "string" && k.thumbprintSha256 === x5tS256));
  if (!cred) throw new AadError(700027, { detail: `Key was not found. Thumbprint '${String(x5t ?? x5tS256)}' is not registered on app '${app.appId}'.` });
  if (Date.parse(cred.endDateTime) <= nowMs) throw new AadError(700027, { detail: "The certificate has expired." });
  const pem = new X509Certificate(Buffer.from(cred.key, "base64")).toString();
  const alg = header.alg === "PS256" ? "PS256" : "RS256";
  try {
    const key = await importX509(pem, alg);
    const { payload } = await jwtVerify(assertion, key, { currentDate: ctx.clock.now(), clockTolerance: 300, issuer: app.appId, subject: app.appId });
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    if (!aud.some((a) => typeof a === "string" && /\/oauth2\/(v2\.0\/)?token$|\/v2\.0$|^https:\/\/login\.microsoftonline\.com\//.test(a))) {
      throw new AadError(700027, { detail: "The audience claim is not the token endpoint." });
    }
  } catch (e) {
    if (e instanceof AadError) throw e;
    throw new AadError(700027, { detail: e instanceof Error ? e.message : "" });
  }
}
