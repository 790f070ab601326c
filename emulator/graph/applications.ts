/**
 * `/applications`: POST, GET (list with `$filter` on appId/displayName, by id, by
 * `applications(appId='…')`), PATCH (incl. `keyCredentials` certificates), DELETE,
 * `addPassword`, `removePassword`. Applications live in their home tenant (the caller's `tid`).
 * @see https://learn.microsoft.com/graph/api/resources/application
 * @see https://learn.microsoft.com/graph/api/application-addpassword
 * @see https://learn.microsoft.com/graph/api/application-update (keyCredentials)
 */
import { createHash, randomBytes, randomUUID, X509Certificate } from "node:crypto";
import type { Context, Hono } from "hono";
import type { EmulatorContext } from "../context.js";
import type { Application, KeyCredential, PasswordCredential, RequiredResourceAccess } from "../world-types.js";
import { fail, requirePermission, type GraphEnv } from "./auth.js";
import { APPLICATIONS_READ, APPLICATIONS_WRITE } from "./permissions.js";
import { application, passwordCredential } from "./render.js";
import { collection, entity, jsonBody } from "./respond.js";
import { graphState } from "./state.js";

type Json = Record<string, unknown>;
type Handler = (c: Context<GraphEnv>, app: Application) => Response | Promise<Response>;

const ENTITY = { entitySet: "applications" } as const;

/** A new client secret in Entra's format (`xxx8Q~` + 37 characters). */
function newSecret(): string {
  const s = randomBytes(40).toString("base64url").replace(/[-_]/g, "x");
  return `${s.slice(0, 3)}8Q~${s.slice(3, 40)}`;
}

/** Validates one `keyCredentials` entry; a string is the 400 message. */
function parseKeyCredential(input: unknown, now: Date): KeyCredential | string {
  if (typeof input !== "object" || input === null) return "Invalid value specified for property 'keyCredentials' of resource 'Application'.";
  const k = input as Json;
  if (k["type"] !== "AsymmetricX509Cert") return "Only keyCredentials of type 'AsymmetricX509Cert' are supported.";
  if (k["usage"] !== "Verify") return "Only keyCredentials with usage 'Verify' are supported.";
  if (typeof k["key"] !== "string") return "Invalid value specified for property 'key' of resource 'KeyCredential'.";
  let der: Buffer;
  let cert: X509Certificate;
  try {
    der = Buffer.from(k["key"], "base64");
    cert = new X509Certificate(der);
  } catch {
    return "Invalid value specified for property 'key' of resource 'KeyCredential'.";
  }
  const start = typeof k["startDateTime"] === "string" ? k["startDateTime"] : new Date(cert.validFrom).toISOString();
  const end = typeof k["endDateTime"] === "string" ? k["endDateTime"] : new Date(cert.validTo).toISOString();
  if (Date.parse(end) <= now.getTime()) return "Key credential end date is invalid.";
  return {
    keyId: typeof k["keyId"] === "string" ? k["keyId"].toLowerCase() : randomUUID(),
    displayName: typeof k["displayName"] === "string" ? k["displayName"] : cert.subject.replace(/\n/g, ", "),
    type: "AsymmetricX509Cert",
    usage: "Verify",
    key: der.toString("base64"),
    thumbprintSha1: createHash("sha1").update(der).digest("base64url"),
    thumbprintSha256: createHash("sha256").update(der).digest("base64url"),
    startDateTime: start,
    endDateTime: end,
  };
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === "string") ? (v) : undefined);

function parseRequiredResourceAccess(v: unknown): RequiredResourceAccess[] | undefined {
  if (!Array.isArray(v)) return undefined;
  return (v as Json[]).map((r) => ({
    resourceAppId: String(r["resourceAppId"]).toLowerCase(),
    resourceAccess: (Array.isArray(r["resourceAccess"]) ? (r["resourceAccess"] as Json[]) : []).map((a) => ({
      id: String(a["id"]).toLowerCase(),
      type: a["type"] === "Role" ? "Role" : "Scope",
    })),
  }));
}

