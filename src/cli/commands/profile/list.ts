import type { Command } from "commander";
import { isSamkitError } from "../../../errors/index.js";
import { createContext } from "../../context.js";
import { readGlobalOptions } from "../../options.js";
import { printData } from "../../output.js";

/** One row of `samkit profile list` (the `--json` shape). No secret values. */
export interface ProfileListRow {
  readonly profile: string;
  /** The profile selected by --profile / SAMKIT_PROFILE / config. */
  readonly current: boolean;
  readonly secretPrefix: string;
  /** `samkit`, or `foreign` for unprefixed secrets another SAM tool wrote. */
  readonly origin: "samkit" | "foreign";
  readonly cloud: string | null;
  readonly tenantId: string | null;
  readonly clientId: string | null;
  readonly hasClientSecret: boolean;
  readonly hasCertificate: boolean;
  readonly hasRefreshToken: boolean;
  readonly refreshTokenRotatedAt: string | null;
  readonly consentedAt: string | null;
  readonly mfaAtConsent: boolean | null;
  /** Catalogue code when the profile could not be read (e.g. `SAMKIT_STORE_SECRET_INVALID`). */
  readonly error: string | null;
}

/** `samkit profile list`: the profiles in the configured store. */
export async function runProfileList(cmd: Command): Promise<void> {
  const flags = readGlobalOptions(cmd);
  const ctx = createContext(flags);
  const settings = await ctx.settings();
  const store = await ctx.store();
  const { listProfiles, readProfile } = await import("../../../store/profile.js");
  const entries = await listProfiles(store);
  const rows: ProfileListRow[] = [];
  for (const e of entries) {
    const base = {
      profile: e.profile,
      current: e.profile === settings.profile,
      secretPrefix: e.secretPrefix,
      origin: e.origin,
    };
    try {
      const p = await readProfile(store, e.profile, {
        secretPrefix: e.secretPrefix,
        defaultCloud: settings.cloud,
      });
      rows.push({
        ...base,
        cloud: p?.cloud ?? null,
        tenantId: p?.tenantId ?? null,
        clientId: p?.clientId ?? null,
        hasClientSecret: p?.clientSecret !== undefined,
        hasCertificate: p?.certificate !== undefined,
        hasRefreshToken: p?.refreshToken !== undefined,
        refreshTokenRotatedAt: p?.metadata.refreshTokenRotatedAt ?? null,
        consentedAt: p?.metadata.consentedAt ?? null,
        mfaAtConsent: p?.metadata.mfaAtConsent ?? null,
        error: null,
      });
    } catch (err) {
      if (
        !isSamkitError(err) ||
        (!err.code.startsWith("SAMKIT_STORE_SECRET") &&
          !err.code.startsWith("SAMKIT_STORE_PROFILE") &&
          !err.code.startsWith("SAMKIT_STORE_METADATA"))
      )
        throw err;
      rows.push({
        ...base,
        cloud: null,
        tenantId: null,
        clientId: null,
        hasClientSecret: false,
        hasCertificate: false,
        hasRefreshToken: false,
        refreshTokenRotatedAt: null,
        consentedAt: null,
        mfaAtConsent: null,
        error: err.code,
      });
    }
  }
  const json = cmd.opts<{ json?: boolean }>().json === true;
  if (!json && rows.length === 0) {
    process.stderr.write(`No profiles in ${store.description}. Run \`samkit app create\` (or \`samkit app use\`) and then \`samkit consent\`.\n`);
    return;
  }
  printData(rows, {
    json,
    columns: [
      { header: "profile", value: (r) => (r.current ? `${r.profile} *` : r.profile) },
      { header: "cloud", value: (r) => r.cloud },
      { header: "tenant", value: (r) => r.tenantId },
      { header: "client id", value: (r) => r.clientId },
      {
        header: "refresh token",
        value: (r) => r.error ?? (r.hasRefreshToken ? `rotated ${r.refreshTokenRotatedAt ?? "?"}` : "none"),
      },
      { header: "origin", value: (r) => r.origin },
    ],
  });
}
