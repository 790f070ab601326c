/**
 * The emulated Microsoft Graph at the root of its own origin (CONTRACTS §1), under `/v1.0` and
 * `/beta` (same handlers). Every route authenticates (see `auth.ts`), answers errors in Graph's
 * shape with `innerError`, and sets `request-id` / `client-request-id`. Throttling (429 +
 * `Retry-After`) comes from the shared scenario middleware the server mounts in front.
 * @see https://learn.microsoft.com/graph/overview
 */
import { Hono } from "hono";
import type { EmulatorContext } from "../context.js";
import { applicationRoutes } from "./applications.js";
import { appRoleRoutes } from "./app-roles.js";
import { authenticate, requestIds, type GraphEnv } from "./auth.js";
import { directoryRoutes } from "./directory.js";
import { graphError } from "./errors.js";
import { partnerRoutes } from "./partner.js";

/**
 * Builds the Graph app. Routes under `/v1.0` and `/beta`: `applications` (+ `(appId='…')`,
 * `addPassword`, `removePassword`), `servicePrincipals` (+ `appRoleAssignedTo`,
 * `appRoleAssignments`), `oauth2PermissionGrants` (+ PATCH/DELETE by id), `users`, `me`, `organization`, `domains`, `groups` (+ `members`,
 * `members/$ref`), `tenantRelationships/delegatedAdminRelationships` (+ `accessAssignments`),
 * `tenantRelationships/delegatedAdminCustomers`, `tenantRelationships/findTenantInformationByTenantId`,
 * `contracts`.
 */
export function createGraphApp(ctx: EmulatorContext): Hono<GraphEnv> {
  const api = new Hono<GraphEnv>({ strict: false });
  api.use("*", requestIds(ctx));
  api.use("*", authenticate(ctx));
  applicationRoutes(api, ctx);
  directoryRoutes(api, ctx);
  appRoleRoutes(api, ctx);
  partnerRoutes(api, ctx);

  const app = new Hono<GraphEnv>({ strict: false });
  app.route("/v1.0", api);
  app.route("/beta", api);
  const ids = () => ({ requestId: crypto.randomUUID(), clientRequestId: crypto.randomUUID(), nowSeconds: ctx.clock.nowSeconds() });
  app.notFound((c) => {
    const path = new URL(c.req.url).pathname;
    if (!/^\/(v1\.0|beta)(\/|$)/.test(path)) return graphError(400, "BadRequest", "Invalid version: the path must start with /v1.0 or /beta.", ids());
    return graphError(400, "BadRequest", `Resource not found for the segment '${path.split("/").pop() ?? ""}'.`, c.get("ids") ?? ids());
  });
  app.onError((err) => graphError(500, "UnknownError", `The emulated Graph failed: ${err.message}`, ids()));
  return app;
}
