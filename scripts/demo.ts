/**
 * `npm run demo`: the whole Secure Application Model, end to end, against the embedded emulator.
 *
 * Starts an EmulatorServer in this process on free 127.0.0.1 ports, uses `$SAMKIT_HOME` if set
 * (profile `demo`, so a real `default` profile is never touched) or else a temporary folder, and
 * narrates each step while driving samkit's own library and commands:
 *
 *  1. the offline Microsoft cloud      6. customers from Partner Center
 *  2. samkit app create               7. CPV consent for one customer (then the rest)
 *  3. samkit consent (device code)    8. samkit foreach -- api /v1.0/users -f '$top=5'
 *  4. the secret store                9. samkit status
 *  5. tokens for Partner Center, Graph, ARM
 *
 * Sign-ins a person would do in a browser are approved through the emulator's control API, as
 * that person. Nothing reaches Microsoft. Exits 0 when every step worked, 1 when one failed (with
 * its catalogue error and next step). docs/demo.md walks through the output.
 */
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EmulatorServer } from "../emulator/server.js";
import type { CliContext } from "../src/cli/context.js";
import type { CloudDefinition } from "../src/cloud/types.js";
import type { HttpClient } from "../src/http/types.js";
import type { Customer } from "../src/partner-center/types.js";
import type { SecretStore } from "../src/store/types.js";

const CUSTOMERS = 25;
const color = process.stdout.isTTY === true && process.env["NO_COLOR"] === undefined;
const bold = (s: string): string => (color ? `\x1b[1m${s}\x1b[22m` : s);
const dim = (s: string): string => (color ? `\x1b[2m${s}\x1b[22m` : s);

function say(text = ""): void {
  process.stdout.write(`${text}\n`);
}
/** Indented narration under a step. */
function note(text: string): void {
  for (const line of text.replace(/\n$/, "").split("\n")) say(`    ${line}`);
}
/** Output of a samkit command, indented and dimmed so narration stands out. */
const commandOut = {
  write(chunk: string): boolean {
    const lines = chunk.replace(/\n$/, "").split("\n");
    for (const l of lines) process.stdout.write(`    ${dim(l)}\n`);
    return true;
  },
};

interface World {
  readonly partnerTenantId: string;
  readonly users: readonly { username: string; mfa: boolean; roles: string[] }[];
  readonly customers: readonly { tenantId: string; name: string; state: string }[];
}

/** What every step shares. */
interface Demo {
  readonly emu: EmulatorServer;
  readonly cloudInfo: Awaited<ReturnType<EmulatorServer["start"]>>;
  readonly world: World;
  readonly env: Record<string, string | undefined>;
  readonly profile: string;
  ctx: CliContext | undefined;
  cloud: CloudDefinition | undefined;
  http: HttpClient | undefined;
  store: SecretStore | undefined;
  clientId: string | undefined;
  /** Control API of the emulator (what a test, or here the "person", does). */
  control(method: string, path: string, body?: unknown): Promise<unknown>;
}

let stepNo = 0;
const STEPS = 9;
function step(title: string, command?: string): void {
  stepNo++;
  say();
  say(`${bold(`[${stepNo}/${STEPS}] ${title}`)}${command ? `  ${dim(`(${command})`)}` : ""}`);
}

/** A module that is not built yet: the demo says so and goes on (`npm run demo` always exits 0 then). */
class NotYet extends Error {}
async function load<T>(specifier: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") throw new NotYet(specifier);
    throw e;
  }
}

