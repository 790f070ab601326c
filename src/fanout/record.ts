import { SamkitError, isSamkitError } from "../errors/index.js";
import type { FanoutOutcome, FanoutRecord, FanoutRecordError, FanoutTarget } from "./types.js";

/** The JSON error part of a record: catalogue code, action, message and next step. */
export function recordError(error: SamkitError): FanoutRecordError {
  return { code: error.code, action: error.action, message: error.message, nextStep: error.nextStep };
}

/**
 * `SAMKIT_HTTP_ABORTED` caused by the run's own abort (a second Ctrl-C) becomes
 * `SAMKIT_FANOUT_CANCELLED` (docs/foreach.md); any other error, or an abort while the run's
 * signal is not aborted, passes through unchanged.
 *
 * @param aborted - whether the run's in-flight signal was aborted when the tenant ended.
 */
export function cancelledIfAborted(error: SamkitError, aborted: boolean): SamkitError {
  if (aborted && error.code === "SAMKIT_HTTP_ABORTED")
    return new SamkitError("SAMKIT_FANOUT_CANCELLED", { cause: error });
  return error;
}

/**
 * Turns whatever an operation threw into a SamkitError: SamkitErrors pass through (except an
 * abort-caused `SAMKIT_HTTP_ABORTED`, see {@link cancelledIfAborted}); an abort becomes
 * `SAMKIT_FANOUT_CANCELLED`; anything else `SAMKIT_FANOUT_OPERATION_FAILED`.
 */
export function toSamkitError(thrown: unknown, target: FanoutTarget, aborted: boolean): SamkitError {
  if (isSamkitError(thrown)) return cancelledIfAborted(thrown, aborted);
  if (aborted || (thrown instanceof Error && thrown.name === "AbortError")) {
    return new SamkitError("SAMKIT_FANOUT_CANCELLED", { cause: thrown });
  }
  const detail = thrown instanceof Error ? thrown.message : String(thrown);
  return new SamkitError("SAMKIT_FANOUT_OPERATION_FAILED", {
    params: { tenant: target.tenantId, detail },
    cause: thrown,
  });
}

/** Builds the CONTRACTS §7 record for one tenant. */
export function toRecord<T>(target: FanoutTarget, outcome: FanoutOutcome<T>): FanoutRecord<T> {
  const customer = target.customer ?? null;
  if (outcome.ok)
    return { tenantId: target.tenantId, customer, ok: true, status: outcome.status, data: outcome.data };
  return {
    tenantId: target.tenantId,
    customer,
    ok: false,
    status: outcome.status,
    error: recordError(outcome.error),
  };
}
