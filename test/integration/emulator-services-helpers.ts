/**
 * Helpers for the resource-service tests (Partner Center, Graph, ARM, Key Vault): start an
 * EmulatorServer, read its world, and obtain real tokens from its identity endpoints over HTTP.
 */
import { readFile } from "node:fs/promises";
import { Agent, fetch as undiciFetch } from "undici";
import { EmulatorServer, type EmulatorCloudInfo, type EmulatorServerOptions } from "../../emulator/index.js";

export const PC = "https://api.partnercenter.microsoft.com";
export const GRAPH = "https://graph.microsoft.com";
export const ARM = "https://management.azure.com";

export interface WorldJson {
  partnerTenantId: string;
  samApp: { clientId: string; clientSecret: string };
  customers: { tenantId: string; domain: string; name: string; state: string; consented: boolean; gdap: boolean }[];
  users: { username: string; password: string; mfa: boolean }[];
}

export interface Started {
  emu: EmulatorServer;
  cloud: EmulatorCloudInfo;
  world: WorldJson;
  /** fetch that trusts the emulator's CA when it serves HTTPS. */
  fetch: (url: string, init?: { method?: string; headers?: Record<string, string>; body?: string | URLSearchParams }) => Promise<Response>;
  /** Stops the emulator and closes the HTTPS pool. */
  stop: () => Promise<void>;
}

export async function startEmulator(options: EmulatorServerOptions = {}): Promise<Started> {
  const emu = new EmulatorServer(options);
  const cloud = await emu.start();
  const dispatcher = cloud.caCertPath ? new Agent({ connect: { ca: await readFile(cloud.caCertPath, "utf8") } }) : undefined;
  const f: Started["fetch"] = (url, init = {}) =>
    (dispatcher ? undiciFetch(url, { ...init, dispatcher }) : fetch(url, init));
  const world = (await (await f(`${cloud.url}/_emulator/world`)).json()) as WorldJson;
  return {
    emu,
    cloud,
    world,
    fetch: f,
    stop: async () => {
      await dispatcher?.close();
      await emu.stop();
    },
  };
}

export interface TokenResult {
  status: number;
  body: Record<string, unknown>;
}

async function tokenRequest(s: Started, tenant: string, form: Record<string, string>): Promise<TokenResult> {
  const r = await s.fetch(`${s.cloud.url}/${tenant}/oauth2/v2.0/token`, { method: "POST", body: new URLSearchParams(form) });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

/** Client-credentials token of the SAM app in `tenant` for `resource` (access token string). */
export async function appToken(s: Started, tenant: string, resource: string): Promise<string> {
  const t = await tokenRequest(s, tenant, {
    grant_type: "client_credentials",
    client_id: s.world.samApp.clientId,
    client_secret: s.world.samApp.clientSecret,
    scope: `${resource}/.default`,
  });
  if (t.status !== 200) throw new Error(`client credentials failed: ${JSON.stringify(t.body)}`);
  return String(t.body["access_token"]);
}

/**
 * Device-code sign-in of `username` with the SAM app, approved through the control API
 * (`mfa` as given); returns the partner refresh token.
 */
export async function signIn(s: Started, username: string, mfa: boolean): Promise<string> {
  const dc = await s.fetch(`${s.cloud.url}/organizations/oauth2/v2.0/devicecode`, {
    method: "POST",
    body: new URLSearchParams({ client_id: s.world.samApp.clientId, scope: `${PC}/user_impersonation offline_access` }),
  }).then((r) => r.json() as Promise<Record<string, string>>);
  const ok = await s.fetch(`${s.cloud.url}/_emulator/devicecode/approve`, {
    method: "POST",
    body: JSON.stringify({ userCode: dc["user_code"], username, mfa }),
  });
  if (!ok.ok) throw new Error(`approve failed: ${await ok.text()}`);
  const t = await tokenRequest(s, "organizations", {
    grant_type: "device_code",
    client_id: s.world.samApp.clientId,
    device_code: String(dc["device_code"]),
  });
  if (t.status !== 200) throw new Error(`device code failed: ${JSON.stringify(t.body)}`);
  return String(t.body["refresh_token"]);
}

/** Redeems a refresh token at `tenant` for `resource` (the raw response). */
export function redeem(s: Started, refreshToken: string, tenant: string, resource: string): Promise<TokenResult> {
  return tokenRequest(s, tenant, {
    grant_type: "refresh_token",
    client_id: s.world.samApp.clientId,
    client_secret: s.world.samApp.clientSecret,
    refresh_token: refreshToken,
    scope: `${resource}/.default`,
  });
}

/** {@link redeem}, asserting success; returns the access token. */
export async function delegatedToken(s: Started, refreshToken: string, tenant: string, resource: string): Promise<string> {
  const t = await redeem(s, refreshToken, tenant, resource);
  if (t.status !== 200) throw new Error(`refresh at ${tenant} failed: ${JSON.stringify(t.body)}`);
  return String(t.body["access_token"]);
}

/** Decodes a JWT payload (tests only; no verification). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<string, unknown>;
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** Microsoft Graph Command Line Tools (first-party public client, usable before any app exists). */
export const GRAPH_CLI = "14d82eec-204b-4c2f-b7e8-296a70dab67e";

/** Device-code sign-in of `username` with a public `clientId`; returns the access token for `scope`. */
export async function publicClientToken(s: Started, clientId: string, username: string, scope: string): Promise<string> {
  const dc = await s.fetch(`${s.cloud.url}/organizations/oauth2/v2.0/devicecode`, {
    method: "POST",
    body: new URLSearchParams({ client_id: clientId, scope }),
  }).then((r) => r.json() as Promise<Record<string, string>>);
  await s.fetch(`${s.cloud.url}/_emulator/devicecode/approve`, { method: "POST", body: JSON.stringify({ userCode: dc["user_code"], username }) });
  const t = await tokenRequest(s, "organizations", { grant_type: "device_code", client_id: clientId, device_code: String(dc["device_code"]) });
  if (t.status !== 200) throw new Error(`device code failed: ${JSON.stringify(t.body)}`);
  return String(t.body["access_token"]);
}

/** Client credentials with an explicit secret (raw response). */
export function clientCredentials(s: Started, tenant: string, clientId: string, form: Record<string, string>, resource = GRAPH): Promise<TokenResult> {
  return tokenRequest(s, tenant, { grant_type: "client_credentials", client_id: clientId, scope: `${resource}/.default`, ...form });
}
