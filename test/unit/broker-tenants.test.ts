/**
 * A tenant that is not one tenant (`common`, `organizations`, `consumers`, junk) is
 * SAMKIT_BROKER_TENANT_INVALID on the library path (broker, TokenCredential) as on the CLI, with
 * the catalogue's next step, before any token request. `samkit explain` prints the entry.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TokenBroker, type BrokerGrants, type BrokerProfileSource } from "../../src/broker/index.js";
import { normalizeTenant } from "../../src/broker/tenants.js";
import { GLOBAL_CLOUD } from "../../src/cloud/table.js";
import { isSamkitError } from "../../src/errors/index.js";
import { brokerErrors } from "../../src/errors/catalogue/broker.js";
import type { HttpClient } from "../../src/http/types.js";

const PARTNER = "11111111-1111-4111-8111-111111111111";
const CLIENT = "33333333-3333-4333-8333-333333333333";
const NOT_TENANTS = ["common", "organizations", "Consumers", " common ", "a b", ""];

/** A broker that fails the test if it reads the store, opens HTTP or redeems anything. */
function isolatedBroker(): { broker: TokenBroker; calls: string[] } {
  const calls: string[] = [];
  const refuse = (what: string) => (): Promise<never> => {
    calls.push(what);
    return Promise.reject(new Error(`${what} must not be used`));
  };
  const grants: BrokerGrants = {
    redeemRefreshToken: refuse("redeemRefreshToken"),
    clientCredentials: refuse("clientCredentials"),
  };
  const profileSource: BrokerProfileSource = {
    name: "default",
    read: refuse("read"),
    saveRefreshToken: refuse("saveRefreshToken"),
    withLock: refuse("withLock"),
  };
  const http = (): Promise<HttpClient> => refuse("http")();
  const broker = new TokenBroker({
    cloud: GLOBAL_CLOUD,
    profileSource,
    http,
    grants,
    identity: { clientId: CLIENT, tenantId: PARTNER },
  });
  return { broker, calls };
}

describe("tenants that are not one tenant", () => {
  it("normalizeTenant refuses them with SAMKIT_BROKER_TENANT_INVALID naming the value", () => {
    for (const t of NOT_TENANTS) {
      let e: unknown;
      try {
        normalizeTenant(t);
      } catch (x) {
        e = x;
      }
      expect(isSamkitError(e, "SAMKIT_BROKER_TENANT_INVALID"), JSON.stringify(t)).toBe(true);
      if (!isSamkitError(e)) continue;
      expect(e.message).toContain(`'${t}'`);
      expect(e.exitCode).toBe(2);
    }
    expect(normalizeTenant(" Contoso.OnMicrosoft.com ")).toBe("contoso.onmicrosoft.com");
    expect(normalizeTenant(PARTNER.toUpperCase())).toBe(PARTNER);
  });

  it("TokenBroker.getToken reports SAMKIT_BROKER_TENANT_INVALID (not BAD_REQUEST) before any request", async () => {
    const { broker, calls } = isolatedBroker();
    for (const tenant of ["common", "organizations", "consumers", "not a tenant"]) {
      const e = await broker.getToken({ resource: "graph", tenant }).catch((x: unknown) => x);
      expect(e, tenant).toMatchObject({
        code: "SAMKIT_BROKER_TENANT_INVALID",
        action: "fix-input",
        exitCode: 2,
      });
      expect((e as Error).message).toContain(`'${tenant}'`);
      expect((e as { nextStep: string }).nextStep).toBe(brokerErrors.SAMKIT_BROKER_TENANT_INVALID.nextStep);
    }
    const common = await broker.getToken({ tenant: "common" }).catch((x: unknown) => x);
    expect((common as Error).message).toMatch(/sign-in endpoint/);
    expect(calls).toEqual([]);
  });

  it("the TokenCredential adapter reports it for getToken(…, { tenantId: 'organizations' })", async () => {
    const { broker, calls } = isolatedBroker();
    const e = await broker
      .asTokenCredential({ additionallyAllowedTenants: ["*"] })
      .getToken("https://graph.microsoft.com/.default", { tenantId: "organizations" })
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "SAMKIT_BROKER_TENANT_INVALID" });
    expect(calls).toEqual([]);
  });

  it("samkit explain SAMKIT_BROKER_TENANT_INVALID answers with the entry and its next step", async () => {
    const { explainCode } = await import("../../src/errors/explain.js");
    const e = explainCode("SAMKIT_BROKER_TENANT_INVALID");
    expect(e).toMatchObject({ code: "SAMKIT_BROKER_TENANT_INVALID", action: "fix-input" });
    expect(e.nextStep).toMatch(/sign-in endpoints, not tenants.*tenant ID \(GUID\) or verified domain/);
  });

  it("docs/errors.md lists every broker code with its action and next step", () => {
    const text = readFileSync(new URL("../../docs/errors.md", import.meta.url), "utf8");
    for (const [code, entry] of Object.entries(brokerErrors)) {
      expect(text, code).toContain(`| \`${code}\` | ${entry.action} | ${entry.nextStep} |`);
    }
  });
});
