import { setMaxListeners } from "node:events";
import pLimit from "p-limit";
import { isSamkitError, SamkitError } from "../errors/index.js";
import { HostBackoff } from "./host-backoff.js";
import { cancelledIfAborted, recordError, toRecord, toSamkitError } from "./record.js";
import type {
  FanoutFailure,
  FanoutOperation,
  FanoutOptions,
  FanoutOutcome,
  FanoutRecord,
  FanoutSummary,
  FanoutTarget,
} from "./types.js";

const DEFAULT_CONCURRENCY = 8;

/**
 * Runs `operation` once per tenant with bounded concurrency (p-limit) and streams one record per
 * tenant to `options.onResult` (CONTRACTS §7).
 *
 * - The tenant filter is checked before the operation starts, so a refused tenant never gets a
 *   token request.
 * - Targets are pulled lazily (arrays, iterables or async iterables such as the Partner Center
 *   customer pager), at most `concurrency` ahead of the workers, and records are not kept unless
 *   `keepResults` — memory stays flat at 10,000 tenants.
 * - `abortSignal` stops scheduling; in-flight operations finish (or are aborted with
 *   `inFlight: "abort"` / `abortInFlightSignal`), and the summary says what finished.
 * - A partner-wide error (default: action `reconsent`) stops the run (`stoppedBy`).
 * - A target source that fails (the Partner Center customer listing, mid-way or on its first page)
 *   ends the listing like an interruption: the tenants already listed run, none after them, and
 *   the summary reports the error as `stoppedBy` with `targetsFailed: true`. When `abortSignal`
 *   had fired, the source's failure is the interruption itself (its request was aborted) and is
 *   not reported.
 * - A tenant that ends with `SAMKIT_HTTP_ABORTED` (thrown or returned) after the in-flight signal
 *   was aborted is recorded as `SAMKIT_FANOUT_CANCELLED`.
 *
 * Never throws for a tenant's or the target source's failure; rethrows only when a callback throws.
 */
