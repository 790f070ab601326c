/**
 * The Key Vault secrets REST surface at the root of its own origin (CONTRACTS §1): PUT/GET/PATCH
 * secrets, versions, paged lists with `nextLink`, soft delete, `deletedsecrets` get/list/purge/recover.
 * Authentication is injected (`VaultGate`) so this file is only about the secrets API.
 * @see https://learn.microsoft.com/rest/api/keyvault/secrets/
 */
import { Hono, type Context } from "hono";
import { bodyJson } from "../body.js";
import { vaultError } from "./errors.js";
import { deletedBundle, deletedItem, secretBundle, secretItem } from "./bundles.js";
import { SECRET_NAME, VaultStoreError, type VaultStore } from "./store.js";

/** Decides whether a request may proceed; answers the 401 challenge itself when not. */
export interface VaultGate {
  /** `undefined` = authorised; otherwise the response to send (401 with the challenge). */
  check(c: Context): Response | undefined;
}

/** Largest `maxresults` Key Vault accepts for secret lists (and the default page size). */
export const MAX_RESULTS = 25;

/** `7.0`…`7.x` (with optional `-preview`) and dated versions such as `2025-07-01`. */
const API_VERSION = /^(7\.\d+|\d{4}-\d{2}-\d{2})(-preview(\.\d+)?)?$/;

function apiVersionError(c: Context): Response | undefined {
  const v = c.req.query("api-version");
  if (v === undefined || v === "") return vaultError(400, "BadParameter", "The 'api-version' query parameter is missing.");
  if (!API_VERSION.test(v)) {
    return vaultError(400, "BadParameter", `The specified version (${v}) is not recognized. Consider using the latest supported version (2025-07-01).`);
  }
  return undefined;
}

function storeFailure(err: unknown): Response {
  if (err instanceof VaultStoreError) {
    if (err.failure === "not-found") return vaultError(404, "SecretNotFound", err.message);
    if (err.failure === "deleted-but-recoverable") {
      return vaultError(409, "Conflict", err.message, { innerCode: "ObjectIsDeletedButRecoverable" });
    }
  }
  throw err;
}

function badName(name: string): Response | undefined {
  if (SECRET_NAME.test(name)) return undefined;
  return vaultError(400, "BadParameter", "The request URI contains an invalid name: " + name);
}

interface PageToken {
  o: number;
}

function paged<T>(c: Context, items: T[], render: (item: T) => unknown): Response {
  const raw = c.req.query("maxresults");
  const size = raw === undefined ? MAX_RESULTS : Number(raw);
  if (!Number.isInteger(size) || size < 1 || size > MAX_RESULTS) {
    return vaultError(400, "BadParameter", `invalid maxresults value ${raw ?? ""}; it must be between 1 and ${MAX_RESULTS}.`);
  }
  let offset = 0;
  const skip = c.req.query("$skiptoken");
  if (skip !== undefined) {
    try {
      offset = (JSON.parse(Buffer.from(skip, "base64url").toString("utf8")) as PageToken).o;
    } catch {
      return vaultError(400, "BadParameter", "The $skiptoken is invalid.");
    }
    if (!Number.isInteger(offset) || offset < 0) return vaultError(400, "BadParameter", "The $skiptoken is invalid.");
  }
  const page = items.slice(offset, offset + size);
  let nextLink: string | null = null;
  if (offset + size < items.length) {
    const url = new URL(c.req.url);
    const next = new URL(url.pathname, url.origin);
    next.searchParams.set("api-version", c.req.query("api-version") ?? "");
    next.searchParams.set("$skiptoken", Buffer.from(JSON.stringify({ o: offset + size } satisfies PageToken)).toString("base64url"));
    next.searchParams.set("maxresults", String(size));
    nextLink = next.toString();
  }
  return c.json({ value: page.map(render), nextLink });
}

interface SetBody {
  value?: unknown;
  contentType?: unknown;
  tags?: unknown;
  attributes?: { enabled?: unknown; nbf?: unknown; exp?: unknown };
}

function tagsOf(v: unknown): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "object" || Array.isArray(v)) return undefined;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]));
}

const num = (v: unknown): number | undefined => (typeof v === "number" ? v : undefined);

async function readBody(c: Context): Promise<SetBody | Response> {
  try {
    const body = await bodyJson(c);
    if (typeof body !== "object" || body === null) throw new Error("not an object");
    return body;
  } catch {
    return vaultError(400, "BadParameter", "The request body is missing or is not valid JSON.");
  }
}

