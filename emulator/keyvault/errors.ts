/**
 * Key Vault's error body: `{"error":{"code","message","innererror"?}}`, the same shape the Azure
 * SDK turns into a `RestError` whose `code` is `error.code` (e.g. `SecretNotFound`).
 * @see https://learn.microsoft.com/rest/api/keyvault/secrets/get-secret/get-secret#keyvaulterror
 */

/** Builds a Key Vault error response. */
export function vaultError(
  status: number,
  code: string,
  message: string,
  options: { innerCode?: string; headers?: Record<string, string> } = {},
): Response {
  const error: { code: string; message: string; innererror?: { code: string } } = { code, message };
  if (options.innerCode !== undefined) error.innererror = { code: options.innerCode };
  return new Response(JSON.stringify({ error }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...options.headers },
  });
}
