import { callApi } from "../api/call.js";
import type { ApiRequestSpec } from "../api/types.js";
import { isSamkitError, SamkitError } from "../errors/index.js";
import { customerTargets } from "../fanout/targets.js";
import { recordError } from "../fanout/record.js";
import { runFanout } from "../fanout/runner.js";
import type { FanoutSummary } from "../fanout/types.js";
import type { StatusDependencies, TenantHealth } from "./types.js";

const ORGANIZATION: ApiRequestSpec = {
  method: "GET",
  path: "/v1.0/organization",
  resource: "graph",
  appOnly: false,
  headers: {},
  query: [["$select", "id,displayName"]],
  paginate: false,
  jsonl: false,
};

/**
 * Per-customer health for `samkit status --tenants`: for every Partner Center customer, is a
 * Graph token obtainable in its tenant (GDAP + consent, CONTRACTS §9) and does Graph answer
 * (`GET /v1.0/organization`)? Runs on the fan-out runner; the report keeps one small row per
 * tenant (no response data).
 */
export async function tenantHealth(
  deps: Required<Pick<StatusDependencies, "listCustomers">> &
    Pick<StatusDependencies, "http" | "cloud" | "getToken">,
  options: { readonly concurrency?: number; readonly abortSignal?: AbortSignal } = {},
): Promise<{ list: TenantHealth[]; summary: FanoutSummary<null> }> {
  const list: TenantHealth[] = [];
  const summary = await runFanout<null>(
    customerTargets(deps.listCustomers(options.abortSignal ? { abortSignal: options.abortSignal } : {})),
    async (target, task) => {
      const base = {
        tenantId: target.tenantId,
        companyName: target.customer?.companyName ?? null,
        domain: target.customer?.domain ?? null,
      };
      try {
        await deps.getToken({ resource: "graph", tenant: target.tenantId, abortSignal: task.abortSignal });
      } catch (e) {
        if (!isSamkitError(e)) throw e;
        list.push({ ...base, token: false, graph: false, error: recordError(e) });
        return { ok: false, status: e.status ?? null, error: e };
      }
      const r = await callApi(ORGANIZATION, {
        http: deps.http,
        cloud: deps.cloud,
        getToken: deps.getToken,
        tenant: target.tenantId,
        abortSignal: task.abortSignal,
      });
      if (!r.ok) {
        list.push({ ...base, token: true, graph: false, error: recordError(r.error) });
        return { ok: false, status: r.status || null, error: r.error };
      }
      list.push({ ...base, token: true, graph: true, error: null });
      return { ok: true, status: r.status, data: null };
    },
    {
      concurrency: options.concurrency ?? 8,
      ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
      // a partner-wide failure (expired refresh token) is reported once, not per tenant
      stopOn: (e: SamkitError) => e.action === "reconsent",
    },
  );
  list.sort((a, b) => (a.companyName ?? a.tenantId).localeCompare(b.companyName ?? b.tenantId));
  return { list, summary };
}