async function startCloud(): Promise<Demo> {
  step("Start the offline Microsoft cloud", "samkit-emulator start --port 0");
  const emu = new EmulatorServer({ seedCustomers: CUSTOMERS });
  const cloudInfo = await emu.start();
  const control = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${cloudInfo.url}/_emulator${path}`, {
      method,
      ...(body !== undefined
        ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }
        : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator control ${method} ${path}: HTTP ${res.status} ${text}`);
    return text === "" ? undefined : (JSON.parse(text) as unknown);
  };
  const world = (await control("GET", "/world")) as World;
  note(`identity (login)   ${cloudInfo.authorityHost}`);
  note(`Partner Center     ${cloudInfo.partnerCenterUrl}`);
  note(`Microsoft Graph    ${cloudInfo.graphUrl}`);
  note(`Azure Resource Mgr ${cloudInfo.armUrl}`);
  note(`Key Vault          ${cloudInfo.keyVaultUrl}`);
  const broken = world.customers.filter((c) => c.state !== "healthy");
  note(`A partner tenant (${world.partnerTenantId}) with ${world.customers.length} customers;`);
  note(
    `${broken.length} are broken on purpose (${[...new Set(broken.map((c) => c.state))].join(", ")}) so you see failures too.`,
  );

  const userHome = process.env["SAMKIT_HOME"];
  const home = userHome && userHome.trim() !== "" ? userHome : await mkdtemp(join(tmpdir(), "samkit-demo-"));
  const profile = userHome ? (process.env["SAMKIT_PROFILE"] ?? "demo") : "default";
  const env: Record<string, string | undefined> = {
    ...process.env,
    SAMKIT_HOME: home,
    SAMKIT_PROFILE: profile,
    SAMKIT_CLOUD: "emulator",
    SAMKIT_EMULATOR_URL: cloudInfo.url,
    SAMKIT_STORE: "file",
  };
  note(
    `samkit uses SAMKIT_HOME=${home}${userHome ? ` (yours; profile '${profile}')` : " (a temporary folder)"}, --cloud emulator.`,
  );
  if (!userHome) {
    tempHome = home;
    cleanups.push(() => rm(home, { recursive: true, force: true, maxRetries: 3 }));
  }
  return {
    emu,
    cloudInfo,
    world,
    env,
    profile,
    ctx: undefined,
    cloud: undefined,
    http: undefined,
    store: undefined,
    clientId: undefined,
    control,
  };
}

function userWith(d: Demo, pick: (u: World["users"][number]) => boolean, what: string): string {
  const u = d.world.users.find(pick);
  if (!u) throw new Error(`the emulator world has no ${what}`);
  return u.username;
}

async function context(d: Demo): Promise<void> {
  const { createContext } = await load<typeof import("../src/cli/context.js")>("../src/cli/context.js");
  d.ctx = createContext({}, d.env);
  [d.cloud, d.http, d.store] = await Promise.all([d.ctx.cloud(), d.ctx.http(), d.ctx.store()]);
}

async function appCreate(d: Demo): Promise<void> {
  step("Register the multi-tenant SAM app", "samkit app create --device-code");
  await context(d);
  const [{ adminGraphToken }, { planApp, applyAppPlan }, { createGraphClient }] = await Promise.all([
    load<typeof import("../src/provision/admin-signin.js")>("../src/provision/admin-signin.js"),
    load<typeof import("../src/provision/app-create.js")>("../src/provision/app-create.js"),
    load<typeof import("../src/graph/index.js")>("../src/graph/index.js"),
  ]);
  const admin = userWith(d, (u) => u.username.startsWith("admin@"), "admin user");
  const signIn = await adminGraphToken({
    cloud: d.cloud!,
    http: d.http!,
    method: "device-code",
    onDeviceCode: async (s) => {
      note(
        `The partner admin signs in with the Azure CLI public client: code ${s.userCode} at ${s.verificationUri}`,
      );
      await d.control("POST", "/devicecode/approve", { userCode: s.userCode, username: admin, mfa: true });
      note(`… approved in the emulator as ${admin}, with MFA (what the admin would do in a browser).`);
    },
  });
  const graph = createGraphClient({
    http: d.http!,
    graphUrl: d.cloud!.resources.graph.endpoint,
    accessToken: () => Promise.resolve(signIn.accessToken),
  });
  const { parsePermission } = await load<typeof import("../src/provision/app-spec.js")>(
    "../src/provision/app-spec.js",
  );
  const options = {
    graph,
    store: d.store!,
    cloud: d.cloud!,
    profile: d.profile,
    tenantId: (signIn.tenantId ?? d.world.partnerTenantId).toLowerCase(),
    name: "samkit demo app",
    // Azure Resource Manager too (`--permission arm:Scope:user_impersonation`), for the ARM token below
    permissions: [parsePermission("arm:Scope:user_impersonation")],
  };
  const plan = await planApp(options);
  note("Plan (what exists, what will change):");
  for (const c of plan.changes) note(`  + ${c.target}: ${c.detail}`);
  const result = await applyAppPlan(options, plan);
  d.clientId = result.clientId;
  note(
    `Created app ${result.clientId} ('${result.displayName}'); its secret (expires ${result.credentialExpiresAt ?? "?"}) went straight into the store, never to the screen.`,
  );
  // `samkit app create` grants tenant-wide admin consent in the partner tenant as one of its plan
  // steps; calling the library step again is a no-op that proves the grant is in place.
  const { grantAdminConsent } = await load<typeof import("../src/provision/admin-consent.js")>(
    "../src/provision/admin-consent.js",
  );
  const consentPlan = await grantAdminConsent({ graph, clientAppId: result.clientId });
  const granted = consentPlan.items.map((i) => i.scopes.join(" ")).filter((s) => s !== "");
  note(
    `samkit app create also granted tenant-wide admin consent in the partner tenant (the portal's "Grant admin consent"): ${granted.join("; ")}.`,
  );
}

