/**
 * Response validation for the Partner Center client: the shapes samkit relies on, checked with
 * zod and otherwise passed through untouched (unknown fields kept). A 2xx answer that does not
 * match — HTML from a proxy, a truncated body — becomes `SAMKIT_PC_BAD_RESPONSE` instead of an
 * empty list.
 * Facts: shared/facts/partner-center.md §2–§3.
 */
import { z } from "zod/v3";
import { SamkitError } from "../errors/index.js";

/** A customer: `id` and `companyProfile{tenantId, domain, companyName}` are required. */
export const customerSchema = z
  .object({
    id: z.string().min(1),
    companyProfile: z.object({ tenantId: z.string(), domain: z.string(), companyName: z.string() }).passthrough(),
  })
  .passthrough();

/** One collection page: `items` is an array; `links.next` optional. */
export const collectionSchema = z
  .object({
    items: z.array(z.unknown()),
    links: z
      .object({ next: z.object({ uri: z.string(), headers: z.array(z.object({ key: z.string(), value: z.string() }).passthrough()).optional() }).passthrough().optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

/** An object body (profiles, subscriptions, consents). */
export const objectSchema = z.object({}).passthrough();

/**
 * Validate `data` against `schema`.
 * @throws SamkitError `SAMKIT_PC_BAD_RESPONSE` naming the path and the first problems.
 */
export function validated<T>(schema: z.ZodType<T>, data: unknown, path: string): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const detail =
    typeof data === "string"
      ? `not JSON (${data.slice(0, 60).replace(/\s+/g, " ")}…)`
      : r.error.issues
          .slice(0, 3)
          .map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`)
          .join("; ");
  throw new SamkitError("SAMKIT_PC_BAD_RESPONSE", { params: { path, detail } });
}
