/**
 * `samkit consent --device-code` against the emulator, the CLI as a child process: the sign-in
 * prompt (verification URL and user code) is printed once on stderr, and nothing of it on stdout.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { approveDeviceCode, emulatorForFile, runCli, startCli } from "./consent-harness.js";

const emulator = emulatorForFile({ seedCustomers: 1 });
let env: Record<string, string>;

const count = (text: string, needle: string): number => text.split(needle).length - 1;

beforeAll(async () => {
  ({ env } = await emulator.home());
  const w = emulator.emu.context.world;
  const r = await runCli(
    ["app", "use", "--client-id", w.samAppId, "--tenant", w.partnerTenantId, "--client-secret-stdin"],
    env,
    {
      stdin: `${w.samAppSecret}\n`,
    },
  );
  expect(r.code, r.stderr).toBe(0);
}, 60_000);

describe("samkit consent --device-code prompt", () => {
  it("prints the verification URL and the user code once on stderr", async () => {
    for (const json of [false, true]) {
      const run = startCli(["consent", "--device-code", ...(json ? ["--json"] : [])], env);
      const [, userCode] = await run.waitForStderr(/code ([A-Z0-9]{6,}) at /);
      await approveDeviceCode(emulator.url, { userCode: userCode!, username: emulator.emu.context.world.serviceAccountUpn });
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
