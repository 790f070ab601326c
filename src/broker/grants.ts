import type { BrokerGrants } from "./types.js";

/**
 * The default grants: src/oauth on openid-client. Imported only when a token must be redeemed,
 * so a warm cache never loads openid-client.
 */
export async function loadDefaultGrants(): Promise<BrokerGrants> {
  const oauth = await import("../oauth/grants.js");
  return { redeemRefreshToken: oauth.redeemRefreshToken, clientCredentials: oauth.clientCredentials };
}
