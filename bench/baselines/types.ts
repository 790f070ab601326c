/**
 * What every fan-out variant of bench/fanout-compare.ts receives and reports. A variant runs in
 * its own child process (bench/baselines/worker.ts), so its peak RSS is its own.
 */

/** Input of one fan-out run: one refresh token, then per tenant a Graph token and one Graph call. */
export interface FanoutBenchInput {
  /** The emulator's identity origin (also its control API). */
  readonly identityUrl: string;
  /** The emulator's Microsoft Graph origin. */
  readonly graphUrl: string;
  readonly partnerTenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The partner's consented refresh token (Partner Center scope, MFA). */
  readonly refreshToken: string;
  /** Customer tenant ids to run in. */
  readonly tenants: readonly string[];
  /** Operations in flight at once. */
  readonly concurrency: number;
  /** Stop starting tenants after this long (ms); the run then reports `capped: true`. */
  readonly capMs: number;
  /** samkit library variant only: its `$SAMKIT_HOME` and store key (profile already written). */
  readonly home?: string;
  readonly storeKey?: string;
}

/** What a variant reports (one JSON line on stdout). */
export interface FanoutBenchResult {
  /** Wall time of the fan-out itself (after set-up), ms. */
  readonly wallMs: number;
  /** Tenants finished (ok + failed) before the cap. */
  readonly done: number;
  readonly ok: number;
  readonly failed: number;
  /** True when the time cap stopped the run before every tenant finished. */
  readonly capped: boolean;
  /** Peak RSS of the worker process, KiB (`process.resourceUsage().maxRSS`). */
  readonly peakRssKb: number;
  /** First few failure messages, for the report. */
  readonly sampleErrors: readonly string[];
  /** CPU time (user + system) of the worker while the variant ran (its module import and set-up included), ms. */
  readonly cpuMs?: number;
}

/** Bounded-concurrency loop with a time cap: the same scheduler for both baselines. */
export async function runBounded(
  tenants: readonly string[],
  concurrency: number,
  capMs: number,
  op: (tenant: string) => Promise<void>,
): Promise<{ wallMs: number; done: number; ok: number; failed: number; capped: boolean; sampleErrors: string[] }> {
  const started = performance.now();
  let next = 0;
  let ok = 0;
  let failed = 0;
  let capped = false;
  const sampleErrors: string[] = [];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, tenants.length) }, async () => {
      for (;;) {
        if (performance.now() - started > capMs) {
          capped = next < tenants.length;
          return;
        }
        const i = next++;
        if (i >= tenants.length) return;
        try {
          await op(tenants[i]!);
          ok++;
        } catch (e) {
          failed++;
          if (sampleErrors.length < 3) sampleErrors.push(e instanceof Error ? e.message.slice(0, 160) : String(e));
        }
      }
    }),
  );
  return { wallMs: performance.now() - started, done: ok + failed, ok, failed, capped, sampleErrors };
}
