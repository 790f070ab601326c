/** Placeholder (identity engineer): the services engineer replaces this file. */
import { Hono } from "hono";
import type { EmulatorContext } from "../context.js";

/** Build the graph app. */
export function createGraphApp(_ctx: EmulatorContext): Hono {
  const app = new Hono();
  app.all("*", (c) => c.json({ error: { code: "NotImplemented", message: "graph emulator not implemented yet." } }, 501));
  return app;
}
