/**
 * The documented first-time setup end to end against the emulator (real CLI child processes, real
 * HTTP): `samkit app create` grants tenant-wide admin consent in the partner tenant, so the next
 * step `samkit consent --device-code` works; `--no-admin-consent` prints the admin-consent URL and
 * `samkit consent` then names the real fix; off a terminal the admin signs in by device code and a
 * timeout names `app create`; `app use` rejects malformed IDs before any request.
 */
import { describe, expect, it } from "vitest";
import { emulatorCloud } from "../../src/cloud/index.js";
import { createHttpClient } from "../../src/http/index.js";
import { clientCredentials } from "../../src/oauth/index.js";
import { emulatorForFile, runApprovingDeviceCode, runCli } from "./consent-harness.js";

const emulator = emulatorForFile();

/** Runs a command that signs in by device code and approves it as `username`. */
function withDeviceCode(
  args: readonly string[],
  env: Record<string, string>,
  username: string,
  extra: { consent?: boolean; mfa?: boolean } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runApprovingDeviceCode(emulator.url, args, env, { username, ...extra }, { timeoutMs: 90_000 });
}

async function home(): Promise<Record<string, string>> {
  return (await emulator.home()).env;
}

/** Delegated admin-consent grants of `clientAppId` in the partner tenant (read with the seeded SAM app). */
async function grantsOf(clientAppId: string): Promise<{ scope: string; consentType: string }[]> {
  const w = emulator.emu.context.world;
  const t = await clientCredentials(
    { cloud: emulatorCloud(emulator.emu.cloud), tenant: w.partnerTenantId, client: { clientId: w.samAppId, clientSecret: w.samAppSecret }, http: createHttpClient() },
    ["https://graph.microsoft.com/.default"],
  );
  const get = async <T>(path: string): Promise<T> => {
    const r = await fetch(`${emulator.emu.cloud.graphUrl}/v1.0${path}`, { headers: { authorization: `Bearer ${t.accessToken}` } });
    expect(r.status, await r.clone().text()).toBe(200);
    return (await r.json()) as T;
  };
  const sps = await get<{ value: { id: string }[] }>(`/servicePrincipals?$filter=appId eq '${clientAppId}'`);
  if (sps.value.length === 0) return [];
  const all = await get<{ value: { clientId: string; scope: string; consentType: string }[] }>("/oauth2PermissionGrants");
  return all.value.filter((g) => g.clientId === sps.value[0]!.id);
}

