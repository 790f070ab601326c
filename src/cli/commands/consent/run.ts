/**
 * `samkit consent` behaviour: flags → {@link runConsent} / {@link importRefreshToken}. The sign-in
 * URL and device-code instructions go to stderr (diagnostics); the result goes to stdout.
 */
import { createContext } from "../../context.js";
import { SamkitError } from "../../../errors/index.js";
import type { ConsentCommandOptions } from "./index.js";
import type { ConfigFlags } from "../../../config/load.js";
import type { ConsentResult } from "../../../provision/consent.js";

/** Where the command reads and writes. */
export interface ConsentIo {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  readonly stdin: AsyncIterable<string | Buffer>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** The shared configuration flags out of a command's options. */
export function configFlags(opts: ConfigFlags): ConfigFlags {
  const out: Record<string, string> = {};
  for (const k of ["profile", "cloud", "emulatorUrl", "store", "vaultUrl", "rotation", "logLevel", "home"] as const) {
    const v = opts[k];
    if (typeof v === "string") out[k] = v;
  }
  return out;
}

/** Parses a whole-number option from `min` (default 0) to `max`; `undefined` when absent. @throws SamkitError `SAMKIT_USAGE` (empty, not a whole number, out of range) */
export function positiveInt(value: string | undefined, flag: string, command: string, max: number, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < min || n > max) {
    throw new SamkitError("SAMKIT_USAGE", { params: { detail: `${flag} must be a whole number from ${min} to ${max} (got '${value}').`, command } });
  }
  return n;
}

async function readStdin(stdin: AsyncIterable<string | Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of stdin) {
    const b = typeof c === "string" ? Buffer.from(c) : c;
    size += b.length;
    if (size > 64 * 1024) throw new SamkitError("SAMKIT_INVALID_INPUT", { params: { detail: "Standard input is larger than 64 KiB; expected one refresh token." } });
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString("utf8").trim();
}

function describe(r: ConsentResult): string {
  return [
    `Consent stored for profile ${r.profile} (${r.store}).`,
    `  partner tenant: ${r.tenantId}`,
    `  app (client ID): ${r.clientId}`,
    `  signed in as:   ${r.user ?? "(not named in the token)"}`,
    `  MFA:            ${r.mfa ? "yes" : "NO"} (amr: ${r.amr.join(", ") || "none"})`,
    `  method:         ${r.method}`,
    "",
  ].join("\n");
}

/** @throws SamkitError usage errors (exit 2), consent and identity errors (exit 1 or 4). */
export async function runConsentCommand(opts: ConsentCommandOptions, io: ConsentIo, env: Env = process.env): Promise<void> {
  // A sign-in needs time: 0 would time out at once (it does not mean "no timeout").
  const timeoutSeconds = positiveInt(opts.timeout, "--timeout", "consent", 24 * 3600, 1);
  const port = positiveInt(opts.port, "--port", "consent", 65535);
  if (opts.deviceCode === true && opts.refreshTokenStdin === true) {
    throw new SamkitError("SAMKIT_USAGE", { params: { detail: "--device-code and --refresh-token-stdin cannot be combined.", command: "consent" } });
  }
  const ctx = createContext(configFlags(opts), env);
  const [settings, cloud, http, store] = await Promise.all([ctx.settings(), ctx.cloud(), ctx.http(), ctx.store()]);
  const common = {
    cloud,
    http,
    store,
    profile: settings.profile,
    ...(settings.secretPrefix !== undefined ? { secretPrefix: settings.secretPrefix } : {}),
    ...(opts.tenant !== undefined ? { tenant: opts.tenant } : {}),
    ...(opts.allowNoMfa === true ? { allowNoMfa: true } : {}),
  };
  const { runConsent, importRefreshToken } = await import("../../../provision/consent.js");
  let result: ConsentResult;
  if (opts.refreshTokenStdin === true) {
    result = await importRefreshToken({ ...common, refreshToken: await readStdin(io.stdin) });
  } else {
    const noBrowser = opts.browser === false || env["SAMKIT_NO_BROWSER"] === "1";
    result = await runConsent({
      ...common,
      method: opts.deviceCode === true ? "device-code" : "browser",
      ...(opts.scope !== undefined ? { extraScopes: opts.scope } : {}),
      ...(timeoutSeconds !== undefined ? { timeoutMs: timeoutSeconds * 1000 } : {}),
      ...(port !== undefined ? { port } : {}),
      onAuthorizeUrl: (url) => {
        io.stderr.write(`Open this URL in a browser and sign in as a partner admin with MFA:\n${url}\n`);
      },
      onDeviceCode: (s) => {
        // One prompt, built from the fields: the platform's `message` repeats the same URL and code.
        io.stderr.write(
          `Sign in as a partner admin with MFA: enter the code ${s.userCode} at ${s.verificationUri} (valid ${Math.round(s.expiresIn / 60)} min)\n`,
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
  // Access tokens cached for the previous consent (maybe another user) must not outlive it.
  const { DiskTokenCache } = await import("../../../broker/disk-cache.js");
  const { profileCacheDir } = await import("../../context.js");
  const path = await import("node:path");
  await new DiskTokenCache({ dir: path.join(profileCacheDir(settings.home, settings.profile), "tokens") }).clear().catch(() => undefined);
  if (!result.mfa) io.stderr.write("warning: the sign-in did not use MFA; Partner Center calls will fail until you consent again with MFA.\n");
  io.stdout.write(opts.json === true ? `${JSON.stringify(result, null, 2)}\n` : describe(result));
}
