/**
 * Reference for bench/token-cli.ts: the same job as `samkit token --resource graph` (print a Graph
 * access token from a warm on-disk cache) written with @azure/msal-node, the way
 * facts/sdk-interop.md §1 describes for a local authority (never-dialled https host +
 * `knownAuthorities` + `authorityMetadata` with the emulator's http endpoints).
 *
 *   node msal-token-cli.mjs --seed   (env: EMU_URL, TENANT, CLIENT_ID, CLIENT_SECRET, REFRESH_TOKEN, CACHE_FILE)
 *   node msal-token-cli.mjs          (prints the cached token; no network when warm)
 *
 * Test/bench code only: MSAL hides refresh tokens, so samkit does not use it at run time.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { ConfidentialClientApplication, type ICachePlugin, type TokenCacheContext } from "@azure/msal-node";

const env = (k: string): string => process.env[k] ?? "";
const emu = env("EMU_URL");
const tenant = env("TENANT");
const host = "login.samkit.test";
const cacheFile = env("CACHE_FILE");
const scopes = ["https://graph.microsoft.com/.default"];

const cachePlugin: ICachePlugin = {
  beforeCacheAccess(ctx: TokenCacheContext): Promise<void> {
    try {
      ctx.tokenCache.deserialize(readFileSync(cacheFile, "utf8"));
    } catch {
      // first run: empty cache
    }
    return Promise.resolve();
  },
  afterCacheAccess(ctx: TokenCacheContext): Promise<void> {
    if (ctx.cacheHasChanged) writeFileSync(cacheFile, ctx.tokenCache.serialize(), { mode: 0o600 });
    return Promise.resolve();
  },
};

const app = new ConfidentialClientApplication({
  auth: {
    clientId: env("CLIENT_ID"),
    clientSecret: env("CLIENT_SECRET"),
    authority: `https://${host}/${tenant}`,
    knownAuthorities: [host],
    authorityMetadata: JSON.stringify({
      issuer: `https://${host}/{tenantid}/v2.0`,
      authorization_endpoint: `${emu}/{tenant}/oauth2/v2.0/authorize`,
      token_endpoint: `${emu}/{tenant}/oauth2/v2.0/token`,
      end_session_endpoint: `${emu}/{tenant}/oauth2/v2.0/logout`,
      jwks_uri: `${emu}/{tenant}/discovery/v2.0/keys`,
    }),
  },
  cache: { cachePlugin },
});

if (process.argv.includes("--seed")) {
  const r = await app.acquireTokenByRefreshToken({ refreshToken: env("REFRESH_TOKEN"), scopes, forceCache: true });
  if (r === null) throw new Error("no token");
} else {
  const [account] = await app.getTokenCache().getAllAccounts();
  if (account === undefined) throw new Error("cold cache: run with --seed first");
  const r = await app.acquireTokenSilent({ account, scopes });
  process.stdout.write(`${r.accessToken}\n`);
}