/**
 * Builds the secrets app on the store `storeOf()` returns (read per request, as the world can be
 * replaced by a reset). `gate` runs before every route (the SDK's first, body-less request gets
 * the 401 challenge there), then the api-version check.
 */
export function createVaultRoutes(storeOf: () => VaultStore, gate: VaultGate): Hono {
  const app = new Hono({ strict: false });
  const origin = (c: Context): string => new URL(c.req.url).origin;

  app.use("*", async (c, next) => {
    const denied = gate.check(c);
    if (denied) return denied;
    const bad = apiVersionError(c);
    if (bad) return bad;
    await next();
  });

  app.get("/secrets", (c) => paged(c, storeOf().list(), (v) => secretItem(origin(c), v, false)));

  app.get("/secrets/:name/versions", (c) => {
    const name = c.req.param("name");
    try {
      return paged(c, storeOf().versions(name), (v) => secretItem(origin(c), v, true));
    } catch (err) {
      return storeFailure(err);
    }
  });

  app.put("/secrets/:name", async (c) => {
    const name = c.req.param("name");
    const invalid = badName(name);
    if (invalid) return invalid;
    const body = await readBody(c);
    if (body instanceof Response) return body;
    if (typeof body.value !== "string") return vaultError(400, "BadParameter", "Property value is required.");
    try {
      const v = await storeOf().set(name, {
        value: body.value,
        contentType: typeof body.contentType === "string" ? body.contentType : null,
        tags: tagsOf(body.tags) ?? {},
        enabled: typeof body.attributes?.enabled === "boolean" ? body.attributes.enabled : true,
        notBefore: num(body.attributes?.nbf),
        expires: num(body.attributes?.exp),
      });
      return c.json(secretBundle(origin(c), v));
    } catch (err) {
      return storeFailure(err);
    }
  });

  const getOne = (c: Context, name: string, version: string | undefined): Response => {
    try {
      const v = storeOf().get(name, version);
      if (!v.enabled) {
        return vaultError(403, "Forbidden", "Operation get is not allowed on a disabled secret.", { innerCode: "SecretDisabled" });
      }
      return c.json(secretBundle(origin(c), v));
    } catch (err) {
      return storeFailure(err);
    }
  };
  app.get("/secrets/:name", (c) => getOne(c, c.req.param("name"), undefined));
  app.get("/secrets/:name/:version", (c) => getOne(c, c.req.param("name"), c.req.param("version")));

  const patch = async (c: Context, name: string, version: string | undefined): Promise<Response> => {
    const body = await readBody(c);
    if (body instanceof Response) return body;
    try {
      const v = await storeOf().update(name, version, {
        contentType: typeof body.contentType === "string" ? body.contentType : undefined,
        tags: tagsOf(body.tags),
        enabled: typeof body.attributes?.enabled === "boolean" ? body.attributes.enabled : undefined,
        notBefore: num(body.attributes?.nbf),
        expires: num(body.attributes?.exp),
      });
      const { value: _value, ...withoutValue } = secretBundle(origin(c), v);
      return c.json(withoutValue);
    } catch (err) {
      return storeFailure(err);
    }
  };
  app.patch("/secrets/:name", (c) => patch(c, c.req.param("name"), undefined));
  app.patch("/secrets/:name/:version", (c) => patch(c, c.req.param("name"), c.req.param("version")));

  app.delete("/secrets/:name", async (c) => {
    try {
      return c.json(deletedBundle(origin(c), await storeOf().delete(c.req.param("name"))));
    } catch (err) {
      return storeFailure(err);
    }
  });

  app.get("/deletedsecrets", (c) => paged(c, storeOf().listDeleted(), (d) => deletedItem(origin(c), d)));

  app.get("/deletedsecrets/:name", (c) => {
    try {
      return c.json(deletedBundle(origin(c), storeOf().getDeleted(c.req.param("name"))));
    } catch (err) {
      return storeFailure(err);
    }
  });

  app.delete("/deletedsecrets/:name", async (c) => {
    try {
      await storeOf().purge(c.req.param("name"));
      return c.body(null, 204);
    } catch (err) {
      return storeFailure(err);
    }
  });

  app.post("/deletedsecrets/:name/recover", async (c) => {
    try {
      const v = await storeOf().recover(c.req.param("name"));
      const { value: _value, ...withoutValue } = secretBundle(origin(c), v);
      return c.json(withoutValue);
    } catch (err) {
      return storeFailure(err);
    }
  });

  app.notFound(() => vaultError(404, "NotFound", "The requested resource was not found on this vault."));
  app.onError((err) => vaultError(500, "InternalServerError", `The emulated vault failed: ${err.message}`));
  return app;
}
