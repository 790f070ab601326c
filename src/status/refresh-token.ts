import type { RefreshTokenStatus } from "./types.js";

/**
 * Microsoft expires a refresh token after 90 days without use (AADSTS700082).
 * @see https://learn.microsoft.com/entra/identity-platform/refresh-tokens
 */
export const INACTIVITY_WINDOW_DAYS = 90;
const DAY_MS = 86_400_000;

/**
 * The 90-day window of the stored refresh token, from its rotation time (`rotatedAtIso`) at
 * `nowMs` (epoch ms, from `src/clock.ts`). `warnDays`: fewer days left than this is `expiring`.
 */
export function refreshTokenStatus(
  present: boolean,
  rotatedAtIso: string | undefined,
  persistedAtIso: string | undefined,
  nowMs: number,
  warnDays = 14,
): RefreshTokenStatus {
  if (!present) {
    return {
      present: false,
      rotatedAt: null,
      persistedAt: null,
      ageDays: null,
      daysLeft: null,
      inactivityExpiresAt: null,
      state: "missing",
    };
  }
  const rotated = rotatedAtIso === undefined ? NaN : Date.parse(rotatedAtIso);
  if (!Number.isFinite(rotated)) {
    return {
      present: true,
      rotatedAt: null,
      persistedAt: persistedAtIso ?? null,
      ageDays: null,
      daysLeft: null,
      inactivityExpiresAt: null,
      state: "ok",
    };
  }
  const expires = rotated + INACTIVITY_WINDOW_DAYS * DAY_MS;
  const ageDays = Math.max(0, Math.floor((nowMs - rotated) / DAY_MS));
  const leftMs = expires - nowMs;
  // Whole days, consistent with ageDays: a token rotated today has 90 left.
  const daysLeft = leftMs <= 0 ? 0 : Math.max(1, INACTIVITY_WINDOW_DAYS - ageDays);
  const state = leftMs <= 0 ? "expired" : daysLeft < warnDays ? "expiring" : "ok";
  return {
    present: true,
    rotatedAt: new Date(rotated).toISOString(),
    persistedAt: persistedAtIso ?? null,
    ageDays,
    daysLeft,
    inactivityExpiresAt: new Date(expires).toISOString(),
    state,
  };
}

/** Whole days from `nowMs` to `iso` (negative when past), or `null`. */
export function daysUntil(iso: string | null | undefined, nowMs: number): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return null;
  return Math.floor((t - nowMs) / DAY_MS);
}
