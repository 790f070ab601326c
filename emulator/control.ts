/**
 * Control API on the identity origin, for tests and demos (docs/emulator.md "Control API").
 * Not part of any Microsoft service; never subject to scenarios or the request log.
 */
import { Hono, type Context } from "hono";
import { z } from "zod/v3";
import { bodyJson } from "./body.js";
import type { EmulatorContext } from "./context.js";
import { approveDeviceCode, declineDeviceCode } from "./identity/device-code.js";
import { consentDeviceCode } from "./identity/authorize.js";
import { resetUserPassword, revokeUserSessions } from "./identity/sessions.js";
import type { ServiceName } from "./context.js";

const clockBody = z.object({ advanceSeconds: z.number().optional(), setSeconds: z.number().optional(), freeze: z.boolean().optional(), reset: z.boolean().optional() }).strict();
const approveBody = z.object({ userCode: z.string(), username: z.string().optional(), mfa: z.boolean().optional(), decline: z.boolean().optional(), consent: z.boolean().optional() }).strict();
const revokeBody = z.object({ username: z.string() }).strict();
const passwordBody = z.object({ username: z.string(), password: z.string().min(1) }).strict();
const mfaBody = z.object({ username: z.string(), mfa: z.boolean() }).strict();
const latencyBody = z.object({ latencyMs: z.number().int().nonnegative() }).strict();
const services = new Set<string>(["identity", "partner-center", "graph", "arm", "keyvault"]);

/** Control-plane error body. */
const fail = (message: string) => ({ error: { code: "BadRequest", message } });

/** The world as JSON (partner users, apps with secrets, customers with their state). */
export function describeWorld(ctx: EmulatorContext): unknown {
  const w = ctx.world;
  const now = ctx.clock.nowSeconds();
  return {
    partnerTenantId: w.partnerTenantId,
    partnerDomain: w.partner.domain,
    samApp: { clientId: w.samAppId, clientSecret: w.samAppSecret, redirectUri: "http://localhost" },
    users: w.usersIn(w.partnerTenantId).map((u) => ({ username: u.userPrincipalName, password: u.password, mfa: u.mfa, objectId: u.objectId, tenantId: u.tenantId, roles: u.roles })),
    apps: [...w.applications.values()]
      .filter((a) => a.firstParty ? a.isFallbackPublicClient : true)
      .map((a) => ({
        clientId: a.appId,
        clientSecret: a.passwordCredentials[0]?.secretText ?? null,
        displayName: a.displayName,
        publicClient: a.isFallbackPublicClient,
        firstParty: a.firstParty,
        homeTenantId: a.homeTenantId,
      })),
    customers: w.customerList.map((cu) => ({
      tenantId: cu.tenantId,
      domain: cu.domain,
      name: cu.companyName,
      state: cu.seededState,
      relationshipToPartner: cu.relationshipToPartner,
      consented: w.isConsented(cu.tenantId, w.samAppId),
      gdap: w.activeGdap(cu.tenantId, now) !== undefined,
      conditionalAccessBlock: w.tenants.get(cu.tenantId)?.conditionalAccessBlock ?? false,
      cloud: w.tenants.get(cu.tenantId)?.cloud ?? "global",
    })),
  };
}

