import { ExitCode } from "../errors/types.js";
import type { FanoutSummary } from "./types.js";

/**
 * The exit code of a fan-out (CONTRACTS §5): 0 when every tenant succeeded; 3 when some failed
 * (or the run was interrupted, or its customer listing failed, after some succeeded); 1 when none
 * succeeded; the stopping error's own code (4 for re-consent) when a partner-wide error stopped
 * the run early. A run over zero tenants exits 0 (nothing failed); callers warn about it.
 */
export function fanoutExitCode(
  summary: Pick<FanoutSummary<unknown>, "succeeded" | "failed" | "interrupted" | "stoppedBy" | "attempted"> & {
    readonly targetsFailed?: boolean;
  },
): ExitCode {
  const listingFailed = summary.targetsFailed === true;
  // A failed listing counts as a cut-short run, unless its error has its own meaning (re-consent).
  if (summary.stoppedBy && !(listingFailed && summary.stoppedBy.exitCode === ExitCode.Error))
    return summary.stoppedBy.exitCode;
  const cut = summary.interrupted || listingFailed;
  if (summary.failed === 0 && !cut) return ExitCode.Ok;
  if (summary.succeeded === 0) return summary.attempted === 0 && !cut ? ExitCode.Ok : ExitCode.Error;
  return ExitCode.Partial;
}
