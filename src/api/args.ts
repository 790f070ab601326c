/**
 * `samkit api` arguments → {@link ApiRequestSpec}. One option table ({@link API_OPTIONS}) drives
 * both this parser (node:util `parseArgs`, used by `samkit foreach -- api ARGS` in-process) and the
 * commander definition of the `api` command, so both accept exactly the same flags.
 *
 * Conventions follow `gh api`: `-f key=value` adds a string field, `-F key=value` a typed one
 * (`true`, `false`, `null`, integers); fields become query parameters on GET/DELETE/HEAD and a JSON
 * object body otherwise. Unlike `gh api`, fields alone do not switch the method to POST (so
 * `-f '$top=5'` stays a GET query, which is what Graph and ARM list calls need); `--input` does.
 * @see https://cli.github.com/manual/gh_api
 */
import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { SamkitError } from "../errors/index.js";
import type { ApiRequestSpec } from "./types.js";

/** One `samkit api` option: long name, optional short letter, value placeholder, help text. */
export interface ApiOptionDefinition {
  readonly long: string;
  readonly short?: string;
  /** Value placeholder (e.g. `METHOD`); absent for boolean flags. */
  readonly value?: string;
  readonly multiple?: boolean;
  readonly description: string;
}

/** Every `samkit api` option, in help order. */
export const API_OPTIONS: readonly ApiOptionDefinition[] = [
  { long: "method", short: "X", value: "METHOD", description: "HTTP method (default GET, or POST with --input)" },
  {
    long: "resource",
    value: "ALIAS|URI",
    description: "partner-center, graph, arm, keyvault, exchange, aad-graph, or a resource URI (default: inferred from a full URL or the path's version prefix)",
  },
  { long: "tenant", value: "TENANT", description: "customer tenant ID or domain to call in (default: the partner tenant)" },
  { long: "app-only", description: "use an app-only (client credentials) token instead of App+User" },
  { long: "header", short: "H", value: "'KEY: VALUE'", multiple: true, description: "add a request header (repeatable)" },
  { long: "raw-field", short: "f", value: "KEY=VALUE", multiple: true, description: "add a string field (repeatable): query parameter on GET/DELETE, JSON body field with -X POST/PUT/PATCH" },
  { long: "field", short: "F", value: "KEY=VALUE", multiple: true, description: "add a typed field: true, false, null and integers are JSON values (repeatable)" },
  { long: "input", value: "FILE|-", description: "read the request body from FILE, or stdin with -" },
  { long: "paginate", description: "follow next links (Partner Center continuation, Graph @odata.nextLink, ARM nextLink) and merge the items into one JSON array" },
  { long: "jsonl", description: "print one item per line (JSON Lines) instead of one JSON document" },
];

/** The raw option values, as either parser produces them. */
export interface RawApiArgs {
  readonly method?: string;
  readonly resource?: string;
  readonly tenant?: string;
  readonly appOnly?: boolean;
  readonly header?: readonly string[];
  readonly rawField?: readonly string[];
  readonly field?: readonly string[];
  readonly input?: string;
  readonly paginate?: boolean;
  readonly jsonl?: boolean;
}

/** How to read `--input`; tests and the fan-out runner may inject one. Default: file or stdin. */
export interface ApiArgsIo {
  readonly readInput?: (fileOrDash: string) => Promise<string>;
}

const METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
const QUERY_METHODS = new Set(["GET", "DELETE", "HEAD", "OPTIONS"]);

function usage(detail: string): SamkitError {
  return new SamkitError("SAMKIT_USAGE", { params: { detail, command: "api" } });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}

async function defaultReadInput(fileOrDash: string): Promise<string> {
  if (fileOrDash === "-") return readStdin();
  try {
    return await readFile(fileOrDash, "utf8");
  } catch (cause) {
    throw new SamkitError("SAMKIT_INVALID_INPUT", { params: { detail: `cannot read --input file '${fileOrDash}'` }, cause });
  }
}

function splitField(raw: string, flag: string): [string, string] {
  const i = raw.indexOf("=");
  if (i <= 0) throw usage(`${flag} expects KEY=VALUE, got '${raw}'`);
  return [raw.slice(0, i), raw.slice(i + 1)];
}

function typedValue(v: string): string | number | boolean | null {
  if (v === "true") return true;
  if (v === "false") return false;
  if (v === "null") return null;
  if (/^-?(0|[1-9]\d{0,14})$/.test(v)) return Number(v);
  return v;
}

/**
 * Parse one `-H` value (`Key: Value`, as curl and `gh api` take it).
 * @throws SamkitError `SAMKIT_USAGE` when there is no `:` or the name is empty; a header
 * carrying CR/LF is refused too (header injection).
 */
