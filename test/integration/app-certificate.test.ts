/**
 * `samkit app create --certificate --preconsent` and a failed `app rotate-secret` that rolls back,
 * against the emulator (certificate credentials are `private_key_jwt` assertions, CONTRACTS §4).
 */
import { describe, expect, it } from "vitest";
import { emulatorCloud } from "../../src/cloud/index.js";
import { createHttpClient } from "../../src/http/index.js";
import { certificateThumbprints, clientCredentials } from "../../src/oauth/index.js";
import { emulatorForFile, runApprovingDeviceCode, storedProfile } from "./consent-harness.js";

const emulator = emulatorForFile();

/** Runs an `app` command that signs the admin in by device code, approving it as the partner admin. */
function withAdmin(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runApprovingDeviceCode(emulator.url, [...args, "--device-code"], env, { username: emulator.emu.context.world.adminUpn }, { timeoutMs: 120_000 });
}

describe("samkit app create --certificate", () => {
  it("registers a certificate whose key stays in the store, pre-consents through AdminAgents, and rolls back a rotation whose proof fails", async () => {
    const h = await emulator.home();
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
    const app = emulator.emu.context.world.application(body.result.clientId)!;
    expect(app.keyCredentials).toHaveLength(1);
    expect(app.passwordCredentials).toHaveLength(0);
    expect(app.keyCredentials[0]!.thumbprintSha256).toBe(certificateThumbprints(p.certificate!.certificatePem).x5tS256);

    // The certificate works as a private_key_jwt client assertion.
    const cloud = emulatorCloud(emulator.emu.cloud);
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
    const rule = await fetch(`${emulator.url}/_emulator/scenarios`, {
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
      await fetch(`${emulator.url}/_emulator/scenarios/${id}`, { method: "DELETE" });
    }
    const after = (await storedProfile(h.env))!;
    expect(after.certificate?.thumbprintSha256).toBe(p.certificate!.thumbprintSha256);
    expect(after.metadata.secretKeyId).toBe(p.metadata.secretKeyId);
    expect(emulator.emu.context.world.application(body.result.clientId)!.keyCredentials.map((k) => k.keyId)).toEqual([p.metadata.secretKeyId]);
  }, 240_000);
});
