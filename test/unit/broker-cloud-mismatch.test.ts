/**
 * A profile's refresh token and app secret go only to the cloud it was consented in: a broker of
 * another cloud refuses to redeem (SAMKIT_PROFILE_CLOUD_MISMATCH) before any grant is called.
 */
import { rejection } from "../helpers/errors.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TokenBroker, type BrokerGrants } from "../../src/broker/index.js";
import { GLOBAL_CLOUD, USGOV_CLOUD } from "../../src/cloud/table.js";
import type { CloudDefinition } from "../../src/cloud/types.js";
import type { SamkitError } from "../../src/errors/index.js";
import type { HttpClient } from "../../src/http/types.js";
import type { TokenSet } from "../../src/oauth/types.js";
import { MemoryStore } from "../../src/store/memory-store.js";
import { writeProfile } from "../../src/store/profile.js";
import type { PartnerProfile } from "../../src/store/types.js";

const PARTNER = "11111111-1111-4111-8111-111111111111";
const CLIENT = "33333333-3333-4333-8333-333333333333";
const NOW = 1_800_000_000;
const EMULATOR: CloudDefinition = { ...GLOBAL_CLOUD, name: "emulator", authorityHost: "http://127.0.0.1:1" };

function profile(cloud: string): PartnerProfile {
  return {
    profile: "default",
    cloud,
    tenantId: PARTNER,
    clientId: CLIENT,
    clientSecret: "s3cret-value",
    refreshToken: "refresh-token-0000",
    metadata: { refreshTokenRotatedAt: new Date((NOW - 86_400) * 1000).toISOString() },
  };
}

async function storeOf(cloud: string): Promise<MemoryStore> {
  const store = new MemoryStore();
  await writeProfile(store, profile(cloud));
  return store;
}

/** Grants that record every call; a call is what the test must never see on a mismatch. */
function recordingGrants(): BrokerGrants & { calls: string[] } {
  const calls: string[] = [];
  const set = (scopes: readonly string[]): TokenSet => ({ accessToken: "at", tokenType: "Bearer", expiresAt: NOW + 3600, scopes });
  return {
    calls,
    redeemRefreshToken: (ctx, _rt, scopes) => (calls.push(`rt ${ctx.cloud.name}`), Promise.resolve(set(scopes))),
    clientCredentials: (ctx, scopes) => (calls.push(`cc ${ctx.cloud.name}`), Promise.resolve(set(scopes))),
  };
}

const mismatch = (p: Promise<unknown>): Promise<SamkitError> => rejection(p, "SAMKIT_PROFILE_CLOUD_MISMATCH");

beforeEach(() => {
  process.env["SAMKIT_TEST_NOW"] = String(NOW);
});
afterEach(() => {
  delete process.env["SAMKIT_TEST_NOW"];
});

describe("TokenBroker refuses a profile of another cloud", () => {
  it("emulator profile, global broker: no refresh, no client credentials, no renew (lenient and strict)", async () => {
    for (const rotation of ["lenient", "strict"] as const) {
      const grants = recordingGrants();
      const broker = new TokenBroker({ cloud: GLOBAL_CLOUD, store: await storeOf("emulator"), http: {} as HttpClient, grants, rotation });
      const e = await mismatch(broker.getToken({ resource: "graph" }));
      expect(e.exitCode).toBe(2);
      expect(e.message).toContain("emulator");
      expect(e.message).toContain("global");
      expect(e.message).toContain("default");
      expect(e.nextStep).toContain("--cloud emulator");
      await mismatch(broker.getToken({ resource: "graph", appOnly: true }));
      await mismatch(broker.renewRefreshToken());
      expect(grants.calls).toEqual([]);
    }
  });

  it("global profile, emulator broker (a stray emulator URL): nothing is sent", async () => {
    const grants = recordingGrants();
    const broker = new TokenBroker({ cloud: EMULATOR, store: await storeOf("global"), http: {} as HttpClient, grants });
    await mismatch(broker.getToken({ resource: "graph" }));
    await mismatch(broker.getToken({ resource: "graph", appOnly: true }));
    expect(grants.calls).toEqual([]);
  });

  it("redeems when the clouds agree (aliases compare by canonical name)", async () => {
    const grants = recordingGrants();
    const broker = new TokenBroker({ cloud: USGOV_CLOUD, store: await storeOf("AzureUSGovernment"), http: {} as HttpClient, grants });
    await broker.getToken({ resource: "graph" });
    await broker.getToken({ resource: "graph", appOnly: true });
    expect(grants.calls).toEqual(["rt usgov", "cc usgov"]);
  });
});
