/**
 * The `emulator` cloud: Microsoft's real resource identifiers and scopes with the emulator's
 * endpoints (CONTRACTS §1). Built from the JSON the emulator prints on its ready line and serves
 * at `GET /_emulator/cloud`.
 */
import { z } from "zod/v3";
import { SamkitError } from "../errors/index.js";
import type { HttpClient } from "../http/types.js";
import { GLOBAL_CLOUD } from "./table.js";
import type { CloudDefinition, CloudResource } from "./types.js";

const origin = z
  .string()
  .url()
  .transform((u) => u.replace(/\/+$/, ""));

/** Schema of the emulator's cloud definition (ready line and `GET /_emulator/cloud`). */
export const emulatorCloudInfoSchema = z.object({
  url: origin,
  authorityHost: origin,
  partnerCenterUrl: origin,
  graphUrl: origin,
  armUrl: origin,
  keyVaultUrl: origin,
  partnerTenantId: z.string().min(1),
  caCertPath: z.string().nullable().optional(),
});

/** The emulator's cloud definition, as printed on its ready line (CONTRACTS §1). URLs are origins. */
export type EmulatorCloudInfo = z.infer<typeof emulatorCloudInfoSchema>;

/**
 * Build the `emulator` {@link CloudDefinition} from the emulator's ready JSON. Resource IDs and
 * scopes are the global cloud's; endpoints are the emulator's listeners. AAD Graph and Exchange
 * are not emulated: their endpoints point at the emulator's Graph listener so nothing leaves
 * 127.0.0.1.
 *
 * @throws SamkitError `SAMKIT_CLOUD_EMULATOR_UNREADABLE` when `info` does not match the schema.
 */
export function emulatorCloud(info: unknown): CloudDefinition {
  const parsed = emulatorCloudInfoSchema.safeParse(info);
  if (!parsed.success) {
    const url = typeof info === "object" && info !== null && "url" in info ? String((info).url) : "(unknown)";
    throw new SamkitError("SAMKIT_CLOUD_EMULATOR_UNREADABLE", {
      params: { url, detail: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ") },
    });
  }
  const e = parsed.data;
  const g = GLOBAL_CLOUD.resources;
  const at = (r: CloudResource, endpoint: string): CloudResource => ({ ...r, endpoint });
  return {
    name: "emulator",
    displayName: `samkit emulator (${e.url})`,
    authorityHost: e.authorityHost,
    authorityAliases: [new URL(e.authorityHost).host],
    keyVaultDnsSuffix: e.keyVaultUrl,
    resources: {
      "partner-center": at(g["partner-center"], e.partnerCenterUrl),
      graph: at(g.graph, e.graphUrl),
      arm: at(g.arm, e.armUrl),
      "aad-graph": at(g["aad-graph"], e.graphUrl),
      exchange: at(g.exchange, e.graphUrl),
      keyvault: at(g.keyvault, e.keyVaultUrl),
    },
    partnerTenantId: e.partnerTenantId,
    caCertPath: e.caCertPath ?? null,
  };
}

/** Options for {@link loadEmulatorCloud}. */
export interface LoadEmulatorCloudOptions {
  readonly abortSignal?: AbortSignal;
}

/**
 * Read the emulator's cloud definition with `GET {identityUrl}/_emulator/cloud` (CONTRACTS §1)
 * and build the `emulator` cloud from it. Callers keep the result with the profile.
 *
 * @param identityUrl The emulator's identity origin (`SAMKIT_EMULATOR_URL`).
 * @throws SamkitError `SAMKIT_CLOUD_EMULATOR_UNREADABLE` on a non-200 answer or a bad body;
 *   `SAMKIT_HTTP_*` when the emulator cannot be reached.
 */
export async function loadEmulatorCloud(
  identityUrl: string,
  http: HttpClient,
  options: LoadEmulatorCloudOptions = {},
): Promise<CloudDefinition> {
  let base: URL;
  try {
    base = new URL(identityUrl);
  } catch {
    throw new SamkitError("SAMKIT_CLOUD_EMULATOR_UNREADABLE", { params: { url: identityUrl, detail: "not a URL" } });
  }
  const url = new URL("/_emulator/cloud", base);
  const res = await http.request({
    method: "GET",
    url,
    headers: { accept: "application/json" },
    service: "other",
    ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
  });
  if (res.status !== 200) {
    throw new SamkitError("SAMKIT_CLOUD_EMULATOR_UNREADABLE", {
      params: { url: base.origin, detail: `HTTP ${res.status}` },
      status: res.status,
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    throw new SamkitError("SAMKIT_CLOUD_EMULATOR_UNREADABLE", { params: { url: base.origin, detail: "body is not JSON" } });
  }
  return emulatorCloud(body);
}