/** Build the control app (mounted at `/_emulator/*` on the identity listener). */
export function createControlApp(ctx: EmulatorContext, reset: () => void): Hono {
  const app = new Hono().basePath("/_emulator");
  const json = async (c: Context): Promise<unknown> => {
    try {
      return await bodyJson(c);
    } catch {
      return {};
    }
  };

  app.get("/cloud", (c) => c.json(ctx.urls));
  app.get("/world", (c) => c.json(describeWorld(ctx)));
  app.get("/health", (c) => c.json({ ok: true }));
  app.post("/reset", (c) => {
    reset();
    return c.json({ ok: true });
  });

  app.get("/clock", (c) => c.json(ctx.clock.describe()));
  app.post("/clock", async (c) => {
    const p = clockBody.safeParse(await json(c));
    if (!p.success) return c.json(fail(p.error.message), 400);
    if (p.data.reset) ctx.clock.reset();
    if (p.data.setSeconds !== undefined) ctx.clock.set(p.data.setSeconds);
    if (p.data.advanceSeconds !== undefined) ctx.clock.advance(p.data.advanceSeconds);
    if (p.data.freeze !== undefined) ctx.clock.freeze(p.data.freeze);
    return c.json(ctx.clock.describe());
  });

  app.post("/devicecode/approve", async (c) => {
    const p = approveBody.safeParse(await json(c));
    if (!p.success) return c.json(fail(p.error.message), 400);
    const username = p.data.username ?? ctx.world.serviceAccountUpn;
    // `consent: true`: the user also accepts the consent screen (records the grant) first.
    const consented = p.data.consent === true && !p.data.decline ? consentDeviceCode(ctx, p.data.userCode, username) : ({ ok: true } as const);
    const r = !consented.ok
      ? consented
      : p.data.decline
        ? declineDeviceCode(ctx, p.data.userCode)
        : approveDeviceCode(ctx, p.data.userCode, username, p.data.mfa);
    return r.ok ? c.json({ ok: true }) : c.json(fail(r.message), 404);
  });

  app.get("/mfa", (c) => {
    const username = (c.req.query("username") ?? "").toLowerCase();
    const code = ctx.identity.mfaCodes.get(username);
    return code ? c.json({ username, code }) : c.json(fail(`No pending MFA challenge for '${username}'.`), 404);
  });

  app.post("/sessions/revoke", async (c) => {
    const p = revokeBody.safeParse(await json(c));
    if (!p.success) return c.json(fail(p.error.message), 400);
    const u = ctx.world.userByUpn(p.data.username);
    if (!u) return c.json(fail(`Unknown user '${p.data.username}'.`), 404);
    return c.json({ ok: true, revokedRefreshTokens: revokeUserSessions(ctx, u.objectId) });
  });

  app.post("/users/password", async (c) => {
    const p = passwordBody.safeParse(await json(c));
    if (!p.success) return c.json(fail(p.error.message), 400);
    const u = ctx.world.userByUpn(p.data.username);
    if (!u) return c.json(fail(`Unknown user '${p.data.username}'.`), 404);
    resetUserPassword(ctx, u.objectId, p.data.password);
    return c.json({ ok: true });
  });

  app.post("/users/mfa", async (c) => {
    const p = mfaBody.safeParse(await json(c));
    if (!p.success) return c.json(fail(p.error.message), 400);
    const u = ctx.world.userByUpn(p.data.username);
    if (!u) return c.json(fail(`Unknown user '${p.data.username}'.`), 404);
    u.mfa = p.data.mfa;
    return c.json({ ok: true });
  });

  app.get("/scenarios", (c) => c.json({ latencyMs: ctx.scenarios.latencyMs, rules: ctx.scenarios.list() }));
  app.post("/scenarios", async (c) => {
    const body = await json(c);
    const list = Array.isArray(body) ? body : [body];
    try {
      return c.json({ rules: list.map((r) => ctx.scenarios.add(r)) });
    } catch (e) {
      return c.json(fail(e instanceof Error ? e.message : "invalid rule"), 400);
    }
  });
  app.delete("/scenarios", (c) => {
    ctx.scenarios.clear();
    return c.json({ ok: true });
  });
  app.delete("/scenarios/:id", (c) => (ctx.scenarios.remove(c.req.param("id")) ? c.json({ ok: true }) : c.json(fail("No such rule."), 404)));
  app.post("/latency", async (c) => {
    const p = latencyBody.safeParse(await json(c));
    if (!p.success) return c.json(fail(p.error.message), 400);
    ctx.scenarios.latencyMs = p.data.latencyMs;
    return c.json({ latencyMs: ctx.scenarios.latencyMs });
  });

  app.get("/requests", (c) => {
    const service = c.req.query("service");
    const s = service && services.has(service) ? (service as ServiceName) : undefined;
    return c.json(c.req.query("keep") === "1" ? ctx.requestLog.list(s) : ctx.requestLog.take(s));
  });
  app.delete("/requests", (c) => {
    ctx.requestLog.clear();
    return c.json({ ok: true });
  });
  return app;
}
