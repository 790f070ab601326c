import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { SamkitError } from "../../../errors/index.js";
import { createContext } from "../../context.js";
import { readGlobalOptions } from "../../options.js";
import { diag, isTty, printJson } from "../../output.js";
import type { ProfileDeleteOptions } from "./index.js";

/**
 * `samkit profile delete NAME`: deletes every secret of the profile (docs/storage.md §5) and its
 * cached access tokens (`$SAMKIT_HOME/cache/NAME`). Asks on a TTY; needs `--yes` otherwise.
 * @throws SamkitError `SAMKIT_USAGE` (no --yes off a TTY), `SAMKIT_STORE_INVALID_PROFILE_NAME`,
 *   `SAMKIT_STORE_PROFILE_NOT_FOUND`, the store's errors
 */
export async function runProfileDelete(name: string, cmd: Command): Promise<void> {
  const opts = cmd.opts<ProfileDeleteOptions>();
  const flags = readGlobalOptions(cmd);
  const { assertProfileName } = await import("../../../store/names.js");
  assertProfileName(name);
  const ctx = createContext(flags);
  const settings = await ctx.settings();
  const store = await ctx.store();
  const { deleteProfile, listProfiles } = await import("../../../store/profile.js");
  const listed = (await listProfiles(store)).find((e) => e.profile === name);
  const secretPrefix =
    listed?.secretPrefix ??
    settings.file.profiles?.[name]?.secretPrefix ??
    (name === settings.profile ? settings.secretPrefix : undefined);

  if (opts.yes !== true) {
    if (process.stdin.isTTY !== true || !isTty(process.stderr)) {
      throw new SamkitError("SAMKIT_USAGE", {
        params: {
          detail: "Deleting a profile needs --yes when samkit is not running on a terminal.",
          command: "profile delete",
        },
      });
    }
    const { confirm, isCancel } = await import("@clack/prompts");
    const ok = await confirm({
      message: `Delete every secret of profile ${name} from ${store.description}?`,
      initialValue: false,
    });
    if (isCancel(ok) || ok !== true) {
      diag("Nothing deleted.");
      return;
    }
  }
  const deleted = await deleteProfile(store, name, {
    ...(secretPrefix !== undefined ? { secretPrefix } : {}),
    purge: opts.purge === true,
  });
  if (deleted.length === 0) {
    throw new SamkitError("SAMKIT_STORE_PROFILE_NOT_FOUND", {
      params: { profile: name, store: store.description },
    });
  }
  await rm(join(settings.home, "cache", name), { recursive: true, force: true });
  if (opts.json === true) {
    printJson({ profile: name, store: store.description, deleted, purged: opts.purge === true });
  } else {
    diag(`Deleted profile ${name} from ${store.description}: ${deleted.join(", ")}.`);
  }
}
