/** Placeholder (identity engineer): the services engineer replaces this file. */
import { Hono } from "hono";
import type { EmulatorContext } from "../context.js";

/** Build the arm app. */
export function createArmApp(_ctx: EmulatorContext): Hono {
  const app = new Hono();
  app.all("*", (c) => c.json({ error: { code: "NotImplemented", message: "arm emulator not implemented yet." } }, 501));
  return app;
}
