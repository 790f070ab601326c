/**
 * `samkit app create --certificate --preconsent` and a failed `app rotate-secret` that rolls back,
 * against the emulator (certificate credentials are `private_key_jwt` assertions, CONTRACTS §4).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorServer } from "../../emulator/server.js";
import { emulatorCloud } from "../../src/cloud/index.js";
import { createHttpClient } from "../../src/http/index.js";
import { certificateThumbprints, clientCredentials } from "../../src/oauth/index.js";
import { approveDeviceCode, freshHome, startCli, startEmulator, storedProfile } from "./consent-harness.js";

let emu: EmulatorServer;
let url: string;
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  ({ emu, url } = await startEmulator());
}, 60_000);
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
  await emu?.stop();
});

async function withAdmin(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = startCli([...args, "--device-code"], env, { timeoutMs: 120_000 });
  const [, userCode] = await run.waitForStderr(/code ([A-Z0-9]{6,}) at /);
  await approveDeviceCode(url, { userCode: userCode!, username: emu.context.world.adminUpn });
  return run.done;
}

describe("samkit app create --certificate", () => {
  it("registers a certificate whose key stays in the store, pre-consents through AdminAgents, and rolls back a rotation whose proof fails", async () => {
    const h = await freshHome(url);
    cleanups.push(h.cleanup);
    const name = "samkit cert app";
    const r = await withAdmin(["app", "create", "--name", name, "--certificate", "--preconsent", "--json"], h.env);
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as { result: { clientId: string }; plan: { notes: string[]; changes: { target: string }[] } };
    expect(body.plan.changes.map((c) => c.target)).toContain("adminAgents");
    expect(body.plan.notes.join(" ")).toContain("GDAP");
    expect(r.stdout).not.toContain("PRIVATE KEY");

    const p = (await storedProfile(h.env))!;
    expect(p.certificate?.privateKeyPem).toContain("PRIVATE KEY");
    expect(p.clientSecret).toBeUndefined();
    const app = emu.context.world.application(body.result.clientId)!;
    expect(app.keyCredentials).toHaveLength(1);
    expect(app.passwordCredentials).toHaveLength(0);
    expect(app.keyCredentials[0]!.thumbprintSha256).toBe(certificateThumbprints(p.certificate!.certificatePem).x5tS256);

    // The certificate works as a private_key_jwt client assertion.
    const cloud = emulatorCloud(emu.cloud);
    const t = await clientCredentials(
      { cloud, tenant: p.tenantId, client: { clientId: p.clientId, certificate: { privateKeyPem: p.certificate!.privateKeyPem, certificatePem: p.certificate!.certificatePem } }, http: createHttpClient() },
      ["https://graph.microsoft.com/.default"],
    );
    expect(t.accessToken).toBeTruthy();

    // Re-run: nothing to do (certificate and AdminAgents membership are in place).
    const again = await withAdmin(["app", "create", "--name", name, "--certificate", "--preconsent", "--json"], h.env);
    expect(again.code, again.stderr).toBe(0);
    expect((JSON.parse(again.stdout) as { plan: { changes: unknown[] }; applied: boolean }).plan.changes).toEqual([]);

    // A rotation whose new credential is refused by the token endpoint is rolled back.
    const rule = await fetch(`${url}/_emulator/scenarios`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ service: "identity", clientId: p.clientId, aadsts: 7000215 }),
    });
    expect(rule.status).toBeLessThan(300);
    const { id } = (await rule.json()) as { id: string };
    try {
      const rot = await withAdmin(["app", "rotate-secret"], h.env);
      expect(rot.code).toBe(1);
      expect(rot.stderr).toContain("error SAMKIT_APP_CREDENTIAL_PROOF_FAILED:");
      expect(rot.stderr).toContain("next step:");
    } finally {
      await fetch(`${url}/_emulator/scenarios/${id}`, { method: "DELETE" });
    }
    const after = (await storedProfile(h.env))!;
    expect(after.certificate?.thumbprintSha256).toBe(p.certificate!.thumbprintSha256);
    expect(after.metadata.secretKeyId).toBe(p.metadata.secretKeyId);
    expect(emu.context.world.application(body.result.clientId)!.keyCredentials.map((k) => k.keyId)).toEqual([p.metadata.secretKeyId]);
  }, 240_000);
});
