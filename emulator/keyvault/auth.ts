/**
 * Key Vault's bearer challenge. A request without a token (the SDK's first, body-less call) or
 * with a bad one gets 401 and
 * `WWW-Authenticate: Bearer authorization="{authorityHost}/{tenant}", resource="https://vault.azure.net"`;
 * the SDK then asks its credential for that tenant and resends. The vault belongs to the partner
 * tenant: tokens of another tenant are refused like Key Vault does (`AKV10032`).
 * @see https://learn.microsoft.com/azure/key-vault/general/authentication-requests-and-responses
 * @see shared/facts/sdk-interop.md §3
 */
import type { Context } from "hono";
import type { EmulatorContext } from "../context.js";
import { verifyBearer } from "../tokens.js";
import { RESOURCE_URIS } from "../well-known.js";
import { vaultError } from "./errors.js";
import type { VaultGate } from "./routes.js";

/** The `WWW-Authenticate` value for the vault (tenant = partner tenant). */
export function vaultChallenge(ctx: EmulatorContext): string {
  return `Bearer authorization="${ctx.urls.authorityHost}/${ctx.world.partnerTenantId}", resource="${RESOURCE_URIS.keyVault}"`;
}

/** The gate used by the emulator's vault. */
export function vaultGate(ctx: EmulatorContext): VaultGate {
  return {
    check(c: Context): Response | undefined {
      const headers = { "www-authenticate": vaultChallenge(ctx) };
      const check = verifyBearer(ctx, c.req.header("authorization"), { audience: RESOURCE_URIS.keyVault });
      if (!check.ok) {
        const message =
          check.reason === "missing"
            ? "AKV10000: Request is missing a Bearer or PoP token."
            : check.reason === "invalid_audience"
              ? `AKV10022: Invalid audience. ${check.message}`
              : `AKV10001: ${check.message}`;
        return vaultError(401, "Unauthorized", message, { headers });
      }
      const partner = ctx.world.partnerTenantId;
      if (check.claims.tid !== partner) {
        return vaultError(
          401,
          "Unauthorized",
          `AKV10032: Invalid issuer. Expected one of https://sts.windows.net/${partner}/, found https://sts.windows.net/${check.claims.tid}/.`,
          { headers },
        );
      }
      return undefined;
    },
  };
}
