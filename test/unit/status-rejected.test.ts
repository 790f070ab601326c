/**
 * `samkit status` when the identity platform refuses a refresh token that the 90-day window still
 * calls fresh (sessions revoked, password reset): the refresh-token row says so instead of
 * "90 of 90 days left", and the exit code is 4 (re-consent).
 */
import { describe, expect, it } from "vitest";
import { formatStatus } from "../../src/cli/commands/status/format.js";
import { GLOBAL_CLOUD } from "../../src/cloud/table.js";
import { SamkitError } from "../../src/errors/index.js";
import type { HttpClient } from "../../src/http/types.js";
import { collectStatus, statusExitCode } from "../../src/status/report.js";
import type { PartnerProfile } from "../../src/store/types.js";

const profile: PartnerProfile = {
  profile: "default",
  cloud: "global",
  tenantId: "11111111-1111-1111-1111-111111111111",
  clientId: "22222222-2222-2222-2222-222222222222",
  clientSecret: "s3cret",
  refreshToken: "0.rt",
  metadata: { refreshTokenRotatedAt: new Date().toISOString(), mfaAtConsent: true },
};

function deps(renewError?: SamkitError): Parameters<typeof collectStatus>[0] {
  return {
    profileName: "default",
    storeDescription: "test store",
    profile,
    cloud: GLOBAL_CLOUD,
    http: {} as HttpClient,
    getToken: () => Promise.reject(new Error("not used")),
    renewRefreshToken: () => (renewError ? Promise.reject(renewError) : Promise.resolve({ persisted: false })),
  };
}

describe("status with a refused refresh token", () => {
  it("reports the token as rejected, not by its window, and exits 4", async () => {
    const report = await collectStatus(deps(new SamkitError("SAMKIT_REFRESH_TOKEN_REVOKED")), { renew: true, graph: false });
    expect(report.refreshToken).toMatchObject({ state: "rejected", daysLeft: 90 });
    expect(statusExitCode(report.problems)).toBe(4);
    const text = formatStatus(report);
    expect(text).toContain("REJECTED by the identity platform (SAMKIT_REFRESH_TOKEN_REVOKED)");
    expect(text).not.toMatch(/90 of 90 days left/);
  });

  it("keeps the window's state when the token is accepted", async () => {
    const report = await collectStatus(deps(), { renew: true, graph: false });
    expect(report.refreshToken.state).toBe("ok");
    expect(formatStatus(report)).toContain("90 of 90 days left");
  });
});
