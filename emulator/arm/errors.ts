/**
 * Azure Resource Manager's error body: `{"error":{"code","message"}}`.
 * @see https://learn.microsoft.com/azure/azure-resource-manager/troubleshooting/common-deployment-errors
 * @see https://github.com/Azure/azure-rest-api-specs/blob/main/specification/common-types/resource-management/v5/types.json (ErrorResponse)
 */

/** Builds an ARM error response. */
export function armError(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", ...headers },
  });
}
