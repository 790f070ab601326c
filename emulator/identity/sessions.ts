/**
 * Session revocation (Graph `revokeSignInSessions`, password reset): every refresh token of the
 * user dies (AADSTS50173) and access tokens issued before now fail `verifyAccessToken` (CAE).
 * @see shared/facts/identity-platform.md §8
 */
import type { EmulatorContext } from "../context.js";

/**
 * Revoke every session of a user: marks their refresh tokens revoked and sets
 * `sessionsValidFromSeconds` to now. Returns how many live refresh tokens were revoked.
 */
export function revokeUserSessions(ctx: EmulatorContext, userObjectId: string): number {
  const u = ctx.world.userById(userObjectId);
  if (u) u.sessionsValidFromSeconds = ctx.clock.nowSeconds();
  return ctx.identity.revokeUser(userObjectId);
}

/** Reset a user's password (revokes their sessions like an admin reset does). */
export function resetUserPassword(ctx: EmulatorContext, userObjectId: string, password: string): void {
  const u = ctx.world.userById(userObjectId);
  if (!u) return;
  u.password = password;
  revokeUserSessions(ctx, userObjectId);
}
