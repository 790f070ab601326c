/**
 * The broker's default {@link BrokerProfileSource}: the profile layer of src/store
 * (`readProfile`, `updateRefreshToken`; docs/storage.md §2), imported on first use so a warm
 * token cache never loads it.
 */
import { SamkitError } from "../errors/index.js";
import type { PartnerProfile, SecretStore } from "../store/types.js";
import type { BrokerProfileSource } from "./types.js";

/** Options of {@link storeProfileSource}. */
export interface StoreProfileSourceOptions {
  /** Secret-name prefix of the profile (config `profiles.<NAME>.secretPrefix`). */
  readonly secretPrefix?: string;
  /** Cloud reported for a profile without samkit metadata (default `global`). */
  readonly defaultCloud?: string;
}

/** Profile access through the secret store. */
export function storeProfileSource(store: SecretStore, name: string, options: StoreProfileSourceOptions = {}): BrokerProfileSource {
  const profileOptions = {
    ...(options.secretPrefix !== undefined ? { secretPrefix: options.secretPrefix } : {}),
    ...(options.defaultCloud !== undefined ? { defaultCloud: options.defaultCloud } : {}),
  };
  return {
    name,
    async read(callOptions = {}): Promise<PartnerProfile> {
      const { readProfile } = await import("../store/profile.js");
      const p = await readProfile(store, name, {
        ...profileOptions,
        ...(callOptions.abortSignal !== undefined ? { abortSignal: callOptions.abortSignal } : {}),
      });
      if (p === undefined) {
        throw new SamkitError("SAMKIT_STORE_PROFILE_NOT_FOUND", { params: { profile: name, store: store.description } });
      }
      return p;
    },
    async saveRefreshToken(_profile, refreshToken, rotatedAtIso): Promise<boolean> {
      const { updateRefreshToken } = await import("../store/profile.js");
      return updateRefreshToken(store, name, refreshToken, rotatedAtIso, profileOptions);
    },
    withLock: (fn) => store.withLock(fn),
    async readRefreshToken(): Promise<{ token?: string; rotatedAtMs?: number }> {
      const [{ profileSecretNames }, { storedRotationMs }, { validateSecretValue }] = await Promise.all([
        import("../store/names.js"),
        import("../store/profile.js"),
        import("../store/validate.js"),
      ]);
      const secretName = profileSecretNames(name, options.secretPrefix).refreshToken;
      const secret = await store.get(secretName);
      if (secret === undefined) return {};
      const token = validateSecretValue(secretName, "refresh token", secret.value);
      return token === undefined ? {} : { token, rotatedAtMs: storedRotationMs(secret) };
    },
  };
}
