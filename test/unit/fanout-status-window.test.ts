/**
 * Unit tests of the pure parts of `samkit status` and `samkit foreach` output: the 90-day window
 * arithmetic, the exit rule, and the table/summary text. (Integration: test/integration/status.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { describeData, summaryText, tableRow } from "../../src/cli/commands/foreach/output.js";
import { SamkitError } from "../../src/errors/index.js";
import type { FanoutSummary } from "../../src/fanout/types.js";
import { daysUntil, refreshTokenStatus, statusExitCode } from "../../src/status/index.js";
import type { StatusProblem } from "../../src/status/types.js";

const DAY = 86_400_000;
const T0 = Date.parse("2026-01-01T00:00:00Z");

describe("refreshTokenStatus (90-day inactivity window from the stored rotation time)", () => {
  it("counts whole days, warns under warnDays, expires at 90 days", () => {
    const at = (days: number) =>
      refreshTokenStatus(true, new Date(T0).toISOString(), undefined, T0 + days * DAY, 14);
    expect(at(0)).toMatchObject({
      ageDays: 0,
      daysLeft: 90,
      state: "ok",
      inactivityExpiresAt: "2026-04-01T00:00:00.000Z",
    });
    expect(at(0.5)).toMatchObject({ ageDays: 0, daysLeft: 90, state: "ok" });
    expect(at(76)).toMatchObject({ ageDays: 76, daysLeft: 14, state: "ok" });
    expect(at(77)).toMatchObject({ ageDays: 77, daysLeft: 13, state: "expiring" });
    expect(at(89.9)).toMatchObject({ ageDays: 89, daysLeft: 1, state: "expiring" });
    expect(at(90)).toMatchObject({ ageDays: 90, daysLeft: 0, state: "expired" });
    expect(at(200)).toMatchObject({ ageDays: 200, daysLeft: 0, state: "expired" });
  });

  it("reports a missing token, and a token without a readable rotation time as ok-but-unknown", () => {
    expect(refreshTokenStatus(false, undefined, undefined, T0).state).toBe("missing");
    expect(refreshTokenStatus(true, "not a date", undefined, T0)).toMatchObject({
      state: "ok",
      rotatedAt: null,
      daysLeft: null,
    });
  });

  it("daysUntil is negative once past", () => {
    expect(daysUntil("2026-01-11T00:00:00Z", T0)).toBe(10);
    expect(daysUntil("2025-12-31T00:00:00Z", T0)).toBe(-1);
    expect(daysUntil(null, T0)).toBeNull();
  });
});

describe("statusExitCode (CONTRACTS §5)", () => {
  const p = (
    code: string,
    action: StatusProblem["action"],
    severity: StatusProblem["severity"],
  ): StatusProblem => ({ code, action, message: "", nextStep: "", severity });
  it("4 for re-consent, 1 for other errors, 3 for unhealthy tenants only, 0 for warnings only", () => {
    expect(statusExitCode([])).toBe(0);
    expect(statusExitCode([p("SAMKIT_STATUS_SECRET_EXPIRING", "fix-app-credentials", "warning")])).toBe(0);
    expect(statusExitCode([p("SAMKIT_STATUS_TENANTS_UNHEALTHY", "grant-customer-consent", "error")])).toBe(3);
    expect(
      statusExitCode([
        p("SAMKIT_STATUS_SECRET_EXPIRED", "fix-app-credentials", "error"),
        p("SAMKIT_STATUS_TENANTS_UNHEALTHY", "grant-customer-consent", "error"),
      ]),
    ).toBe(1);
    expect(
      statusExitCode([
        p("SAMKIT_STATUS_SECRET_EXPIRED", "fix-app-credentials", "error"),
        p("SAMKIT_REFRESH_TOKEN_INACTIVE", "reconsent", "error"),
      ]),
    ).toBe(4);
    expect(statusExitCode([p("SAMKIT_STATUS_NO_MFA", "reconsent", "warning")])).toBe(0);
  });
});

describe("foreach table and summary", () => {
  const customer = { id: "c1", companyName: "Contoso Travel 0001", domain: "contoso.example" };
  it("rows show result, status, tenant, customer and item count or error code", () => {
    expect(tableRow({ tenantId: "t1", customer, ok: true, status: 200, data: { value: [1, 2, 3] } })).toMatch(
      /^ok\s+200\s+t1\s+Contoso Travel 0001\s+3 items\n$/,
    );
    expect(
      tableRow({
        tenantId: "t2",
        customer: null,
        ok: false,
        status: null,
        error: { code: "SAMKIT_X", action: "none", message: "m", nextStep: "n" },
      }),
    ).toMatch(/^FAILED\s+-\s+t2\s+-\s+SAMKIT_X\n$/);
    expect(describeData([1])).toBe("1 item");
    expect(describeData({ items: [] })).toBe("0 items");
    expect(describeData("text")).toBe("ok");
  });

  it("the summary groups failures by code, with tenants and the next step once", () => {
    const err = {
      code: "SAMKIT_CONSENT_MISSING",
      action: "grant-customer-consent" as const,
      message: "not consented",
      nextStep: "run samkit customers consent",
    };
    const summary: FanoutSummary<unknown> = {
      attempted: 10,
      succeeded: 7,
      failed: 3,
      skipped: 2,
      notStarted: 0,
      interrupted: false,
      stoppedBy: undefined,
      failuresByCode: { SAMKIT_CONSENT_MISSING: 3 },
      failures: ["a", "b", "c"].map((t) => ({ tenantId: t, customer: null, status: 400, error: err })),
      durationMs: 1234,
      results: undefined,
    };
    const text = summaryText(summary);
    expect(text).toContain("10 tenants finished in 1.2 s: 7 ok, 3 failed, 2 skipped by the tenant lists.");
    expect(text).toContain(
      "3 × SAMKIT_CONSENT_MISSING: not consented\n  tenants: a, b, c\n  next step: run samkit customers consent\n",
    );
    const stopped = summaryText({
      ...summary,
      interrupted: true,
      notStarted: 5,
      stoppedBy: new SamkitError("SAMKIT_STATUS_REFRESH_TOKEN_STALE", { params: { days: 91 } }),
    });
    expect(stopped).toContain("5 not started");
    expect(stopped).toContain("Interrupted:");
    expect(stopped).toMatch(/Stopped early: SAMKIT_STATUS_REFRESH_TOKEN_STALE: .*91 days/);
  });
});
