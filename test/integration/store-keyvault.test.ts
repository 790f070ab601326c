/**
 * KeyVaultStore failure mapping against the emulator's Key Vault over HTTPS, with Microsoft's own
 * @azure/keyvault-secrets client: 403, 409 (soft-deleted), 429, credential failure, timeouts.
 */
import * as fs from "node:fs";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TokenCredential } from "@azure/core-auth";
import { EmulatorServer } from "../../emulator/server.js";
import type { EmulatorCloudInfo } from "../../emulator/context.js";
import { EmulatorTestCredential } from "../../emulator/test-credential.js";
import { SamkitError, isSamkitError } from "../../src/errors/index.js";
import { KeyVaultStore } from "../../src/store/keyvault/keyvault-store.js";

let emu: EmulatorServer;
let cloud: EmulatorCloudInfo;
let credential: EmulatorTestCredential;
let ca: string;

async function failure(p: Promise<unknown>): Promise<SamkitError> {
  try {
    await p;
  } catch (e) {
    if (isSamkitError(e)) return e;
    throw e;
  }
  throw new Error("expected a SamkitError");
}

async function scenario(rule: Record<string, unknown>): Promise<void> {
  const { Agent, fetch } = await import("undici");
  const dispatcher = new Agent({ connect: { ca } });
  const res = await fetch(`${cloud.authorityHost}/_emulator/scenarios`, {
    method: "POST",
    body: JSON.stringify(rule),
    headers: { "content-type": "application/json" },
    dispatcher,
  });
  expect(res.status).toBe(200);
  await dispatcher.close();
}

beforeAll(async () => {
  emu = new EmulatorServer({ tls: true, seedCustomers: 1 });
  cloud = await emu.start();
  ca = fs.readFileSync(cloud.caCertPath!, "utf8");
  credential = await EmulatorTestCredential.forEmulator(cloud);
});
afterAll(async () => {
  await credential.close();
  await emu.stop();
});
beforeEach(() => emu.reset());

const store = (extra: Partial<ConstructorParameters<typeof KeyVaultStore>[0]> = {}) =>
  new KeyVaultStore({ vaultUrl: cloud.keyVaultUrl, credential, emulator: { ca }, ...extra });

describe("KeyVaultStore failures → catalogue errors", () => {
  it("sets contentType per part and tags (read back through the SDK)", async () => {
    const s = store();
    await s.set("SamkitProfile", "{}", { samkitPart: "profile" });
    await s.set("RefreshToken", "token-value-abcdefgh", { samkitPart: "refresh-token" });
    const { SecretClient } = await import("@azure/keyvault-secrets");
    const client = new SecretClient(cloud.keyVaultUrl, credential, {
      disableChallengeResourceVerification: true,
      tlsOptions: { ca },
    });
    expect((await client.getSecret("SamkitProfile")).properties.contentType).toBe("application/json");
    expect((await client.getSecret("RefreshToken")).properties).toMatchObject({
      contentType: "text/plain",
      tags: { samkitPart: "refresh-token" },
    });
  });

  it("403 → SAMKIT_STORE_KV_FORBIDDEN naming the role to grant", async () => {
    await scenario({
      service: "keyvault",
      path: "^/secrets/Locked",
      status: 403,
      body: { error: { code: "Forbidden", message: "Caller is not authorized" } },
    });
    const e = await failure(store().get("Locked"));
    expect(e.code).toBe("SAMKIT_STORE_KV_FORBIDDEN");
    expect(e.nextStep).toContain("Key Vault Secrets Officer");
    expect(e.message).toContain("Locked");
  });

  it("409 on a soft-deleted name → SAMKIT_STORE_KV_SOFT_DELETED; purge clears it", async () => {
    const s = store();
    await s.set("Gone", "value-1");
    await s.delete("Gone");
    const e = await failure(s.set("Gone", "value-2"));
    expect(e.code).toBe("SAMKIT_STORE_KV_SOFT_DELETED");
    expect(e.nextStep).toMatch(/recover|purge/);
    await s.set("Gone2", "v");
    await s.delete("Gone2", { purge: true });
    await s.set("Gone2", "v2");
    expect((await s.get("Gone2"))?.value).toBe("v2");
  });

  it("429 → SAMKIT_STORE_KV_THROTTLED with Retry-After, after the SDK's own retries", async () => {
    await scenario({ service: "keyvault", path: "^/secrets/Busy", status: 429, retryAfter: 1 });
    const e = await failure(store().get("Busy"));
    expect(e.code).toBe("SAMKIT_STORE_KV_THROTTLED");
    expect(e.retryAfterSeconds).toBe(1);
    expect(e.action).toBe("retry-later");
  }, 30_000);

  it("a credential that cannot get a token → SAMKIT_STORE_KV_UNAUTHENTICATED", async () => {
    const broken: TokenCredential = {
      getToken: () =>
        Promise.reject(Object.assign(new Error("no az login"), { name: "CredentialUnavailableError" })),
    };
    const e = await failure(store({ credential: broken }).get("Anything"));
    expect(e.code).toBe("SAMKIT_STORE_KV_UNAUTHENTICATED");
  });

  it("a slow vault → SAMKIT_STORE_TIMEOUT within the per-call timeout", async () => {
    await scenario({ service: "keyvault", path: "^/secrets/Slow", latencyMs: 5_000 });
    const t0 = Date.now();
    const e = await failure(store({ timeoutMs: 400 }).get("Slow"));
    expect(e.code).toBe("SAMKIT_STORE_TIMEOUT");
    expect(Date.now() - t0).toBeLessThan(3_000);
  });

  it("a vault nobody listens on → a store error, not a fall-back", async () => {
    const e = await failure(
      new KeyVaultStore({
        vaultUrl: "https://127.0.0.1:9",
        credential,
        emulator: { ca },
        timeoutMs: 20_000,
      }).get("X"),
    );
    expect(e.code).toMatch(/^SAMKIT_STORE_KV_(UNAVAILABLE|VAULT_NOT_FOUND)$/);
  }, 30_000);
});
