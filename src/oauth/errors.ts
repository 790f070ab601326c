/**
 * One place where failures of openid-client grant calls become SamkitErrors. Identity-platform
 * error bodies (`error`, `error_codes`, `trace_id`, …) go through the foundation classifier;
 * transport failures from the HTTP seam are already SamkitErrors and pass through unchanged.
 *
 * @see https://learn.microsoft.com/entra/identity-platform/reference-error-codes
 */
import * as client from "openid-client";
import { SamkitError, classifyIdentityError, isSamkitError, type IdentityErrorFields } from "../errors/index.js";

function findSamkitError(err: unknown): SamkitError | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e !== undefined && e !== null; depth += 1) {
    if (isSamkitError(e)) return e;
    e = e instanceof Error ? e.cause : undefined;
  }
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Picks the identity-platform error fields out of a parsed body (no secrets are in them). */
export function identityFields(body: unknown): IdentityErrorFields {
  if (body === null || typeof body !== "object") return {};
  const b = body as Record<string, unknown>;
  const codes = Array.isArray(b["error_codes"]) ? b["error_codes"].filter((c): c is number => typeof c === "number") : undefined;
  const fields: Record<string, unknown> = {
    error: str(b["error"]),
    error_description: str(b["error_description"]),
    error_codes: codes,
    suberror: str(b["suberror"]),
    trace_id: str(b["trace_id"]),
    correlation_id: str(b["correlation_id"]),
    claims: str(b["claims"]),
    timestamp: str(b["timestamp"]),
  };
  for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
  return fields;
}

/** The AADSTS code of an identity error: `error_codes[0]`, else `AADSTSnnnn` in the description. */
export function aadstsOf(fields: IdentityErrorFields): number | undefined {
  const first = fields.error_codes?.[0];
  if (first !== undefined) return first;
  const m = /AADSTS(\d+)/.exec(fields.error_description ?? "");
  return m?.[1] !== undefined ? Number(m[1]) : undefined;
}

/**
 * Maps an identity-platform error body to a SamkitError through the foundation classifier
 * (`classifyIdentityError`: AADSTS code → catalogue entry, raw fields kept in `identity`).
 */
export function identityError(body: unknown, status: number | undefined, cause?: unknown): SamkitError {
  const err = classifyIdentityError({ ...(status !== undefined ? { status } : {}), body }, { service: "identity" });
  if (cause !== undefined && err.cause === undefined) Object.defineProperty(err, "cause", { value: cause, enumerable: false, configurable: true, writable: true });
  return err;
}

/**
 * Converts anything an openid-client grant call threw into a SamkitError (or re-throws the
 * caller's abort reason when `abortSignal` fired).
 * @param endpoint The URL called, named in `SAMKIT_OAUTH_INVALID_RESPONSE` messages.
 */
export function toGrantError(err: unknown, endpoint: string, abortSignal?: AbortSignal): unknown {
  const samkit = findSamkitError(err);
  if (samkit) return samkit;
  if (abortSignal?.aborted) return abortSignal.reason;
  if (err instanceof client.ResponseBodyError) return identityError(err.cause, err.status, err);
  if (err instanceof client.AuthorizationResponseError) return identityError(err.cause instanceof URLSearchParams ? Object.fromEntries(err.cause) : err.cause, undefined, err);
  // A 429/5xx whose body is not an OAuth error (a gateway page, an empty body): openid-client
  // throws OAUTH_RESPONSE_IS_NOT_CONFORM with the Response as `cause`. Classify it by status
  // (SAMKIT_THROTTLED / SAMKIT_IDENTITY_UNAVAILABLE, action retry-later), not as a bad response.
  if (err instanceof client.ClientError && err.cause instanceof Response && (err.cause.status === 429 || err.cause.status >= 500)) {
    return identityError(undefined, err.cause.status, err);
  }
  const detail = err instanceof Error ? err.message : String(err);
  return new SamkitError("SAMKIT_OAUTH_INVALID_RESPONSE", { params: { endpoint, detail }, cause: err });
}
