import { callApi } from "../api/call.js";
import type { ApiContext, ApiRequestSpec } from "../api/types.js";
import { withHostBackoff } from "./host-backoff.js";
import type { FanoutOperation } from "./types.js";

/** What {@link apiOperation} needs: the api context without the per-tenant parts. */
export type ApiOperationContext = Omit<ApiContext, "tenant" | "abortSignal">;

/**
 * The `samkit foreach -- api ARGS` operation: runs the parsed `api` request in each tenant
 * (`samkit api ARGS --tenant <customer>` in-process) — a token for that tenant from the broker,
 * then the call through the HTTP seam, with this run's shared per-host 429 back-off in front.
 * Non-2xx answers, token and transport errors become failed outcomes with their catalogue error.
 */
export function apiOperation(spec: ApiRequestSpec, ctx: ApiOperationContext): FanoutOperation<unknown> {
  return async (target, task) => {
    const result = await callApi(spec, {
      ...ctx,
      http: withHostBackoff(ctx.http, task.backoff),
      tenant: target.tenantId,
      abortSignal: task.abortSignal,
    });
    const status = result.status === 0 ? null : result.status;
    return result.ok ? { ok: true, status, data: result.data } : { ok: false, status, error: result.error };
  };
}
