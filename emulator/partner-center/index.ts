/**
 * The emulated Partner Center REST API (`/v1/…`) at the root of its own origin (CONTRACTS §1).
 * Every route authenticates (see `auth.ts`), echoes `MS-RequestId` / `MS-CorrelationId`, and
 * answers errors as `ApiFault`. Throttling (429) and latency come from the shared scenario
 * middleware the server mounts in front of this app.
 * @see https://learn.microsoft.com/partner-center/developer/partner-center-rest-api-reference
 * @see shared/facts/partner-center.md
 */
import { randomUUID } from "node:crypto";
import { Hono, type Context } from "hono";
import { bodyJson } from "../body.js";
import type { EmulatorContext } from "../context.js";
import type { CustomerRecord } from "../world-types.js";
import { authenticatePartnerCenter, type PartnerCenterCaller } from "./auth.js";
import { createConsent, deleteConsent, listConsents, parseConsent } from "./consents.js";
import { apiFault, PC_CODES } from "./errors.js";
import { CONTINUATION_HEADER, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageOf } from "./paging.js";
import { customerResource, organizationProfile, subscriptionResource } from "./shapes.js";

type Env = { Variables: { caller: PartnerCenterCaller } };

/** `filter` of `GET /v1/customers`: `{"Field":"Domain"|"CompanyName","Value":…,"Operator":"starts_with"}`. */
function customerFilter(raw: string | undefined): ((c: CustomerRecord) => boolean) | string | undefined {
  if (raw === undefined || raw === "") return undefined;
  let f: { Field?: unknown; Value?: unknown; Operator?: unknown };
  try {
    f = JSON.parse(raw) as typeof f;
  } catch {
    return "The filter parameter is not valid JSON.";
  }
  const value = typeof f.Value === "string" ? f.Value.toLowerCase() : undefined;
  const field = typeof f.Field === "string" ? f.Field.toLowerCase() : undefined;
  if (value === undefined || String(f.Operator).toLowerCase() !== "starts_with") return "Only the starts_with operator with a string Value is supported.";
  if (field === "domain") return (c) => c.domain.toLowerCase().startsWith(value);
  if (field === "companyname") return (c) => c.companyName.toLowerCase().startsWith(value);
  return `Unsupported filter field ${String(f.Field)}.`;
}

/**
 * Builds the Partner Center app. Routes: `GET /v1/customers`, `GET /v1/customers/{id}`,
 * `GET /v1/customers/{id}/subscriptions[/{subscriptionId}]`, `GET /v1/profiles/organization`,
 * `GET|POST /v1/customers/{id}/applicationconsents`, `DELETE …/applicationconsents/{applicationId}`.
 */
