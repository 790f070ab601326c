/**
 * `samkit consent --device-code` against the emulator, the CLI as a child process: the sign-in
 * prompt (verification URL and user code) is printed once on stderr, and nothing of it on stdout.
 */
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmulatorServer } from "../../emulator/server.js";
import { approveDeviceCode, runCli, startCli } from "./consent-harness.js";

let emu: EmulatorServer;
let url: string;
let home: string;
let env: Record<string, string>;

const count = (text: string, needle: string): number => text.split(needle).length - 1;

beforeAll(async () => {
  emu = new EmulatorServer({ seedCustomers: 1 });
  url = (await emu.start()).url;
  home = await mkdtemp(join(tmpdir(), "samkit-device-prompt-"));
  env = {
    SAMKIT_HOME: home,
    SAMKIT_STORE_KEY: randomBytes(32).toString("base64"),
    SAMKIT_CLOUD: "emulator",
    SAMKIT_EMULATOR_URL: url,
    SAMKIT_LOG_LEVEL: "silent",
    SAMKIT_NO_BROWSER: "1",
    NO_COLOR: "1",
  };
  const w = emu.context.world;
  const r = await runCli(
    ["app", "use", "--client-id", w.samAppId, "--tenant", w.partnerTenantId, "--client-secret-stdin"],
    env,
    {
      stdin: `${w.samAppSecret}\n`,
    },
  );
  expect(r.code, r.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await emu?.stop();
  if (home !== undefined) await rm(home, { recursive: true, force: true });
});

describe("samkit consent --device-code prompt", () => {
  it("prints the verification URL and the user code once on stderr", async () => {
    for (const json of [false, true]) {
      const run = startCli(["consent", "--device-code", ...(json ? ["--json"] : [])], env);
      const [, userCode] = await run.waitForStderr(/code ([A-Z0-9]{6,}) at /);
      await approveDeviceCode(url, { userCode: userCode!, username: emu.context.world.serviceAccountUpn });
      const r = await run.done;
      expect(r.code, r.stderr).toBe(0);
      const verificationUri = /code [A-Z0-9]{6,} at (\S+)/.exec(r.stderr)?.[1];
      expect(verificationUri, r.stderr).toMatch(/^https?:\/\//);
      expect(count(r.stderr, userCode!), r.stderr).toBe(1);
      expect(count(r.stderr, verificationUri!), r.stderr).toBe(1);
      expect(r.stdout).not.toContain(userCode!);
    }
  }, 90_000);
});
