import { SamkitError } from "../errors/index.js";

/**
 * Placeholder values CIPP's deployment template writes before setup runs; they mean "unset"
 * (facts/partner-center.md §7).
 */
const TEMPLATE_VALUES = new Set(["longapplicationid", "appsecret", "refreshtoken", "tenantid"]);

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN_RE = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Leading/trailing whitespace, including CR/LF and a UTF-8 byte-order mark. */
export function trimSecret(value: string): string {
  return value.replace(/^[\s\uFEFF]+|[\s\uFEFF]+$/g, "");
}

/** True when `value` is empty or one of the deployment-template placeholders. */
export function isUnsetValue(value: string): boolean {
  const t = trimSecret(value);
  return t === "" || TEMPLATE_VALUES.has(t.toLowerCase());
}

/** What kind of value a secret holds, for validation messages. */
export type SecretKind = "refresh token" | "client ID" | "tenant ID" | "client secret";

function invalid(name: string, what: SecretKind, reason: string): SamkitError {
  return new SamkitError("SAMKIT_STORE_SECRET_INVALID", { params: { name, what, reason } });
}

/**
 * Describes why a token-like value is malformed, without echoing it: quotes around it, a line
 * break or space inside it, a control or non-ASCII character. `undefined` when it is fine.
 */
function tokenProblem(v: string): string | undefined {
  const first = v[0];
  const last = v[v.length - 1];
  if ((first === '"' || first === "'") && (last === '"' || last === "'")) return "it is wrapped in quotes";
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return `it contains a line break at position ${i + 1}`;
    if (c === 0x20 || c === 0x09) return `it contains whitespace at position ${i + 1}`;
    if (c === 0x22 || c === 0x27 || c === 0x60 || c === 0x5c)
      return `it contains a quote or backslash at position ${i + 1}`;
    if (c < 0x21 || c > 0x7e) return `it contains a control or non-ASCII character at position ${i + 1}`;
  }
  return undefined;
}

/**
 * Trims and validates a stored value. Returns `undefined` for unset values (empty or a template
 * placeholder). Never includes the value in the error.
 * @param name the secret's name, quoted in the error (e.g. `contoso-RefreshToken`)
 * @throws SamkitError `SAMKIT_STORE_SECRET_INVALID`
 */
export function validateSecretValue(name: string, what: SecretKind, raw: string): string | undefined {
  if (isUnsetValue(raw)) return undefined;
  const v = trimSecret(raw);
  switch (what) {
    case "client ID":
      if (!GUID_RE.test(v)) throw invalid(name, what, tokenProblem(v) ?? "it is not a GUID");
      return v.toLowerCase();
    case "tenant ID":
      if (GUID_RE.test(v)) return v.toLowerCase();
      if (DOMAIN_RE.test(v)) return v.toLowerCase();
      throw invalid(name, what, tokenProblem(v) ?? "it is neither a GUID nor a domain name");
    case "refresh token": {
      const p = tokenProblem(v);
      if (p !== undefined) throw invalid(name, what, p);
      if (v.length < 16) throw invalid(name, what, `it is only ${v.length} characters long`);
      return v;
    }
    case "client secret": {
      const p = tokenProblem(v);
      if (p !== undefined) throw invalid(name, what, p);
      return v;
    }
  }
}
