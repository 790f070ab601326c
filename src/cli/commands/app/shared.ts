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
  readonly stderr: { write(chunk: string): unknown };
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
  const timeout = positiveInt(opts.timeout, "--timeout", command, 24 * 3600);
  const noBrowser = opts.browser === false || env["SAMKIT_NO_BROWSER"] === "1";
  const { adminGraphToken } = await import("../../../provision/admin-signin.js");
  return adminGraphToken({
    cloud: deps.cloud,
    http: deps.http,
    ...(deps.tenant !== undefined ? { tenant: deps.tenant } : {}),
    method: opts.deviceCode === true ? "device-code" : "browser",
    ...(timeout !== undefined ? { timeoutMs: timeout * 1000 } : {}),
    onAuthorizeUrl: (url) => {
      io.stderr.write(`Open this URL and sign in as a partner admin (Application Administrator or Global Administrator):\n${url}\n`);
    },
    onDeviceCode: (s) => {
      io.stderr.write(`${s.message}\n(code ${s.userCode} at ${s.verificationUri})\n`);
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