async function consent(d: Demo): Promise<void> {
  step("Consent once, with MFA: the refresh token", "samkit consent --device-code");
  const { runConsent } = await load<typeof import("../src/provision/consent.js")>(
    "../src/provision/consent.js",
  );
  const account = userWith(d, (u) => u.username.startsWith("sam@"), "service account");
  const r = await runConsent({
    cloud: d.cloud!,
    http: d.http!,
    store: d.store!,
    profile: d.profile,
    method: "device-code",
    onDeviceCode: async (s) => {
      note(`Device code ${s.userCode} at ${s.verificationUri}`);
      await d.control("POST", "/devicecode/approve", { userCode: s.userCode, username: account, mfa: true });
      note(`… approved in the emulator as ${account}, completing MFA.`);
    },
  });
  note(
    `Signed in as ${r.user ?? "?"} in tenant ${r.tenantId}; MFA: ${r.mfa ? "yes" : "NO"} (amr: ${r.amr.join(", ")}).`,
  );
  note(
    "samkit checked the id_token (signature, issuer, audience, tenant) and the MFA claim before storing anything.",
  );
}

async function showStore(d: Demo): Promise<void> {
  step("The secret store", "samkit status shows it too");
  const names = await d.store!.list();
  note(`Store: ${d.store!.description}`);
  note(`Secrets (names only; values are encrypted with AES-256-GCM, never printed): ${names.join(", ")}`);
  note(
    "The names are the ones SAM Key Vaults already use (ApplicationID, ApplicationSecret, TenantID, RefreshToken);",
  );
  note("`samkit store migrate --to keyvault` moves them to Azure Key Vault.");
}

async function tokens(d: Demo): Promise<void> {
  step("Access tokens from the stored refresh token", "samkit token --resource partner-center|graph|arm");
  const { printableClaims } = await load<typeof import("../src/broker/claims.js")>("../src/broker/claims.js");
  for (const [alias, label] of [
    ["partner-center", "Partner Center"],
    ["graph", "Microsoft Graph"],
    ["arm", "Azure Resource Manager"],
  ] as const) {
    const t = await d.ctx!.getToken({ resource: alias });
    const c = await printableClaims(t.token);
    const amr = Array.isArray(c["amr"]) ? ` amr=${(c["amr"] as string[]).join(",")}` : "";
    note(
      `${label.padEnd(23)} aud=${String(c["aud"])} tenant=${t.tenantId}${amr} expires ${t.expiresOn.toISOString()}`,
    );
  }
  note(
    "(the tokens themselves are secrets and are not shown; they are cached, encrypted, for the next command)",
  );
}

async function partnerCenter(
  d: Demo,
): Promise<import("../src/partner-center/client.js").PartnerCenterClient> {
  const { PartnerCenterClient } = await load<typeof import("../src/partner-center/client.js")>(
    "../src/partner-center/client.js",
  );
  return new PartnerCenterClient({ http: d.http!, cloud: d.cloud!, getToken: (r) => d.ctx!.getToken(r) });
}