export function parseHeader(raw: string): [string, string] {
  const i = raw.indexOf(":");
  const name = i < 0 ? "" : raw.slice(0, i).trim();
  if (name === "" || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw usage(`-H expects 'Key: Value', got '${raw}'`);
  const value = raw.slice(i + 1).trim();
  if (/[\r\n]/.test(value)) throw usage(`header ${name} contains a line break`);
  return [name, value];
}

/**
 * Turn parsed option values plus the path into a spec: validates the method, headers and fields,
 * reads `--input` once (so a fan-out reuses the same body for every tenant).
 * @throws SamkitError `SAMKIT_USAGE` (exit 2) for bad flags; `SAMKIT_INVALID_INPUT` for an
 * unreadable `--input` file.
 */
export async function buildApiRequestSpec(path: string | undefined, raw: RawApiArgs, io: ApiArgsIo = {}): Promise<ApiRequestSpec> {
  if (path === undefined || path.trim() === "") throw usage("missing PATH (e.g. /v1/customers, /v1.0/users or a full URL)");
  const headers: Record<string, string> = {};
  for (const h of raw.header ?? []) {
    const [k, v] = parseHeader(h);
    const existing = Object.keys(headers).find((x) => x.toLowerCase() === k.toLowerCase());
    if (existing !== undefined) delete headers[existing];
    headers[k] = v;
  }
  const fields: [string, string | number | boolean | null][] = [];
  for (const f of raw.rawField ?? []) fields.push(splitField(f, "-f"));
  for (const f of raw.field ?? []) {
    const [k, v] = splitField(f, "-F");
    fields.push([k, typedValue(v)]);
  }
  let input: string | undefined;
  if (raw.input !== undefined) input = await (io.readInput ?? defaultReadInput)(raw.input);

  const method = (raw.method ?? (input !== undefined ? "POST" : "GET")).toUpperCase();
  if (!METHODS.has(method)) throw usage(`unsupported method '${raw.method ?? ""}' (use GET, POST, PUT, PATCH, DELETE, HEAD or OPTIONS)`);

  const query: [string, string][] = [];
  let body: string | undefined;
  if (input !== undefined) {
    body = input;
    for (const [k, v] of fields) query.push([k, v === null ? "" : String(v)]);
  } else if (fields.length > 0) {
    if (QUERY_METHODS.has(method)) {
      for (const [k, v] of fields) query.push([k, v === null ? "" : String(v)]);
    } else {
      body = JSON.stringify(Object.fromEntries(fields));
    }
  }
  if (body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) {
    headers["Content-Type"] = "application/json";
  }
  if (raw.tenant !== undefined && raw.tenant.trim() === "") throw usage("--tenant needs a tenant ID or domain");
  if (raw.resource !== undefined && raw.resource.trim() === "") throw usage("--resource needs an alias or a URI");

  return {
    method,
    path: path.trim(),
    ...(raw.resource !== undefined ? { resource: raw.resource.trim() } : {}),
    ...(raw.tenant !== undefined ? { tenant: raw.tenant.trim() } : {}),
    appOnly: raw.appOnly === true,
    headers,
    query,
    ...(body !== undefined ? { body } : {}),
    paginate: raw.paginate === true,
    jsonl: raw.jsonl === true,
  };
}

function camel(long: string): string {
  return long.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Parse `samkit api` arguments (everything after `api`), e.g.
 * `["/v1.0/users", "--paginate", "-H", "ConsistencyLevel: eventual"]`.
 * Used by `samkit foreach -- api ARGS`; the CLI command accepts the same flags.
 * @throws SamkitError `SAMKIT_USAGE` for unknown flags, a missing PATH or extra arguments.
 */
export async function parseApiArgs(args: readonly string[], io: ApiArgsIo = {}): Promise<ApiRequestSpec> {
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const o of API_OPTIONS) {
    options[o.long] = {
      type: o.value === undefined ? "boolean" : "string",
      ...(o.short !== undefined ? { short: o.short } : {}),
      ...(o.multiple ? { multiple: true } : {}),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (cause) {
    throw new SamkitError("SAMKIT_USAGE", { params: { detail: cause instanceof Error ? cause.message : String(cause), command: "api" }, cause });
  }
  const positionals = parsed.positionals;
  if (positionals.length > 1) throw usage(`expected one PATH, got ${positionals.length}: ${positionals.join(" ")}`);
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(parsed.values)) raw[camel(k)] = v;
  const rawArgs: RawApiArgs = raw;
  return buildApiRequestSpec(positionals[0], rawArgs, io);
}
