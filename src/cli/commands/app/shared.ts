/** Helpers shared by the `samkit app` verbs. */
import { createContext, type CliContext } from "../../context.js";
import { configFlags, positiveInt } from "../consent/run.js";
import type { AdminSignInFlags, ContextCommandFlags } from "./index.js";
import type { CloudDefinition } from "../../../cloud/types.js";
import type { HttpClient } from "../../../http/types.js";
import type { AdminGraphToken } from "../../../provision/admin-signin.js";

/** Where the app verbs write. */
export interface AppIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown; readonly isTTY?: boolean };
}

export type Env = Readonly<Record<string, string | undefined>>;

/** The CLI context from the shared flags. */
export function contextFrom(opts: ContextCommandFlags, env: Env): CliContext {
  return createContext(configFlags(opts), env);
}

/** Signs the admin in (browser or device code) per the flags; instructions go to stderr. */
export async function signInAdmin(
  opts: AdminSignInFlags,
  command: string,
  deps: { cloud: CloudDefinition; http: HttpClient; tenant: string | undefined },
  io: AppIo,
  env: Env,
): Promise<AdminGraphToken> {
  const timeout = positiveInt(opts.timeout, "--timeout", command, 24 * 3600, 1); // 0 would time out at once
  const noBrowser = opts.browser === false || env["SAMKIT_NO_BROWSER"] === "1";
  // Off a terminal nobody can finish a browser sign-in on this machine's loopback port (the
  // command would block until --timeout): use a device code unless the browser flow was asked for
  // explicitly with --no-browser (print the URL).
  const deviceCode = opts.deviceCode === true || (!noBrowser && io.stderr.isTTY !== true);
  if (deviceCode && opts.deviceCode !== true) io.stderr.write("Not on a terminal: signing in with a device code (pass --device-code to choose it explicitly).\n");
  const { adminGraphToken } = await import("../../../provision/admin-signin.js");
  return adminGraphToken({
    command,
    cloud: deps.cloud,
    http: deps.http,
    ...(deps.tenant !== undefined ? { tenant: deps.tenant } : {}),
    method: deviceCode ? "device-code" : "browser",
    ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
    onAuthorizeUrl: (url) => {
      io.stderr.write(`Open this URL and sign in as a partner admin (Application Administrator or Global Administrator):\n${url}\n`);
    },
    onDeviceCode: (s) => {
      // One prompt, built from the fields: the platform's `message` repeats the same URL and code.
      io.stderr.write(
        `Sign in as a partner admin (Application Administrator or Global Administrator): enter the code ${s.userCode} at ${s.verificationUri}\n`,
      );
    },
    ...(noBrowser
      ? {}
      : {
          openBrowser: async (url: string) => {
            const { default: open } = await import("open");
            await open(url);
          },
        }),
  });
}