describe("first-time setup: app create → consent", () => {
  it("app create grants admin consent (planned, skipped by --dry-run, idempotent), so `samkit consent --device-code` succeeds", async () => {
    const env = await home();
    const w = emulator.emu.context.world;
    const name = "admin consent app";

    const dry = await withDeviceCode(["app", "create", "--name", name, "--device-code", "--dry-run", "--json"], env, w.adminUpn);
    expect(dry.code, dry.stderr).toBe(0);
    const dryBody = JSON.parse(dry.stdout) as { plan: { changes: { target: string; detail: string }[] } };
    expect(dryBody.plan.changes.map((c) => c.target)).toContain("adminConsent");

    const first = await withDeviceCode(["app", "create", "--name", name, "--device-code", "--json"], env, w.adminUpn);
    expect(first.code, first.stderr).toBe(0);
    const clientId = (JSON.parse(first.stdout) as { result: { clientId: string } }).result.clientId;
    const grants = await grantsOf(clientId);
    expect(grants.map((g) => g.consentType)).toEqual(["AllPrincipals", "AllPrincipals"]);
    expect(grants.map((g) => g.scope).join(" ")).toMatch(/user_impersonation/);
    expect(grants.map((g) => g.scope).join(" ")).toMatch(/Directory\.Read\.All/);

    const again = await withDeviceCode(["app", "create", "--name", name, "--device-code"], env, w.adminUpn);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("No changes");
    expect(again.stdout).toMatch(/= admin consent in the partner tenant/);
    expect(await grantsOf(clientId)).toHaveLength(2);

    const consent = await withDeviceCode(["consent", "--device-code", "--json"], env, w.serviceAccountUpn, { mfa: true });
    expect(consent.code, consent.stderr).toBe(0);
    expect((JSON.parse(consent.stdout) as { clientId: string; mfa: boolean }).clientId).toBe(clientId);
  }, 180_000);

  it("--no-admin-consent prints the admin-consent URL; consent then fails with a next step that names `app create` and that URL; accepting the device-code consent screen (control API consent: true) makes it work", async () => {
    const env = await home();
    const w = emulator.emu.context.world;
    const created = await withDeviceCode(["app", "create", "--name", "no admin consent app", "--device-code", "--no-admin-consent"], env, w.adminUpn);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).not.toMatch(/adminConsent/);
    // the admin-consent URL is part of the `Next:` hint, on stderr (docs/cli.md)
    const m = /(https?:\/\/\S+\/adminconsent\?client_id=([0-9a-f-]{36}))/.exec(created.stderr);
    expect(m, created.stderr).not.toBeNull();
    expect(m![1]).toContain(w.partnerTenantId);
    expect(await grantsOf(m![2]!)).toHaveLength(0);

    const refused = await withDeviceCode(["consent", "--device-code"], env, w.serviceAccountUpn, { mfa: true });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("SAMKIT_CONSENT_ADMIN_CONSENT_MISSING");
    expect(refused.stderr).toContain("samkit app create");
    expect(refused.stderr).toContain(`/adminconsent?client_id=${m![2]!}`);
    expect(refused.stderr).not.toMatch(/next step:.*run `samkit consent` as an admin/i);

    const consented = await withDeviceCode(["consent", "--device-code", "--json"], env, w.adminUpn, { mfa: true, consent: true });
    expect(consented.code, consented.stderr).toBe(0);
    expect((await grantsOf(m![2]!)).length).toBeGreaterThan(0);
  }, 180_000);
});

describe("admin sign-in off a terminal", () => {
  it("app create --dry-run without --device-code uses a device code off a TTY, and a timeout names `samkit app create`", async () => {
    const env = await home();
    delete env["SAMKIT_NO_BROWSER"];
    const r = await runCli(["app", "create", "--dry-run", "--timeout", "1"], env, { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/code [A-Z0-9]{6,} at /);
    expect(r.stderr).toContain("SAMKIT_ADMIN_SIGNIN_TIMEOUT");
    expect(r.stderr).toContain("samkit app create");
    expect(r.stderr).not.toContain("Run `samkit consent` again");
  }, 90_000);

  it("app create --dry-run without --device-code completes by device code off a TTY", async () => {
    const env = await home();
    delete env["SAMKIT_NO_BROWSER"];
    const r = await withDeviceCode(["app", "create", "--dry-run", "--name", "tty app"], env, emulator.emu.context.world.adminUpn);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Dry run: nothing was changed.");
  }, 90_000);
});

describe("app use validates its input locally", () => {
  it.each([
    [["--client-id", "notaguid", "--tenant", "contoso.onmicrosoft.com"], "--client-id must be"],
    [["--client-id", "6513270e-269e-4d37-b2a7-4de452e6b438", "--tenant", "bad tenant!"], "--tenant must be"],
  ])("app use %j → exit 2 SAMKIT_USAGE before any request", async (args, text) => {
    const env = await home();
    // An emulator URL nobody listens on: a request would fail with a network error, not exit 2.
    env["SAMKIT_EMULATOR_URL"] = "http://127.0.0.1:9";
    const r = await runCli(["app", "use", ...args, "--client-secret-stdin"], env, { stdin: "not-a-real-secret", timeoutMs: 60_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("SAMKIT_USAGE");
    expect(r.stderr).toContain(text);
  }, 60_000);
});