async function customers(d: Demo): Promise<Customer[]> {
  step("Customers from Partner Center", "samkit customers list");
  const pc = await partnerCenter(d);
  const list: Customer[] = [];
  for await (const c of pc.listCustomers()) list.push(c);
  note(`${list.length} customers (paged with MS-ContinuationToken):`);
  for (const c of list.slice(0, 4))
    note(
      `  ${c.companyProfile.companyName.padEnd(26)} ${c.companyProfile.domain.padEnd(36)} ${c.companyProfile.tenantId}`,
    );
  if (list.length > 4) note(`  … and ${list.length - 4} more`);
  return list;
}

async function cpvConsent(d: Demo, list: readonly Customer[]): Promise<void> {
  step("Consent the new app in customer tenants (CPV)", "samkit customers consent ID, then --all");
  const pc = await partnerCenter(d);
  const [{ consentCustomer }, { appGraphGrants }, { runFanout }, { customerTarget }] = await Promise.all([
    load<typeof import("../src/partner-center/consent.js")>("../src/partner-center/consent.js"),
    load<typeof import("../src/partner-center/default-grants.js")>("../src/partner-center/default-grants.js"),
    load<typeof import("../src/fanout/runner.js")>("../src/fanout/runner.js"),
    load<typeof import("../src/fanout/targets.js")>("../src/fanout/targets.js"),
  ]);
  const healthy = new Set(d.world.customers.filter((c) => c.state === "healthy").map((c) => c.tenantId));
  const first = list.find((c) => healthy.has(c.companyProfile.tenantId)) ?? list[0];
  if (!first) throw new Error("no customers to consent");
  const name = first.companyProfile.companyName;
  const graphIn = (tenant: string): Promise<string> =>
    d.ctx!.getToken({ resource: "graph", tenant }).then(
      () => "a Graph token is issued",
      (e: unknown) =>
        `no Graph token: ${e instanceof Error ? e.message.split("\n")[0]!.slice(0, 110) : String(e)}`,
    );
  note(`${name} has never seen the new app: ${await graphIn(first.companyProfile.tenantId)}`);
  const { grants, source } = await appGraphGrants({
    http: d.http!,
    cloud: d.cloud!,
    getToken: (r) => d.ctx!.getToken(r),
    applicationId: d.clientId!,
  });
  const grantText = grants.map((g) => g.scope).join("; ");
  const r = await consentCustomer(pc, first.id, {
    applicationId: d.clientId!,
    displayName: "samkit demo app",
    grants,
  });
  note(
    `POST /v1/customers/${first.id}/applicationconsents (${grantText}, from ${source === "graph" ? "the app's permissions" : "the defaults"}): ${r.outcome}`,
  );
  note(`${name} now: ${await graphIn(first.companyProfile.tenantId)}`);
  // The rest, on samkit's fan-out runner (what `samkit customers consent --all` does).
  const summary = await runFanout(
    list.filter((c) => c !== first).map(customerTarget),
    async (t) => {
      const res = await consentCustomer(pc, t.customer!.id, {
        applicationId: d.clientId!,
        displayName: "samkit demo app",
        grants,
      });
      return { ok: true, status: 201, data: res.outcome };
    },
    { concurrency: 8 },
  );
  note(
    `The other ${summary.attempted} customers: ${summary.succeeded} consented, ${summary.failed} refused by Partner Center${summary.failed ? ` (${Object.keys(summary.failuresByCode).join(", ")})` : ""}.`,
  );
}

