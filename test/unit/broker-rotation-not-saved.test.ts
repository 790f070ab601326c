/**
 * SAMKIT_BROKER_ROTATION_NOT_SAVED names the policy actually in force (not always "strict") and
 * carries the store's own error; its next step points at the store's location and permissions.
 */
import { rejection } from "../helpers/errors.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { TokenBroker, type BrokerGrants } from "../../src/broker/index.js";
import { storeProfileSource } from "../../src/broker/profile-source.js";
import type { BrokerProfileSource } from "../../src/broker/types.js";
import { GLOBAL_CLOUD } from "../../src/cloud/table.js";
import type { SamkitError } from "../../src/errors/index.js";
import type { HttpClient } from "../../src/http/types.js";
import type { TokenSet } from "../../src/oauth/types.js";
import { storeWithProfile } from "../helpers/broker.js";

const PARTNER = "11111111-1111-4111-8111-111111111111";
const CLIENT = "33333333-3333-4333-8333-333333333333";
const NOW = 1_800_000_000;

/** Every redemption rotates the refresh token. */
function rotatingGrants(): BrokerGrants {
  let n = 0;
  return {
    redeemRefreshToken: (_ctx, _rt, scopes): Promise<TokenSet> =>
      Promise.resolve({ accessToken: `at-${++n}`, tokenType: "Bearer", expiresAt: NOW + 3600, scopes, refreshToken: `rt-${n}` }),
    clientCredentials: () => Promise.reject(new Error("not used")),
  };
}

/** The store's profile source, except that saving fails as an unwritable SAMKIT_HOME does. */
async function unwritableSource(): Promise<BrokerProfileSource> {
  const store = await storeWithProfile({ tenantId: PARTNER, clientId: CLIENT, refreshTokenRotatedAt: new Date((NOW - 86_400) * 1000).toISOString() });
  const inner = storeProfileSource(store, "default");
  const eacces = Object.assign(new Error("EACCES: permission denied, open '<home>/store.enc.lock'"), { code: "EACCES" });
  return { ...inner, saveRefreshToken: () => Promise.reject(eacces) };
}

const notSaved = (p: Promise<unknown>): Promise<SamkitError> => rejection(p, "SAMKIT_BROKER_ROTATION_NOT_SAVED");

beforeEach(() => {
  process.env["SAMKIT_TEST_NOW"] = String(NOW);
});
afterEach(() => {
  delete process.env["SAMKIT_TEST_NOW"];
});

describe("SAMKIT_BROKER_ROTATION_NOT_SAVED", () => {
  it("renew under the lenient policy says lenient and gives the store's error", async () => {
    const broker = new TokenBroker({ cloud: GLOBAL_CLOUD, profileSource: await unwritableSource(), http: {} as HttpClient, grants: rotatingGrants(), rotation: "lenient" });
    const e = await notSaved(broker.renewRefreshToken());
    expect(e.message).not.toContain("strict");
    expect(e.message).toContain("lenient rotation policy");
    expect(e.message).toContain("EACCES: permission denied");
    expect((e.cause as { code?: string }).code).toBe("EACCES");
    expect(e.nextStep).not.toMatch(/^Check the secret store \(`samkit status`\)/);
    expect(e.nextStep).toMatch(/SAMKIT_HOME.*writable/);
  });

  it("the strict policy says strict, with the same cause", async () => {
    const broker = new TokenBroker({ cloud: GLOBAL_CLOUD, profileSource: await unwritableSource(), http: {} as HttpClient, grants: rotatingGrants(), rotation: "strict" });
    const e = await notSaved(broker.getToken());
    expect(e.message).toContain("strict rotation policy");
    expect(e.message).toContain("EACCES");
  });
});
