/**
 * The emulated Key Vault (secrets) at the root of its own origin (CONTRACTS §1; the SDK cannot use
 * a path prefix, facts/sdk-interop.md). One vault per world: `reset()` builds a new world and so
 * an empty vault — unless a data folder is configured, in which case the vault is re-read from
 * `{dataDir}/keyvault.json` (persistence across restarts and resets).
 */
import type { Hono } from "hono";
import type { EmulatorContext } from "../context.js";
import type { World } from "../world.js";
import { vaultGate } from "./auth.js";
import { createVaultRoutes } from "./routes.js";
import { VaultStore } from "./store.js";

export { VaultStore } from "./store.js";
export { vaultChallenge } from "./auth.js";

/** Extra options of the vault app (the server passes `dataDir` from `--data-dir`). */
export interface KeyVaultAppOptions {
  /** Folder for `keyvault.json`; absent = memory only. */
  readonly dataDir?: string | undefined;
}

/**
 * Builds the Key Vault app. Routes (all need `api-version`, 7.x or dated like 2025-07-01):
 * `PUT|GET|PATCH /secrets/{name}[/{version}]`, `GET /secrets`, `GET /secrets/{name}/versions`,
 * `DELETE /secrets/{name}`, `GET /deletedsecrets[/{name}]`, `DELETE /deletedsecrets/{name}` (purge),
 * `POST /deletedsecrets/{name}/recover`.
 */
export function createKeyVaultApp(ctx: EmulatorContext, options: KeyVaultAppOptions = {}): Hono {
  const dataDir = options.dataDir ?? (ctx.options as { readonly dataDir?: string | undefined }).dataDir;
  const stores = new WeakMap<World, VaultStore>();
  const storeFor = (): VaultStore => {
    const world = ctx.world;
    let store = stores.get(world);
    if (!store) {
      store = new VaultStore({ now: () => ctx.clock.nowSeconds(), dataDir, live: world.vaultSecrets });
      stores.set(world, store);
    }
    return store;
  };
  return createVaultRoutes(storeFor, vaultGate(ctx));
}