async function foreach(d: Demo): Promise<void> {
  step("Five users from every customer tenant", "samkit foreach -- api /v1.0/users -f '$top=5'");
  const { runForeachCommand } = await load<typeof import("../src/cli/commands/foreach/command.js")>(
    "../src/cli/commands/foreach/command.js",
  );
  note("One token per customer tenant from the same refresh token, 8 tenants at a time:");
  const before = process.exitCode;
  await runForeachCommand(
    ["api", "/v1.0/users", "-f", "$top=5", "-f", "$select=userPrincipalName"],
    { concurrency: "8", progress: false },
    {},
    d.env,
    {
      stdout: commandOut,
      stderr: commandOut,
    },
  );
  const code = process.exitCode;
  process.exitCode = before;
  note(
    `foreach exit code ${String(code)} (0 all ok, 3 some failed, 1 none): the failures are the deliberately broken`,
  );
  note(
    "customers (no GDAP relationship, Conditional Access, another cloud…); each shows its next step above.",
  );
}

async function status(d: Demo): Promise<void> {
  step("Health check and keep-alive", "samkit status --renew");
  const { runStatusCommand } = await load<typeof import("../src/cli/commands/status/command.js")>(
    "../src/cli/commands/status/command.js",
  );
  const before = process.exitCode;
  // The demo narrates on stdout: the status verdict ("All good.", problems) goes there too.
  await runStatusCommand({ renew: true }, {}, d.env, commandOut, commandOut);
  process.exitCode = before;
  note("Run `samkit status --renew` weekly (cron) so the refresh token never reaches 90 days of inactivity.");
}

const cleanups: (() => Promise<unknown>)[] = [];
/** The temporary SAMKIT_HOME the demo made (removed at the end, and on Ctrl-C). */
let tempHome: string | undefined;

async function main(): Promise<number> {
  const started = performance.now();
  say(bold("samkit demo — Microsoft's Secure Application Model, end to end"));
  say("Everything runs against samkit's offline emulator on 127.0.0.1; nothing reaches Microsoft.");
  let d: Demo | undefined;
  let failed = false;
  const notYet: string[] = [];
  try {
    d = await startCloud();
    cleanups.push(() => d!.emu.stop());
    const demo = d;
    let list: Customer[] = [];
    const steps: [string, () => Promise<void>][] = [
      ["app create", () => appCreate(demo)],
      ["consent", () => consent(demo)],
      ["store", () => showStore(demo)],
      ["tokens", () => tokens(demo)],
      ["customers", async () => void (list = await customers(demo))],
      ["CPV consent", () => cpvConsent(demo, list)],
      ["foreach", () => foreach(demo)],
      ["status", () => status(demo)],
    ];
    for (const [name, run] of steps) {
      try {
        await run();
      } catch (e) {
        if (e instanceof NotYet) {
          notYet.push(name);
          note(`(not built yet: ${e.message}; this step is skipped)`);
          // later steps need this one
          break;
        }
        throw e;
      }
    }
  } catch (e) {
    failed = true;
    const { isSamkitError } = await import("../src/errors/index.js");
    say();
    if (isSamkitError(e)) {
      say(`demo failed at step ${stepNo}: error ${e.code}: ${e.message}`);
      say(`next step: ${e.nextStep}`);
    } else {
      say(`demo failed at step ${stepNo}: ${e instanceof Error ? e.message : String(e)}`);
    }
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  say();
  if (failed) return 1;
  if (notYet.length > 0) say(`Demo stopped early in ${seconds} s: ${notYet.join(", ")} is not built yet.`);
  else
    say(
      bold(`Done in ${seconds} s.`) +
        " Next: docs/demo.md explains each step; `samkit-emulator start` runs the same cloud for your own scripts.",
    );
  return 0;
}

// Ctrl-C: stop the emulator and remove the temporary folder before leaving.
// (`on`, not `once`: libraries using signal-exit re-raise the signal when no other listener is left.)
let interrupted = false;
process.on("SIGINT", () => {
  if (interrupted) return;
  interrupted = true;
  say("\nInterrupted; cleaning up.");
  void (async () => {
    // Cleanups run in reverse order (the emulator first, so no step still writes into the folder
    // being removed), each given at most a second: an interrupted sign-in may hold a connection.
    for (const c of cleanups.reverse()) {
      await Promise.race([c().catch(() => undefined), new Promise((r) => setTimeout(r, 1000).unref())]);
    }
    if (tempHome !== undefined) rmSync(tempHome, { recursive: true, force: true, maxRetries: 3 });
    process.exit(130);
  })();
});

process.exitCode = await main();
