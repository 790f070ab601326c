/**
 * `samkit app create`, `app rotate-secret` and `app use` end to end against the emulator: the
 * admin signs in with the Azure CLI public client by device code (approved through the control
 * API), the CLI runs as a child process, and the emulator's Graph is read over HTTP afterwards.
 */
import { describe, expect, it } from "vitest";
import { emulatorCloud } from "../../src/cloud/index.js";
import { createHttpClient } from "../../src/http/index.js";
import { clientCredentials } from "../../src/oauth/index.js";
import { emulatorForFile, runApprovingDeviceCode, runCli, storedProfile } from "./consent-harness.js";

const emulator = emulatorForFile();

/** Runs an `app` command that signs the admin in by device code, approving it as the partner admin. */
function withAdmin(args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runApprovingDeviceCode(emulator.url, [...args, "--device-code"], env, { username: emulator.emu.context.world.adminUpn }, { timeoutMs: 90_000 });
}

/** Graph GET in the partner tenant with the seeded SAM app's app-only token (Directory.Read.All). */
async function graphGet(path: string): Promise<{ value: { id: string; appId: string; displayName: string }[] }> {
  const w = emulator.emu.context.world;
  const cloud = emulatorCloud(emulator.emu.cloud);
  const t = await clientCredentials({ cloud, tenant: w.partnerTenantId, client: { clientId: w.samAppId, clientSecret: w.samAppSecret }, http: createHttpClient() }, [
    "https://graph.microsoft.com/.default",
  ]);
  const r = await fetch(`${emulator.emu.cloud.graphUrl}/v1.0${path}`, { headers: { authorization: `Bearer ${t.accessToken}` } });
  expect(r.status, await r.clone().text()).toBe(200);
  return (await r.json()) as { value: { id: string; appId: string; displayName: string }[] };
}

