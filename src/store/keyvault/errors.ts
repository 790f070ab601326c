import { SamkitError, isSamkitError } from "../../errors/index.js";

/**
 * Maps what `@azure/keyvault-secrets` and `@azure/identity` throw to catalogue errors
 * (docs/storage.md §4). Key Vault's error body is `{"error":{"code","message"}}`; the SDK turns
 * it into a `RestError` with `statusCode` and `code`.
 * @see https://learn.microsoft.com/azure/key-vault/general/rest-error-codes
 * @see https://learn.microsoft.com/azure/key-vault/general/overview-throttling
 */

interface RestErrorLike {
  readonly name?: string;
  readonly message?: string;
  readonly statusCode?: number;
  readonly code?: string;
  readonly response?: { readonly headers?: { get(name: string): string | undefined } };
}

/** What the failing call was, for the message. */
export interface VaultCallContext {
  readonly vault: string;
  readonly operation: string;
  readonly name: string;
}

const NETWORK_CODES = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

/** A short, value-free reason from an SDK error (its code, else its first line, capped). */
function reasonOf(e: RestErrorLike): string {
  const first = (e.message ?? "").split("\n")[0] ?? "";
  return (e.code ? `${e.code}: ` : "") + first.slice(0, 200);
}

function retryAfterSeconds(e: RestErrorLike): number | undefined {
  const h = e.response?.headers?.get("retry-after");
  if (h === undefined) return undefined;
  const s = Number(h);
  if (Number.isFinite(s)) return Math.max(0, Math.ceil(s));
  const t = Date.parse(h);
  return Number.isFinite(t) ? Math.max(0, Math.ceil((t - Date.now()) / 1000)) : undefined;
}

/**
 * Converts an SDK error to a {@link SamkitError}; SamkitErrors pass through.
 * @returns the error to throw
 */
export function mapVaultError(err: unknown, ctx: VaultCallContext): SamkitError {
  if (isSamkitError(err)) return err;
  const e = (err ?? {}) as RestErrorLike;
  const name = e.name ?? "";
  const base = { vault: ctx.vault, operation: ctx.operation, name: ctx.name };
  if (
    name === "CredentialUnavailableError" ||
    name === "AuthenticationError" ||
    name === "AggregateAuthenticationError"
  ) {
    return new SamkitError("SAMKIT_STORE_KV_UNAUTHENTICATED", {
      params: { vault: ctx.vault, reason: reasonOf({ message: e.message ?? name }) },
      cause: err,
    });
  }
  const status = e.statusCode;
  if (status === 401) {
    return new SamkitError("SAMKIT_STORE_KV_UNAUTHENTICATED", {
      params: { vault: ctx.vault, reason: reasonOf(e) },
      cause: err,
      status,
    });
  }
  if (status === 403)
    return new SamkitError("SAMKIT_STORE_KV_FORBIDDEN", {
      params: base,
      cause: err,
      status,
      serviceMessage: reasonOf(e),
    });
  if (status === 409)
    return new SamkitError("SAMKIT_STORE_KV_SOFT_DELETED", {
      params: base,
      cause: err,
      status,
      serviceMessage: reasonOf(e),
    });
  if (status === 429) {
    const ra = retryAfterSeconds(e);
    return new SamkitError("SAMKIT_STORE_KV_THROTTLED", {
      params: { ...base, retryAfterSeconds: ra ?? 10 },
      cause: err,
      status,
      ...(ra !== undefined ? { retryAfterSeconds: ra } : {}),
    });
  }
  if (status === 404) {
    // A 404 that is not SecretNotFound means the vault (or path) itself does not exist.
    return new SamkitError("SAMKIT_STORE_KV_VAULT_NOT_FOUND", {
      params: { vault: ctx.vault, reason: reasonOf(e) },
      cause: err,
      status,
    });
  }
  if (e.code !== undefined && (e.code === "ENOTFOUND" || e.code === "EAI_AGAIN")) {
    return new SamkitError("SAMKIT_STORE_KV_VAULT_NOT_FOUND", {
      params: { vault: ctx.vault, reason: reasonOf(e) },
      cause: err,
    });
  }
  if (e.code !== undefined && TLS_CODES.test(e.code)) {
    return new SamkitError("SAMKIT_STORE_KV_VAULT_NOT_FOUND", {
      params: { vault: ctx.vault, reason: `TLS: ${reasonOf(e)}` },
      cause: err,
    });
  }
  if (name === "AbortError") {
    return new SamkitError("SAMKIT_STORE_ABORTED", {
      params: { operation: `${ctx.operation} ${ctx.name}` },
      cause: err,
    });
  }
  if (
    status === undefined &&
    e.code !== undefined &&
    !NETWORK_CODES.has(e.code) &&
    /challenge|resource|domain/i.test(e.message ?? "")
  ) {
    return new SamkitError("SAMKIT_STORE_KV_UNAUTHENTICATED", {
      params: { vault: ctx.vault, reason: reasonOf(e) },
      cause: err,
    });
  }
  return new SamkitError("SAMKIT_STORE_KV_UNAVAILABLE", {
    params: { ...base, reason: reasonOf(e) },
    cause: err,
    ...(status !== undefined ? { status } : {}),
  });
}

/** True for Key Vault's "secret does not exist" answer (404 `SecretNotFound`). */
export function isSecretNotFound(err: unknown): boolean {
  const e = (err ?? {}) as RestErrorLike;
  return e.statusCode === 404 && (e.code === "SecretNotFound" || e.code === undefined);
}
