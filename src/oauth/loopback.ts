/**
 * The loopback redirect receiver for browser consent: an HTTP server on 127.0.0.1 (never all
 * interfaces) that accepts exactly one authorization response, checks `state`, answers with a
 * small HTML page and closes. Requests whose `Host` is not `localhost:PORT` / `127.0.0.1:PORT`
 * are refused (DNS-rebinding defence).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3 (loopback redirection)
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1 (error response)
 * @see https://learn.microsoft.com/entra/identity-platform/reply-url#localhost-exceptions
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { timingSafeEqual } from "node:crypto";
import { SamkitError } from "../errors/index.js";
import { identityError, identityFields, aadstsOf } from "./errors.js";

/** Default time to wait for the browser, in milliseconds (5 min). */
export const DEFAULT_LOOPBACK_TIMEOUT_MS = 5 * 60 * 1000;

/** Options for {@link startLoopbackReceiver}. */
export interface LoopbackReceiverOptions {
  /** Port on 127.0.0.1; default 0 (a random free port). */
  readonly port?: number;
  readonly abortSignal?: AbortSignal;
}

/** What {@link LoopbackReceiver.waitForCode} resolves with. */
export interface LoopbackCallback {
  readonly code: string;
  readonly state: string;
}

/** Options for {@link LoopbackReceiver.waitForCode}. */
export interface WaitForCodeOptions {
  readonly expectedState: string;
  /** Milliseconds; default {@link DEFAULT_LOOPBACK_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
}

/** A listening receiver. Always call `close()` (idempotent). */
export interface LoopbackReceiver {
  readonly port: number;
  /** `http://localhost:PORT` — the form Entra matches against a registered `http://localhost` (any port). */
  readonly redirectUri: string;
  /**
   * Resolves with the first authorization response that carries `code` and the expected `state`.
   * Every wait still pending when `close()` is called (or called after `close()`) rejects with
   * `SAMKIT_CONSENT_RECEIVER_CLOSED`; an abort of `LoopbackReceiverOptions.abortSignal` rejects
   * with the signal's reason.
   * @throws SamkitError `SAMKIT_CONSENT_STATE_MISMATCH`, `SAMKIT_CONSENT_ACCESS_DENIED`,
   *   `SAMKIT_CONSENT_AUTHORIZE_ERROR` or a classified AADSTS error (e.g. 50011), `SAMKIT_CONSENT_TIMEOUT`,
   *   `SAMKIT_CONSENT_RECEIVER_CLOSED`
   */
  waitForCode(options: WaitForCodeOptions): Promise<LoopbackCallback>;
  close(): Promise<void>;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

function page(ok: boolean, detail: string): string {
  const title = ok ? "samkit: sign-in complete" : "samkit: sign-in failed";
  const text = ok ? "Sign-in complete. You can close this window and return to the terminal." : `Sign-in failed: ${escapeHtml(detail)} Return to the terminal for the next step.`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p id="samkit-result" data-ok="${ok ? "true" : "false"}">${text}</p></body></html>`;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "content-security-policy": "default-src 'none'",
    connection: "close",
  });
  res.end(body);
}

/** Turns an authorization error response into the right SamkitError. */
export function authorizationError(params: URLSearchParams): SamkitError {
  const error = params.get("error") ?? "unknown_error";
  const description = params.get("error_description") ?? "";
  const fields = identityFields(Object.fromEntries(params));
  const aadsts = aadstsOf(fields);
  if (error === "access_denied" && aadsts === undefined) {
    return new SamkitError("SAMKIT_CONSENT_ACCESS_DENIED", { params: { error }, identity: fields, ...(aadsts !== undefined ? { aadsts } : {}) });
  }
  if (aadsts !== undefined) return identityError(Object.fromEntries(params), undefined);
  return new SamkitError("SAMKIT_CONSENT_AUTHORIZE_ERROR", {
    params: { error, detail: description.split(/\r?\n/)[0] ?? "" },
    identity: fields,
  });
}

/**
 * Starts listening on 127.0.0.1 (port 0 ⇒ random).
 * @throws SamkitError `SAMKIT_CONSENT_PORT_IN_USE` when the port cannot be bound.
 */
export async function startLoopbackReceiver(options: LoopbackReceiverOptions = {}): Promise<LoopbackReceiver> {
  const server: Server = createServer();
  server.keepAliveTimeout = 1;
  const requested = options.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(new SamkitError("SAMKIT_CONSENT_PORT_IN_USE", { params: { port: requested, detail: err.code ?? err.message }, cause: err }));
    };
    server.once("error", onError);
    server.listen({ host: "127.0.0.1", port: requested, exclusive: true }, () => {
      server.off("error", onError);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : requested;
  const allowedHosts = new Set([`localhost:${port}`, `127.0.0.1:${port}`]);
  let closed = false;
  /** Settle the pending waits when the receiver is closed under them (one entry per wait). */
  const onClose = new Set<() => void>();
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    for (const settle of [...onClose]) settle();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };

  const waitForCode = (wait: WaitForCodeOptions): Promise<LoopbackCallback> => {
    const p = waitOnce(wait);
    // The browser may answer before the caller awaits; the rejection is still delivered to it.
    p.catch(() => undefined);
    return p;
  };

  const waitOnce = (wait: WaitForCodeOptions): Promise<LoopbackCallback> =>
    new Promise<LoopbackCallback>((resolve, reject) => {
      const timeoutMs = wait.timeoutMs ?? DEFAULT_LOOPBACK_TIMEOUT_MS;
      let settled = false;
      const finish = (err: unknown, value?: LoopbackCallback) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.abortSignal?.removeEventListener("abort", onAbort);
        onClose.delete(closedUnder);
        // Give the browser its page before the socket goes away.
        setImmediate(() => void close());
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an abort reason is passed on as given
        if (err !== undefined) reject(err);
        else if (value !== undefined) resolve(value);
      };
      const timer = setTimeout(() => {
        finish(new SamkitError("SAMKIT_CONSENT_TIMEOUT", { params: { seconds: Math.round(timeoutMs / 1000) } }));
      }, timeoutMs);
      const onAbort = () => finish(options.abortSignal?.reason ?? new Error("aborted"));
      options.abortSignal?.addEventListener("abort", onAbort, { once: true });
      const closedUnder = (): void => finish(new SamkitError("SAMKIT_CONSENT_RECEIVER_CLOSED"));
      onClose.add(closedUnder);
      if (closed) closedUnder();

      server.on("request", (req: IncomingMessage, res: ServerResponse) => {
        const host = (req.headers.host ?? "").toLowerCase();
        if (!allowedHosts.has(host)) {
          send(res, 400, page(false, "this address is not the loopback address samkit listens on."));
          return;
        }
        const url = new URL(req.url ?? "/", `http://${host}`);
        if (req.method !== "GET" || url.pathname !== "/") {
          send(res, 404, page(false, "not found."));
          return;
        }
        const params = url.searchParams;
        if (!params.has("code") && !params.has("error") && !params.has("state")) {
          send(res, 400, page(false, "this is not an authorization response."));
          return;
        }
        if (settled) {
          send(res, 409, page(false, "samkit already received a sign-in response."));
          return;
        }
        const state = params.get("state") ?? "";
        if (!safeEqual(state, wait.expectedState)) {
          send(res, 400, page(false, "the response does not belong to this sign-in (state mismatch)."));
          finish(new SamkitError("SAMKIT_CONSENT_STATE_MISMATCH"));
          return;
        }
        if (params.has("error")) {
          const err = authorizationError(params);
          send(res, 200, page(false, `${err.message}`));
          finish(err);
          return;
        }
        const code = params.get("code");
        if (code === null || code === "") {
          send(res, 400, page(false, "the response carries no authorization code."));
          finish(new SamkitError("SAMKIT_CONSENT_AUTHORIZE_ERROR", { params: { error: "invalid_response", detail: "no code in the redirect" } }));
          return;
        }
        send(res, 200, page(true, ""));
        finish(undefined, { code, state });
      });
    });

  return { port, redirectUri: `http://localhost:${port}`, waitForCode, close };
}