describe("samkit app create", () => {
  it("text mode: what was applied on stdout, the `Next: run samkit consent` hint on stderr (docs/cli.md)", async () => {
    const h = await emulator.home();
    const r = await withAdmin(["app", "create", "--name", "samkit text mode app"], h.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Applied");
    expect(r.stdout).not.toContain("Next:");
    expect(r.stderr).toContain("Next: run `samkit consent`");
  }, 120_000);

  it("creates the app once; the second run plans no changes; Graph shows one app and one service principal", async () => {
    const h = await emulator.home();
    const name = "samkit test app";

    const dry = await withAdmin(["app", "create", "--name", name, "--dry-run", "--json"], h.env);
    expect(dry.code, dry.stderr).toBe(0);
    const dryBody = JSON.parse(dry.stdout) as { applied: boolean; plan: { changes: { target: string }[] } };
    expect(dryBody.applied).toBe(false);
    expect(dryBody.plan.changes.map((c) => c.target)).toEqual(expect.arrayContaining(["application", "servicePrincipal", "credential"]));
    expect((await graphGet(`/applications?$filter=displayName eq '${name}'`)).value).toHaveLength(0);

    const first = await withAdmin(["app", "create", "--name", name, "--json"], h.env);
    expect(first.code, first.stderr).toBe(0);
    const body = JSON.parse(first.stdout) as { applied: boolean; result: { clientId: string; tenantId: string; clientSecret?: string } };
    expect(body.applied).toBe(true);
    expect(body.result.tenantId).toBe(emulator.emu.context.world.partnerTenantId);
    expect(body.result.clientSecret).toBeUndefined();
    expect(first.stdout).not.toMatch(/secretText/);

    const p = await storedProfile(h.env);
    expect(p?.clientId).toBe(body.result.clientId);
    expect(p?.clientSecret).toBeTruthy();
    expect(p?.metadata.secretKeyId).toBeTruthy();

    const second = await withAdmin(["app", "create", "--name", name], h.env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("No changes");
    expect(second.stdout).not.toContain("Applied");

    const apps = (await graphGet(`/applications?$filter=displayName eq '${name}'`)).value;
    expect(apps).toHaveLength(1);
    expect(apps[0]!.appId).toBe(body.result.clientId);
    const sps = (await graphGet(`/servicePrincipals?$filter=appId eq '${body.result.clientId}'`)).value;
    expect(sps).toHaveLength(1);

    const app = emulator.emu.context.world.application(body.result.clientId)!;
    expect(app.signInAudience).toBe("AzureADMultipleOrgs");
    expect(app.isFallbackPublicClient).toBe(true);
    expect(app.webRedirectUris).toEqual(["http://localhost"]);
    expect(app.passwordCredentials).toHaveLength(1);
    const pc = app.requiredResourceAccess.find((r) => r.resourceAppId === "fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd");
    expect(pc?.resourceAccess).toEqual([{ id: "1cebfa2a-fb4d-419e-b5f9-839b4383e05a", type: "Scope" }]);
    expect(app.requiredResourceAccess.some((r) => r.resourceAppId === "00000002-0000-0000-c000-000000000000")).toBe(false);

    // The stored secret works.
    const t = await clientCredentials(
      { cloud: emulatorCloud(emulator.emu.cloud), tenant: p!.tenantId, client: { clientId: p!.clientId, clientSecret: p!.clientSecret! }, http: createHttpClient() },
      ["https://graph.microsoft.com/.default"],
    );
    expect(t.accessToken).toBeTruthy();

    // Repair: a removed redirect URI comes back, and only that is changed.
    app.webRedirectUris = [];
    const repair = await withAdmin(["app", "create", "--name", name, "--json"], h.env);
    expect(repair.code, repair.stderr).toBe(0);
    const repaired = JSON.parse(repair.stdout) as { plan: { changes: { target: string; detail: string }[] } };
    expect(repaired.plan.changes).toHaveLength(1);
    expect(repaired.plan.changes[0]!.detail).toContain("http://localhost");
    expect(emulator.emu.context.world.application(body.result.clientId)!.webRedirectUris).toEqual(["http://localhost"]);

    // Rotate: new secret stored and proven, old one removed.
    const oldKey = p!.metadata.secretKeyId!;
    const rotate = await withAdmin(["app", "rotate-secret", "--json"], h.env);
    expect(rotate.code, rotate.stderr).toBe(0);
    const rotated = JSON.parse(rotate.stdout) as { newKeyId: string; removedKeyId: string };
    expect(rotated.removedKeyId).toBe(oldKey);
    const after = await storedProfile(h.env);
    expect(after?.metadata.secretKeyId).toBe(rotated.newKeyId);
    expect(after?.clientSecret).not.toBe(p!.clientSecret);
    expect(emulator.emu.context.world.application(body.result.clientId)!.passwordCredentials.map((c) => c.keyId)).toEqual([rotated.newKeyId]);
  }, 240_000);

  it("rejects a malformed --permission before signing in (exit 2)", async () => {
    const h = await emulator.home();
    const r = await runCli(["app", "create", "--permission", "graph:Nope:User.Read"], h.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("error SAMKIT_USAGE:");
    expect(r.stderr).toContain("RESOURCE:Scope|Role:PERMISSION");
  }, 60_000);
});

describe("samkit app use", () => {
  it("refuses a wrong secret with the identity error and stores nothing", async () => {
    const h = await emulator.home();
    const w = emulator.emu.context.world;
    const r = await runCli(["app", "use", "--client-id", w.samAppId, "--tenant", w.partnerTenantId, "--client-secret-stdin"], h.env, { stdin: "wrong-secret" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error SAMKIT_[A-Z_]+:/);
    expect(r.stderr).toContain("next step:");
    expect(await storedProfile(h.env)).toBeUndefined();
  }, 60_000);

  it("never takes the secret from argv: without --client-secret-stdin and no terminal it is a usage error", async () => {
    const h = await emulator.home();
    const w = emulator.emu.context.world;
    const r = await runCli(["app", "use", "--client-id", w.samAppId, "--tenant", w.partnerTenantId], h.env);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--client-secret-stdin");
  }, 60_000);

  it("text mode: the result on stdout, the `samkit consent` note on stderr (docs/cli.md)", async () => {
    const h = await emulator.home();
    const w = emulator.emu.context.world;
    const r = await runCli(["app", "use", "--client-id", w.samAppId, "--tenant", w.partnerTenantId, "--client-secret-stdin"], h.env, { stdin: w.samAppSecret });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("secret proven and stored");
    expect(r.stdout).not.toContain("note:");
    expect(r.stderr).toContain("note: Run `samkit consent` next");
  }, 60_000);

  it("adopts the seeded app and reports it complete", async () => {
    const h = await emulator.home();
    const w = emulator.emu.context.world;
    const r = await runCli(["app", "use", "--client-id", w.samAppId, "--tenant", w.partnerTenantId, "--client-secret-stdin", "--json"], h.env, { stdin: w.samAppSecret });
    expect(r.code, r.stderr).toBe(0);
    const body = JSON.parse(r.stdout) as { missing: string[]; checked: boolean };
    expect(body.missing).toEqual([]);
    expect(r.stdout).not.toContain(w.samAppSecret);
  }, 60_000);
});
