/**
 * `Retry-After` parsing. RFC 9110 §10.2.3: either `delay-seconds` (non-negative integer) or an
 * HTTP-date. Azure services may also send `retry-after-ms` / `x-ms-retry-after-ms`
 * (milliseconds), which the Azure SDK's throttling policy honours first.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @see https://learn.microsoft.com/azure/architecture/best-practices/retry-service-specific
 */

/**
 * Seconds to wait according to the response headers, or `undefined` when none is usable.
 * A date in the past gives 0. Fractions (from the `-ms` headers) are kept.
 *
 * @param headers Lower-cased response headers.
 * @param nowMs Current time, epoch milliseconds (for HTTP-date values).
 */
export function retryAfterSeconds(headers: Readonly<Record<string, string>>, nowMs: number): number | undefined {
  for (const name of ["retry-after-ms", "x-ms-retry-after-ms"]) {
    const v = headers[name]?.trim();
    if (v !== undefined && /^\d+(\.\d+)?$/.test(v)) return Number(v) / 1000;
  }
  const v = headers["retry-after"]?.trim();
  if (v === undefined || v === "") return undefined;
  if (/^\d+$/.test(v)) return Number(v);
  if (/^\d+\.\d+$/.test(v)) return Number(v); // not RFC, seen in the wild
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, (at - nowMs) / 1000);
}
