/**
 * Faults on demand (DESIGN.md "scenarios.ts"): latency and jitter, HTTP error statuses (429 with
 * Retry-After, 5xx), connection resets, and AADSTS errors for a tenant/user/client. Rules come
 * from `--config scenario.json`, `EmulatorServer` options, or `POST /_emulator/scenarios`.
 * A shared hono middleware applies them on every listener.
 */
import type { MiddlewareHandler } from "hono";
import { z } from "zod/v3";
import type { EmulatorContext, ServiceName } from "./context.js";

const serviceNames = ["identity", "partner-center", "graph", "arm", "keyvault"] as const;

/** Schema of one scenario rule (JSON in config files and the control API). */
export const scenarioRuleSchema = z
  .object({
    /** Optional name; assigned when absent. */
    id: z.string().optional(),
    /** Listener(s) the rule applies to; all when absent. */
    service: z.union([z.enum(serviceNames), z.array(z.enum(serviceNames))]).optional(),
    /** HTTP method (case-insensitive). */
    method: z.string().optional(),
    /** Regular expression matched against the request path. */
    path: z.string().optional(),
    /** Tenant id/domain: matched against the path, and the authority tenant for `aadsts`. */
    tenant: z.string().optional(),
    /** Identity only (`aadsts`): the signed-in user's UPN behind the grant. */
    user: z.string().optional(),
    /** Identity only (`aadsts`): the client id of the token request. */
    clientId: z.string().optional(),
    /** Number of matching requests the rule fires for; unlimited when absent. */
    times: z.number().int().positive().optional(),
    /** Delay before answering, milliseconds. */
    latencyMs: z.number().int().nonnegative().optional(),
    /** Extra random delay 0..jitterMs, milliseconds. */
    jitterMs: z.number().int().nonnegative().optional(),
    /** Answer with this HTTP status instead of the real handler. */
    status: z.number().int().min(200).max(599).optional(),
    /** `Retry-After` seconds sent with `status`. */
    retryAfter: z.number().int().nonnegative().optional(),
    /** JSON body sent with `status` (default: the service's own error shape). */
    body: z.unknown().optional(),
    /** Destroy the TCP connection without answering. */
    reset: z.boolean().optional(),
    /** Identity token/devicecode endpoints: answer with this AADSTS error (e.g. 50076). */
    aadsts: z.number().int().positive().optional(),
  })
  .strict();

/** A scenario rule. */
export type ScenarioRule = z.infer<typeof scenarioRuleSchema> & { id: string };

/** Rule store with per-rule remaining counts. */
export class ScenarioStore {
  private rules: { rule: ScenarioRule; remaining: number }[] = [];
  private next = 0;
  /** Latency added to every request on every listener, milliseconds. */
  latencyMs: number;

  constructor(latencyMs = 0, initial: readonly unknown[] = []) {
    this.latencyMs = latencyMs;
    for (const r of initial) this.add(r);
  }

  /** Validate and add a rule; returns it with its id. Throws a ZodError on bad input. */
  add(input: unknown): ScenarioRule {
    const parsed = scenarioRuleSchema.parse(input);
    const rule: ScenarioRule = { ...parsed, id: parsed.id ?? `rule-${++this.next}` };
    this.rules.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
    return rule;
  }

  /** Remove one rule by id (true if found). */
  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.rule.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  list(): ScenarioRule[] {
    return this.rules.map((r) => r.rule);
  }

  /**
   * The first HTTP-level rule (latency/status/reset, no `aadsts`, no `user`/`clientId`)
   * matching a request; consumes one `times`.
   */
  matchHttp(service: ServiceName, method: string, path: string): ScenarioRule | undefined {
    for (const entry of this.rules) {
      const r = entry.rule;
      if (r.aadsts !== undefined || r.user !== undefined || r.clientId !== undefined) continue;
      if (!serviceMatches(r, service) || !methodMatches(r, method)) continue;
      if (r.path !== undefined && !new RegExp(r.path).test(path)) continue;
      if (r.tenant !== undefined && !path.toLowerCase().includes(r.tenant.toLowerCase())) continue;
      return this.consume(entry);
    }
    return undefined;
  }