export async function runFanout<T>(
  targets: Iterable<FanoutTarget> | AsyncIterable<FanoutTarget>,
  operation: FanoutOperation<T>,
  options: FanoutOptions<T> = {},
): Promise<FanoutSummary<T>> {
  const started = performance.now();
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
  const limit = pLimit(concurrency);
  const backoff = options.backoff ?? new HostBackoff();
  const stopOn = options.stopOn ?? ((e: SamkitError) => e.action === "reconsent");
  const maxFailuresKept = options.maxFailuresKept ?? 1000;
  const total = Array.isArray(targets) ? (targets as readonly FanoutTarget[]).length : undefined;

  // Aborted for in-flight operations: by the caller's abortInFlightSignal, or with inFlight "abort".
  const inFlightController = new AbortController();
  // Every running operation (and each request it makes) listens on this one signal.
  setMaxListeners(Math.max(10, concurrency * 16), inFlightController.signal);
  const abortInFlight = (): void => inFlightController.abort(new Error("fan-out interrupted"));
  const onStop = (): void => {
    if (options.inFlight === "abort") abortInFlight();
  };
  options.abortSignal?.addEventListener("abort", onStop, { once: true });
  options.abortInFlightSignal?.addEventListener("abort", abortInFlight, { once: true });
  if (options.abortInFlightSignal?.aborted) abortInFlight();
  if (options.abortSignal?.aborted) onStop();

  let succeeded = 0;
  let failed = 0;
  let skipped = 0;
  let stoppedBy: SamkitError | undefined;
  // The target source's failure: tenants already listed still run; nothing more is listed.
  let sourceError: SamkitError | undefined;
  const failuresByCode: Record<string, number> = {};
  const failures: FanoutFailure[] = [];
  const results: FanoutRecord<T>[] | undefined = options.keepResults ? [] : undefined;
  let callbackError: { error: unknown } | undefined;

  const stopped = (): boolean =>
    options.abortSignal?.aborted === true || stoppedBy !== undefined || callbackError !== undefined;
  const progress = (): void =>
    options.onProgress?.({
      done: succeeded + failed,
      succeeded,
      failed,
      skipped,
      active: limit.activeCount,
      total,
    });

  async function runOne(target: FanoutTarget): Promise<void> {
    if (stopped()) return; // queued but never started
    let outcome: FanoutOutcome<T>;
    const signal = inFlightController.signal;
    try {
      signal.throwIfAborted();
      outcome = await operation(target, { abortSignal: signal, backoff });
      if (!outcome.ok && !isSamkitError(outcome.error)) {
        // A JavaScript caller returned a failure without a catalogue error: keep the record well-formed.
        const error = toSamkitError(
          outcome.error ?? new Error("failed without an error"),
          target,
          signal.aborted,
        );
        outcome = { ok: false, status: outcome.status ?? null, error };
      } else if (!outcome.ok) {
        // A returned (not thrown) abort after the run cancelled its tenants is a cancellation too.
        const error = cancelledIfAborted(outcome.error, signal.aborted);
        if (error !== outcome.error) outcome = { ...outcome, error };
      }
    } catch (thrown) {
      const error = toSamkitError(thrown, target, signal.aborted);
      outcome = { ok: false, status: error.status ?? null, error };
    }
    const record = toRecord(target, outcome);
    if (outcome.ok) {
      succeeded++;
    } else {
      failed++;
      const code = outcome.error.code;
      failuresByCode[code] = (failuresByCode[code] ?? 0) + 1;
      if (failures.length < maxFailuresKept) {
        failures.push({
          tenantId: target.tenantId,
          customer: target.customer ?? null,
          status: outcome.status,
          error: recordError(outcome.error),
        });
      }
      if (stoppedBy === undefined && stopOn(outcome.error)) stoppedBy = outcome.error;
    }
    results?.push(record);
    try {
      await options.onResult?.(record);
      progress();
    } catch (error) {
      callbackError ??= { error };
    }
  }

  // The target source (a customer pager) may fail mid-way: stop scheduling instead of throwing.
  async function* guarded(): AsyncGenerator<FanoutTarget, void, undefined> {
    try {
      for await (const target of targets) yield target;
    } catch (thrown) {
      if (options.abortSignal?.aborted === true) return; // the listing's request was interrupted
      sourceError = isSamkitError(thrown)
        ? thrown
        : new SamkitError("SAMKIT_INTERNAL", {
            params: { detail: thrown instanceof Error ? thrown.message : String(thrown) },
            cause: thrown,
          });
    }
  }

  const inFlight = new Set<Promise<void>>();
  try {
    for await (const target of guarded()) {
      if (stopped()) break;
      const reason = options.filter?.check(target);
      if (reason !== undefined) {
        skipped++;
        options.onSkip?.(target, reason);
        progress();
        continue;
      }
      // Back-pressure: never hold more than `concurrency` queued tenants beyond the running ones.
      while (inFlight.size >= concurrency * 2) await Promise.race(inFlight);
      if (stopped()) break;
      const p: Promise<void> = limit(runOne, target).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  } finally {
    await Promise.all(inFlight);
    options.abortSignal?.removeEventListener("abort", onStop);
    options.abortInFlightSignal?.removeEventListener("abort", abortInFlight);
  }
  if (callbackError) throw callbackError.error;

  const attempted = succeeded + failed;
  const interrupted = options.abortSignal?.aborted === true;
  // Known exactly for an array source; for a stream, only when it ran to the end.
  const notStarted =
    total !== undefined
      ? total - attempted - skipped
      : !interrupted && stoppedBy === undefined && sourceError === undefined
        ? 0
        : undefined;

  return {
    attempted,
    succeeded,
    failed,
    skipped,
    notStarted,
    interrupted,
    stoppedBy: stoppedBy ?? sourceError,
    targetsFailed: stoppedBy === undefined && sourceError !== undefined,
    failuresByCode,
    failures,
    durationMs: performance.now() - started,
    results,
  };
}
