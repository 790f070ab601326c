/**
 * Request bodies, read once per request. The request log (server.ts) reads a form or JSON body to
 * record it, and the service handlers read the same body again: both go through these helpers, so
 * the body is read once (on @hono/node-server's fast path, straight from the Node request) and
 * never cloned or turned into a web stream. Handlers must not call `c.req.text()`/`json()`/
 * `parseBody()` directly: a body read here is no longer readable there.
 */
import type { Context } from "hono";

const texts = new WeakMap<Request, Promise<string>>();

/** The request body as text (read once; later calls, from any app the request passes through, get the same text). */
export function bodyText(c: Context): Promise<string> {
  const raw = c.req.raw;
  let text = texts.get(raw);
  if (text === undefined) {
    text = raw.text();
    texts.set(raw, text);
  }
  return text;
}

/** The body parsed as JSON. @throws SyntaxError when it is not JSON (like `Request.json()`). */
export async function bodyJson(c: Context): Promise<unknown> {
  return JSON.parse(await bodyText(c)) as unknown;
}

/** An `application/x-www-form-urlencoded` body as a record (last value wins); `{}` for any other content type. */
export async function bodyForm(c: Context): Promise<Record<string, string>> {
  if (!/application\/x-www-form-urlencoded/i.test(c.req.header("content-type") ?? "")) return {};
  return Object.fromEntries(new URLSearchParams(await bodyText(c)));
}
