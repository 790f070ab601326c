/**
 * The identity listener's routes (Entra ID, offline): discovery, JWKS, authorize pages, token
 * (v1 + v2), devicecode and the verification page.
 */
import { Hono } from "hono";
import { deleteCookie } from "hono/cookie";
import type { EmulatorContext } from "../context.js";
import { registerAuthorize } from "./authorize.js";
import { registerDiscovery } from "./discovery.js";
import { registerTokenEndpoints } from "./token-endpoint.js";

/** Build the identity app. */
export function createIdentityApp(ctx: EmulatorContext): Hono {
  const app = new Hono();
  registerDiscovery(app, ctx);
  registerTokenEndpoints(app, ctx);
  registerAuthorize(app, ctx);
  app.get("/:tenant/oauth2/v2.0/logout", (c) => {
    deleteCookie(c, "ESTSAUTH", { path: "/" });
    const back = c.req.query("post_logout_redirect_uri");
    return back ? c.redirect(back, 302) : c.html("<!DOCTYPE html><title>Signed out</title><p>You signed out of your account.</p>");
  });
  app.notFound((c) => c.json({ error: "not_found", error_description: `No emulated identity endpoint at ${c.req.method} ${new URL(c.req.url).pathname}.` }, 404));
  return app;
}