/** Applies the writable properties of a POST/PATCH body; a string is the 400 message. */
function applyBody(ctx: EmulatorContext, app: Application, body: Json): string | undefined {
  if ("passwordCredentials" in body) return "Property 'passwordCredentials' is read-only here; use addPassword.";
  if (typeof body["displayName"] === "string") app.displayName = body["displayName"];
  const audience = body["signInAudience"];
  if (audience !== undefined) {
    if (audience !== "AzureADMyOrg" && audience !== "AzureADMultipleOrgs") return `Unsupported signInAudience ${JSON.stringify(audience)}.`;
    app.signInAudience = audience;
  }
  if (typeof body["isFallbackPublicClient"] === "boolean") app.isFallbackPublicClient = body["isFallbackPublicClient"];
  const web = body["web"] as Json | undefined;
  const webUris = strings(web?.["redirectUris"]);
  if (webUris) app.webRedirectUris = webUris;
  const publicUris = strings((body["publicClient"] as Json | undefined)?.["redirectUris"]);
  if (publicUris) app.publicClientRedirectUris = publicUris;
  const rra = parseRequiredResourceAccess(body["requiredResourceAccess"]);
  if (rra) app.requiredResourceAccess = rra;
  const uris = strings(body["identifierUris"]);
  if (uris) app.identifierUris = uris;
  if (Array.isArray(body["keyCredentials"])) {
    const keys: KeyCredential[] = [];
    for (const k of body["keyCredentials"] as unknown[]) {
      const parsed = parseKeyCredential(k, ctx.clock.now());
      if (typeof parsed === "string") return parsed;
      keys.push(parsed);
    }
    app.keyCredentials = keys;
  }
  const extras = graphState(ctx.world).appExtras.get(app.objectId) ?? {};
  if ("servicePrincipalLockConfiguration" in body) {
    extras.servicePrincipalLockConfiguration = (body["servicePrincipalLockConfiguration"] as Json | null) ?? null;
  }
  const tags = strings(body["tags"]);
  if (tags) extras.tags = tags;
  graphState(ctx.world).appExtras.set(app.objectId, extras);
  return undefined;
}

const ALT_KEY = ":key{applications\\(appId='[^']*'\\)}";

