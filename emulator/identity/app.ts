/**
 * The identity listener's routes (Entra ID, offline): discovery, JWKS, authorize pages, token
 * (v1 + v2), devicecode and the verification page.
 */
import { Hono } from "hono";
import type { EmulatorContext } from "../context.js";
import { registerDiscovery } from "./discovery.js";
import { registerTokenEndpoints } from "./token-endpoint.js";

/** Build the identity app. */
export function createIdentityApp(ctx: EmulatorContext): Hono {
  const app = new Hono();
  registerDiscovery(app, ctx);
  registerTokenEndpoints(app, ctx);
  return app;
}