  /**
   * The first `aadsts` rule matching an identity grant (authority tenant id or domain, user UPN,
   * client id); consumes one `times`.
   */
  matchAadsts(q: { path: string; tenantIds: readonly string[]; user?: string; clientId?: string }): ScenarioRule | undefined {
    for (const entry of this.rules) {
      const r = entry.rule;
      if (r.aadsts === undefined || !serviceMatches(r, "identity")) continue;
      if (r.path !== undefined && !new RegExp(r.path).test(q.path)) continue;
      if (r.tenant !== undefined && !q.tenantIds.some((t) => t.toLowerCase() === r.tenant!.toLowerCase())) continue;
      if (r.user !== undefined && r.user.toLowerCase() !== q.user?.toLowerCase()) continue;
      if (r.clientId !== undefined && r.clientId.toLowerCase() !== q.clientId?.toLowerCase()) continue;
      return this.consume(entry);
    }
    return undefined;
  }

  private consume(entry: { rule: ScenarioRule; remaining: number }): ScenarioRule {
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.rules = this.rules.filter((r) => r !== entry);
    return entry.rule;
  }
}

function serviceMatches(r: ScenarioRule, service: ServiceName): boolean {
  if (r.service === undefined) return true;
  return Array.isArray(r.service) ? r.service.includes(service) : r.service === service;
}
function methodMatches(r: ScenarioRule, method: string): boolean {
  return r.method === undefined || r.method.toUpperCase() === method.toUpperCase();
}

const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

/** Default error body for a scenario status, in each service's own shape (facts/errors.md). */
function defaultBody(service: ServiceName, status: number, retryAfter: number | undefined): unknown {
  if (status === 429 && service === "partner-center") {
    return { statusCode: 429, message: `Rate limit is exceeded. Try again in ${retryAfter ?? 1} seconds.` };
  }
  if (service === "identity") {
    const error = status === 429 || status === 503 ? "temporarily_unavailable" : "server_error";
    return { error, error_description: `AADSTS90033: A transient error has occurred. Please try again.`, error_codes: [90033] };
  }
  if (service === "partner-center") return { code: String(status === 503 ? 3000 : 500), description: "Service unavailable (emulated fault).", source: "PartnerCenter" };
  const code = status === 429 ? "TooManyRequests" : status === 503 ? "ServiceUnavailable" : "InternalServerError";
  return { error: { code, message: "Emulated fault.", innerError: { date: new Date().toISOString(), "request-id": crypto.randomUUID() } } };
}

/**
 * Hono middleware applying global latency and HTTP-level scenario rules for one listener.
 * Mounted by `EmulatorServer` in front of every service app (services need not add it).
 */
export function scenarioMiddleware(ctx: EmulatorContext, service: ServiceName): MiddlewareHandler {
  return async (c, next) => {
    const path = new URL(c.req.url).pathname;
    if (path.startsWith("/_emulator/")) return next();
    const rule = ctx.scenarios.matchHttp(service, c.req.method, path);
    const delay = ctx.scenarios.latencyMs + (rule?.latencyMs ?? 0) + (rule?.jitterMs ? Math.floor(Math.random() * (rule.jitterMs + 1)) : 0);
    if (delay > 0) await sleep(delay);
    if (rule?.reset) {
      const env = c.env as { incoming?: { socket?: { destroy(): void } } } | undefined;
      env?.incoming?.socket?.destroy();
      return c.body(null, 500);
    }
    if (rule?.status !== undefined) {
      if (rule.retryAfter !== undefined) c.header("Retry-After", String(rule.retryAfter));
      return c.json(rule.body ?? defaultBody(service, rule.status, rule.retryAfter), rule.status as 500);
    }
    return next();
  };
}