/** Registers the application routes on the versioned Graph app. */
export function applicationRoutes(api: Hono<GraphEnv>, ctx: EmulatorContext): void {
  const render = (a: Application): Json => application(a, graphState(ctx.world).appExtras.get(a.objectId));
  const inTenant = (c: Context<GraphEnv>): Application[] =>
    [...ctx.world.applications.values()].filter((a) => !a.firstParty && a.homeTenantId === c.get("caller").tenantId);

  /** Resolves `{id}` or `(appId='…')` in the caller's tenant, then runs `h`. */
  const resolve = (h: Handler) => (c: Context<GraphEnv>) => {
    const key = c.req.param("key");
    const alt = key === undefined ? undefined : /^applications\(appId='([^']*)'\)$/.exec(key)?.[1];
    const id = alt ?? c.req.param("id") ?? "";
    const found = alt !== undefined ? ctx.world.application(alt) : ctx.world.applicationsByObjectId.get(id.toLowerCase());
    if (!found || found.firstParty || found.homeTenantId !== c.get("caller").tenantId) {
      return fail(c, 404, "Request_ResourceNotFound", `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    }
    return h(c, found);
  };
  const on = (method: "get" | "patch" | "delete" | "post", suffix: string, h: Handler): void => {
    api[method](`/applications/:id${suffix}`, resolve(h));
    api[method](`/${ALT_KEY}${suffix}`, resolve(h));
  };

  api.get("/applications", (c) => requirePermission(c, APPLICATIONS_READ) ?? collection(c, inTenant(c).map(render), ENTITY));

  api.post("/applications", async (c) => {
    const denied = requirePermission(c, APPLICATIONS_WRITE);
    if (denied) return denied;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    if (typeof body["displayName"] !== "string" || body["displayName"] === "") {
      return fail(c, 400, "Request_BadRequest", "Property 'displayName' is required.");
    }
    const app: Application = {
      objectId: randomUUID(),
      appId: randomUUID(),
      homeTenantId: c.get("caller").tenantId,
      displayName: body["displayName"],
      signInAudience: "AzureADMyOrg",
      isFallbackPublicClient: false,
      webRedirectUris: [],
      publicClientRedirectUris: [],
      requiredResourceAccess: [],
      passwordCredentials: [],
      keyCredentials: [],
      firstParty: false,
      identifierUris: [],
      oauth2PermissionScopes: [],
      appRoles: [],
      createdDateTime: ctx.clock.now().toISOString(),
    };
    const bad = applyBody(ctx, app, body);
    if (bad) return fail(c, 400, "Request_BadRequest", bad);
    ctx.world.addApplication(app);
    return entity(c, render(app), ENTITY, 201);
  });

  on("get", "", (c, a) => requirePermission(c, APPLICATIONS_READ) ?? entity(c, render(a), ENTITY));

  on("patch", "", async (c, a) => {
    const denied = requirePermission(c, APPLICATIONS_WRITE);
    if (denied) return denied;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    // Validate on a copy so a bad request changes nothing.
    const draft: Application = { ...a };
    const bad = applyBody(ctx, draft, body);
    if (bad) return fail(c, 400, "Request_BadRequest", bad);
    Object.assign(a, draft);
    ctx.world.addApplication(a); // re-index App ID URIs
    return c.body(null, 204);
  });

  on("delete", "", (c, a) => {
    const denied = requirePermission(c, APPLICATIONS_WRITE);
    if (denied) return denied;
    ctx.world.removeApplication(a.appId);
    graphState(ctx.world).appExtras.delete(a.objectId);
    return c.body(null, 204);
  });

  on("post", "/addPassword", async (c, a) => {
    const denied = requirePermission(c, APPLICATIONS_WRITE);
    if (denied) return denied;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const input = (body["passwordCredential"] ?? {}) as Json;
    const now = ctx.clock.now();
    const secretText = newSecret();
    const cred: PasswordCredential = {
      keyId: randomUUID(),
      displayName: typeof input["displayName"] === "string" ? input["displayName"] : null,
      secretText,
      hint: secretText.slice(0, 3),
      startDateTime: typeof input["startDateTime"] === "string" ? input["startDateTime"] : now.toISOString(),
      endDateTime:
        typeof input["endDateTime"] === "string" ? input["endDateTime"] : new Date(now.getTime() + 2 * 365 * 86_400_000).toISOString(),
    };
    if (Number.isNaN(Date.parse(cred.endDateTime)) || Number.isNaN(Date.parse(cred.startDateTime))) {
      return fail(c, 400, "Request_BadRequest", "Invalid value specified for property 'endDateTime' of resource 'PasswordCredential'.");
    }
    a.passwordCredentials = [...a.passwordCredentials, cred];
    return c.json({ "@odata.context": `${new URL(c.req.url).origin}/v1.0/$metadata#microsoft.graph.passwordCredential`, ...passwordCredential(cred, true) });
  });

  on("post", "/removePassword", async (c, a) => {
    const denied = requirePermission(c, APPLICATIONS_WRITE);
    if (denied) return denied;
    const body = await jsonBody(c);
    if (body instanceof Response) return body;
    const keyId = typeof body["keyId"] === "string" ? body["keyId"].toLowerCase() : "";
    if (!a.passwordCredentials.some((p) => p.keyId === keyId)) {
      return fail(c, 400, "Request_BadRequest", `No password credential found with keyId '${keyId}'.`);
    }
    a.passwordCredentials = a.passwordCredentials.filter((p) => p.keyId !== keyId);
    return c.body(null, 204);
  });
}
