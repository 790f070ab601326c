import { ExitCode } from "../errors/types.js";
import type { FanoutSummary } from "./types.js";

/**
 * The exit code of a fan-out (CONTRACTS §5): 0 when every tenant succeeded; 3 when some failed
 * (or the run was interrupted after some succeeded); 1 when none succeeded; the stopping
 * error's own code (4 for re-consent) when the run stopped early on a partner-wide error.
 * A run over zero tenants exits 0 (nothing failed); callers warn about it.
 */
export function fanoutExitCode(
  summary: Pick<FanoutSummary<unknown>, "succeeded" | "failed" | "interrupted" | "stoppedBy" | "attempted">,
): ExitCode {
  if (summary.stoppedBy) return summary.stoppedBy.exitCode;
  if (summary.failed === 0 && !summary.interrupted) return ExitCode.Ok;
  if (summary.succeeded === 0)
    return summary.attempted === 0 && !summary.interrupted ? ExitCode.Ok : ExitCode.Error;
  return ExitCode.Partial;
}