export function createPartnerCenterApp(ctx: EmulatorContext): Hono<Env> {
  const app = new Hono<Env>({ strict: false });

  app.use("*", async (c, next) => {
    const requestId = c.req.header("ms-requestid") ?? randomUUID();
    const correlationId = c.req.header("ms-correlationid") ?? randomUUID();
    await next();
    c.res.headers.set("MS-RequestId", requestId);
    c.res.headers.set("MS-CorrelationId", correlationId);
  });

  app.use("/v1/*", async (c, next) => {
    const caller = authenticatePartnerCenter(ctx, c);
    if (caller instanceof Response) return caller;
    c.set("caller", caller);
    await next();
  });

  /** The customer record for `{id}`, or the ApiFault: 404 (60003) unknown, 403 (20002) no relationship. */
  const customerOr = (id: string, needRelationship: boolean): CustomerRecord | Response => {
    const rec = ctx.world.customers.get(id.toLowerCase());
    if (!rec) return apiFault(404, PC_CODES.tenantNotFound, `Tenant ${id} was not found among this partner's customers.`);
    if (needRelationship && rec.relationshipToPartner === "none") {
      return apiFault(403, PC_CODES.noRelationship, "The partner has no reseller relationship with this customer.");
    }
    return rec;
  };

  app.get("/v1/customers", (c) => {
    const rawSize = c.req.query("size");
    const n = rawSize === undefined || rawSize === "" ? 0 : Number(rawSize);
    if (!Number.isInteger(n) || n < 0) return apiFault(400, PC_CODES.invalidInput, `size must be a non-negative integer, not ${rawSize ?? ""}.`);
    const size = n === 0 ? DEFAULT_PAGE_SIZE : Math.min(n, MAX_PAGE_SIZE);
    const filter = customerFilter(c.req.query("filter"));
    if (typeof filter === "string") return apiFault(400, PC_CODES.invalidInput, filter);
    const list = filter ? ctx.world.customerList.filter(filter) : ctx.world.customerList;
    const page = pageOf(list, "/customers", size, c.req.header(CONTINUATION_HEADER));
    if (page === "bad-token") return apiFault(400, PC_CODES.invalidInput, "The continuation token is invalid.");
    return c.json({ ...page, items: page.items.map(customerResource) });
  });

  app.get("/v1/customers/:id", (c) => {
    const rec = customerOr(c.req.param("id"), false);
    return rec instanceof Response ? rec : c.json(customerResource(rec));
  });

  app.get("/v1/customers/:id/subscriptions", (c) => {
    const rec = customerOr(c.req.param("id"), true);
    if (rec instanceof Response) return rec;
    const items = rec.subscriptions.map((s) => subscriptionResource(rec, s, ctx.world.iso(-86_400 * 200)));
    return c.json({
      totalCount: items.length,
      items,
      links: { self: { uri: `/customers/${rec.tenantId}/subscriptions`, method: "GET", headers: [] } },
      attributes: { objectType: "Collection" },
    });
  });

  app.get("/v1/customers/:id/subscriptions/:subscriptionId", (c) => {
    const rec = customerOr(c.req.param("id"), true);
    if (rec instanceof Response) return rec;
    const sub = rec.subscriptions.find((s) => s.id === c.req.param("subscriptionId").toLowerCase());
    if (!sub) return apiFault(404, PC_CODES.notFound, `Subscription ${c.req.param("subscriptionId")} was not found.`);
    return c.json(subscriptionResource(rec, sub, ctx.world.iso(-86_400 * 200)));
  });

  app.get("/v1/profiles/organization", (c) => c.json(organizationProfile(ctx.world.partner)));

  const userOnly = (c: Context<Env>): Response | undefined =>
    c.get("caller").appOnly
      ? apiFault(403, PC_CODES.forbidden, "Application consents need an App+User token (app-only tokens are not allowed).")
      : undefined;

  app.get("/v1/customers/:id/applicationconsents", (c) => {
    const rec = customerOr(c.req.param("id"), true);
    if (rec instanceof Response) return rec;
    const items = listConsents(ctx.world, rec.tenantId);
    return c.json({ totalCount: items.length, items, attributes: { objectType: "Collection" } });
  });

  app.post("/v1/customers/:id/applicationconsents", async (c) => {
    const denied = userOnly(c);
    if (denied) return denied;
    const rec = customerOr(c.req.param("id"), true);
    if (rec instanceof Response) return rec;
    let body: unknown;
    try {
      body = await bodyJson(c);
    } catch {
      return apiFault(400, PC_CODES.invalidInput, "The request body is not valid JSON.");
    }
    const input = parseConsent(body);
    if (typeof input === "string") return apiFault(400, PC_CODES.invalidInput, input);
    const created = createConsent(ctx.world, rec.tenantId, input);
    return created instanceof Response ? created : c.json(created, 201);
  });

  app.delete("/v1/customers/:id/applicationconsents/:applicationId", (c) => {
    const denied = userOnly(c);
    if (denied) return denied;
    const rec = customerOr(c.req.param("id"), true);
    if (rec instanceof Response) return rec;
    if (!deleteConsent(ctx.world, rec.tenantId, c.req.param("applicationId"))) {
      return apiFault(404, PC_CODES.notFound, `No consent of application ${c.req.param("applicationId")} in this customer.`);
    }
    return c.body(null, 204);
  });

  app.notFound(() => apiFault(404, PC_CODES.notFound, "The requested resource was not found."));
  app.onError((err) => apiFault(500, 500, `The emulated Partner Center failed: ${err.message}`));
  return app;
}
