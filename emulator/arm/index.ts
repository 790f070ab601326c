/**
 * The emulated Azure Resource Manager (minimal) at the root of its own origin: `GET /tenants`,
 * `GET /subscriptions`, `GET /subscriptions/{id}`, `GET /subscriptions/{id}/resourceGroups`, each
 * for the token's tenant, paged with `nextLink` (`$top` honoured), errors as `{error:{code,message}}`.
 * @see https://learn.microsoft.com/rest/api/resources/subscriptions/list
 * @see https://learn.microsoft.com/rest/api/resources/resource-groups/list
 * @see https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling
 */
import { Hono, type Context, type MiddlewareHandler } from "hono";
import type { EmulatorContext } from "../context.js";
import { verifyBearer, type AccessTokenClaims } from "../tokens.js";
import { RESOURCE_URIS } from "../well-known.js";
import { armError } from "./errors.js";
import { armIndex, type ArmSubscription } from "./subscriptions.js";

type Env = { Variables: { claims: AccessTokenClaims } };

/** Default page size of ARM lists in the emulator. */
export const ARM_PAGE_SIZE = 100;

function authenticate(ctx: EmulatorContext): MiddlewareHandler<Env> {
  return async (c, next) => {
    const check = verifyBearer(ctx, c.req.header("authorization"), {
      audience: [RESOURCE_URIS.azureServiceManagement, RESOURCE_URIS.azureServiceManagementLegacy],
    });
    if (!check.ok) {
      const [code, message] =
        check.reason === "missing"
          ? ["AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."]
          : check.reason === "expired"
            ? ["ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time."]
            : check.reason === "invalid_audience"
              ? [
                  "InvalidAuthenticationTokenAudience",
                  "The access token has been obtained for wrong audience or resource. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.",
                ]
              : ["InvalidAuthenticationToken", "The access token is invalid."];
      return armError(401, code, message, {
        "www-authenticate": `Bearer authorization_uri="${ctx.urls.authorityHost}/${ctx.world.partnerTenantId}", error="invalid_token", error_description="${message.replace(/"/g, "'")}"`,
      });
    }
    if (!c.req.query("api-version")) {
      return armError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
    }
    c.set("claims", check.claims);
    await next();
  };
}

/** A paged ARM list: `{value, nextLink?}`; `$skiptoken` is an opaque offset. */
function paged(c: Context<Env>, items: readonly unknown[]): Response {
  const rawTop = c.req.query("$top");
  const top = rawTop === undefined ? ARM_PAGE_SIZE : Number(rawTop);
  if (!Number.isInteger(top) || top < 1 || top > 1000) return armError(400, "InvalidParameter", `The value '${rawTop ?? ""}' of $top is invalid.`);
  let offset = 0;
  const skip = c.req.query("$skiptoken");
  if (skip !== undefined) {
    offset = Number(Buffer.from(skip, "base64url").toString("utf8"));
    if (!Number.isInteger(offset) || offset < 0) return armError(400, "InvalidSkipToken", "The skip token is invalid.");
  }
  const body: { value: unknown[]; nextLink?: string } = { value: items.slice(offset, offset + top) };
  if (offset + top < items.length) {
    const next = new URL(c.req.url);
    next.searchParams.set("$skiptoken", Buffer.from(String(offset + top)).toString("base64url"));
    body.nextLink = next.toString();
  }
  return c.json(body);
}

function subscriptionJson(ctx: EmulatorContext, s: ArmSubscription): Record<string, unknown> {
  return {
    id: `/subscriptions/${s.subscriptionId}`,
    authorizationSource: "RoleBased",
    managedByTenants: s.tenantId === ctx.world.partnerTenantId ? [] : [{ tenantId: ctx.world.partnerTenantId }],
    subscriptionId: s.subscriptionId,
    tenantId: s.tenantId,
    displayName: s.displayName,
    state: "Enabled",
    subscriptionPolicies: { locationPlacementId: "Public_2014-09-01", quotaId: "CSP_2015-05-01", spendingLimit: "Off" },
  };
}

/** Builds the ARM app. */
export function createArmApp(ctx: EmulatorContext): Hono<Env> {
  const app = new Hono<Env>({ strict: false });
  app.use("*", authenticate(ctx));

  /** The subscription `{id}` if it belongs to the token's tenant; else ARM's 404 / wrong-issuer 401. */
  const subscriptionOr = (c: Context<Env>): ArmSubscription | Response => {
    const id = c.req.param("id")?.toLowerCase() ?? "";
    const s = armIndex(ctx.world).byId.get(id);
    if (!s) return armError(404, "SubscriptionNotFound", `The subscription '${id}' could not be found.`);
    const tid = c.get("claims").tid;
    if (s.tenantId !== tid) {
      return armError(
        401,
        "InvalidAuthenticationTokenTenant",
        `The access token is from the wrong issuer 'https://sts.windows.net/${tid}/'. It must match the tenant 'https://sts.windows.net/${s.tenantId}/' associated with this subscription. Please use the authority (URL) '${ctx.urls.authorityHost}/${s.tenantId}' to get the token.`,
      );
    }
    return s;
  };

  app.get("/tenants", (c) => {
    const t = ctx.world.tenants.get(c.get("claims").tid);
    const value = t ? [{ id: `/tenants/${t.tenantId}`, tenantId: t.tenantId, tenantCategory: "Home", displayName: t.displayName, defaultDomain: t.domain, domains: [t.domain] }] : [];
    return paged(c, value);
  });

  app.get("/subscriptions", (c) => {
    const subs = armIndex(ctx.world).byTenant.get(c.get("claims").tid) ?? [];
    return paged(c, subs.map((s) => subscriptionJson(ctx, s)));
  });

  app.get("/subscriptions/:id", (c) => {
    const s = subscriptionOr(c);
    return s instanceof Response ? s : c.json(subscriptionJson(ctx, s));
  });

  for (const path of ["/subscriptions/:id/resourceGroups", "/subscriptions/:id/resourcegroups"]) {
    app.get(path, (c) => {
      const s = subscriptionOr(c);
      if (s instanceof Response) return s;
      return paged(
        c,
        s.resourceGroups.map((rg) => ({
          id: `/subscriptions/${s.subscriptionId}/resourceGroups/${rg.name}`,
          name: rg.name,
          type: "Microsoft.Resources/resourceGroups",
          location: rg.location,
          properties: { provisioningState: "Succeeded" },
        })),
      );
    });
  }

  app.notFound((c) => armError(404, "InvalidResourceType", `The resource type could not be found for the path '${new URL(c.req.url).pathname}'.`));
  app.onError((err) => armError(500, "InternalServerError", `The emulated Resource Manager failed: ${err.message}`));
  return app;
}
