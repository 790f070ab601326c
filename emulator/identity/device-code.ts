/**
 * Device authorization grant state changes (RFC 8628; Entra `devicecode` endpoint).
 * @see shared/facts/identity-platform.md §4
 */
import { randomBytes, randomInt } from "node:crypto";
import type { EmulatorContext } from "../context.js";
import type { DeviceCodeRecord } from "./state.js";

/** Device codes live 15 minutes (Entra default `expires_in` 900). */
export const DEVICE_CODE_LIFETIME_SECONDS = 900;
/** Polling interval, seconds. */
export const DEVICE_CODE_INTERVAL_SECONDS = 5;

const USER_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** Create and store a pending device authorization. */
export function createDeviceCode(ctx: EmulatorContext, input: { clientId: string; tenantId: string; scopes: readonly string[]; resource?: string }): DeviceCodeRecord {
  let userCode: string;
  do {
    userCode = Array.from({ length: 9 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join("");
  } while (ctx.identity.deviceCodesByUserCode.has(userCode));
  const rec: DeviceCodeRecord = {
    deviceCode: `DAQABIQEAAAB${randomBytes(48).toString("base64url")}`,
    userCode,
    clientId: input.clientId,
    tenantId: input.tenantId,
    scopes: input.scopes,
    ...(input.resource !== undefined ? { resource: input.resource } : {}),
    expiresAt: ctx.clock.nowSeconds() + DEVICE_CODE_LIFETIME_SECONDS,
    interval: DEVICE_CODE_INTERVAL_SECONDS,
    status: "pending",
  };
  ctx.identity.deviceCodes.set(rec.deviceCode, rec);
  ctx.identity.deviceCodesByUserCode.set(userCode, rec);
  return rec;
}

/** Find a device code by user code (case-insensitive, dashes/spaces ignored). */
export function findByUserCode(ctx: EmulatorContext, userCode: string): DeviceCodeRecord | undefined {
  return ctx.identity.deviceCodesByUserCode.get(userCode.replace(/[\s-]/g, "").toUpperCase());
}

/**
 * Approve a pending device code as `username`. `mfa` defaults to whether the user has MFA;
 * `amr` is `["pwd","mfa"]` with MFA, else `["pwd"]`.
 */
export function approveDeviceCode(ctx: EmulatorContext, userCode: string, username: string, mfa?: boolean): { ok: true } | { ok: false; message: string } {
  const rec = findByUserCode(ctx, userCode);
  if (!rec) return { ok: false, message: `Unknown user code '${userCode}'.` };
  if (rec.status !== "pending") return { ok: false, message: `Device code is already ${rec.status}.` };
  if (ctx.clock.nowSeconds() >= rec.expiresAt) return { ok: false, message: "Device code expired." };
  const user = ctx.world.userByUpn(username);
  if (!user) return { ok: false, message: `Unknown user '${username}'.` };
  const withMfa = mfa ?? user.mfa;
  rec.status = "approved";
  rec.userObjectId = user.objectId;
  rec.amr = withMfa ? ["pwd", "mfa"] : ["pwd"];
  rec.authTime = ctx.clock.nowSeconds();
  rec.sid = crypto.randomUUID();
  return { ok: true };
}

/** Decline a pending device code (the poll then gets `authorization_declined`). */
export function declineDeviceCode(ctx: EmulatorContext, userCode: string): { ok: true } | { ok: false; message: string } {
  const rec = findByUserCode(ctx, userCode);
  if (!rec) return { ok: false, message: `Unknown user code '${userCode}'.` };
  if (rec.status !== "pending") return { ok: false, message: `Device code is already ${rec.status}.` };
  rec.status = "declined";
  return { ok: true };
}
