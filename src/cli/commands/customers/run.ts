/**
 * `samkit customers list|show|consent` behaviour behind the flags. Each function takes its
 * dependencies (a Partner Center client, and for consent the default-grant lookup) and an output
 * pair, so tests run them in-process.
 */
import { readFile } from "node:fs/promises";
import { z } from "zod/v3";
import { SamkitError, isSamkitError } from "../../../errors/index.js";
import { ExitCode } from "../../../errors/types.js";
import type { PartnerCenterClient } from "../../../partner-center/client.js";
import { consentCustomer, type ConsentCustomerResult } from "../../../partner-center/consent.js";
import type { AppGraphGrants } from "../../../partner-center/default-grants.js";
import type { ApplicationGrant, Customer } from "../../../partner-center/types.js";
import { formatTable, printJson, printJsonLine, type Column } from "../../output.js";

/** Where the commands write. `isTty`: stdout is a terminal (aligned table with a header, colour unless NO_COLOR). */
export interface CustomersOutput {
  readonly stdout: { write(chunk: string): unknown };
  readonly stderr: { write(chunk: string): unknown };
  readonly isTty: boolean;
  /** Colour the table header (decided by the caller: `colorEnabled`, honouring NO_COLOR). */
  readonly color?: boolean;
}

const CUSTOMER_COLUMNS: readonly Column<Customer>[] = [
  { header: "Name", value: (c) => c.companyProfile?.companyName },
  { header: "Domain", value: (c) => c.companyProfile?.domain },
  { header: "Tenant ID", value: (c) => c.companyProfile?.tenantId ?? c.id },
  { header: "Relationship", value: (c) => c.relationshipToPartner },
];

/**
 * `customers list`: every customer once. With `json`, a JSON array of the customers as Partner
 * Center returns them (CONTRACTS §7); otherwise a table (aligned with a header on a terminal,
 * tab-separated without one when piped, like the other samkit tables).
 */
export async function runCustomersList(client: PartnerCenterClient, opts: { readonly json?: boolean }, out: CustomersOutput): Promise<void> {
  const all: Customer[] = [];
  for await (const c of client.listCustomers()) all.push(c);
  if (opts.json) {
    printJson(all, out.stdout);
    return;
  }
  if (all.length === 0) {
    out.stderr.write("No customers.\n");
    return;
  }
  out.stdout.write(formatTable(all, CUSTOMER_COLUMNS, { tty: out.isTty, color: out.color === true }));
}

/** `customers show ID|DOMAIN`. */
export async function runCustomersShow(client: PartnerCenterClient, idOrDomain: string, opts: { readonly json?: boolean }, out: CustomersOutput): Promise<void> {
  const c = await client.resolveCustomer(idOrDomain);
  if (opts.json) {
    printJson(c, out.stdout);
    return;
  }
  const rows: [string, string][] = [
    ["Name", c.companyProfile?.companyName ?? ""],
    ["Domain", c.companyProfile?.domain ?? ""],
    ["Tenant ID", c.companyProfile?.tenantId ?? ""],
    ["Customer ID", c.id],
    ["Relationship", String(c.relationshipToPartner ?? "")],
  ];
  if (typeof c.allowDelegatedAccess === "boolean") rows.push(["Delegated access", c.allowDelegatedAccess ? "yes" : "no"]);
  if (Array.isArray(c.customDomains) && c.customDomains.length > 0) rows.push(["Custom domains", c.customDomains.join(", ")]);
  const w = Math.max(...rows.map(([k]) => k.length));
  out.stdout.write(rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join("\n") + "\n");
}

const grantSchema = z.object({ enterpriseApplicationId: z.string().min(1), scope: z.string().min(1) }).strict();
const grantsFileSchema = z.union([z.array(grantSchema).min(1), z.object({ applicationGrants: z.array(grantSchema).min(1) }).passthrough()]);

/**
 * Read a `--grants FILE`: a JSON array of `{enterpriseApplicationId, scope}`, or an object with an
 * `applicationGrants` array (an ApplicationConsent body).
 * @throws SamkitError `SAMKIT_CONSENT_GRANTS_INVALID` (exit 2) for an unreadable or invalid file.
 */
export async function readGrantsFile(file: string): Promise<ApplicationGrant[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (cause) {
    throw new SamkitError("SAMKIT_CONSENT_GRANTS_INVALID", { params: { detail: `cannot read ${file}` }, cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new SamkitError("SAMKIT_CONSENT_GRANTS_INVALID", { params: { detail: `${file} is not JSON` }, cause });
  }
  const parsed = grantsFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new SamkitError("SAMKIT_CONSENT_GRANTS_INVALID", {
      params: { detail: parsed.error.issues.map((i) => `${i.path.join(".") || "(top)"}: ${i.message}`).join("; ") },
    });
  }
  const list = Array.isArray(parsed.data) ? parsed.data : parsed.data.applicationGrants;
  return list.map((g) => ({ enterpriseApplicationId: g.enterpriseApplicationId.toLowerCase(), scope: g.scope }));
}

/** Inputs of {@link runCustomersConsent}. */
export interface CustomersConsentInput {
  readonly client: PartnerCenterClient;
  /** The SAM app's client ID (from the profile). */
  readonly applicationId: string;
  readonly displayName?: string;
  /** Customer ID or domain; absent with `all`. */
  readonly customer?: string;
  readonly all?: boolean;
  readonly grantsFile?: string;
  readonly replace?: boolean;
  readonly remove?: boolean;
  readonly json?: boolean;
  /** The app's own Graph permissions (called only when no `--grants` file and not `--remove`). */
  readonly defaultGrants: () => Promise<AppGraphGrants>;
}

interface ConsentRecord {
  readonly customerId: string;
  readonly domain?: string;
  readonly ok: boolean;
  readonly outcome?: ConsentCustomerResult["outcome"];
  readonly error?: { readonly code: string; readonly action: string; readonly message: string; readonly nextStep: string };
}

/**
 * `customers consent ID|DOMAIN|--all`. Returns the exit code: 0 all done; with `--all`, 3 when some
 * customers failed and 1 when all failed (CONTRACTS §5). A single customer's failure is thrown.
 * @throws SamkitError `SAMKIT_USAGE` for a bad flag combination; the Partner Center error for one customer.
 */
export async function runCustomersConsent(input: CustomersConsentInput, out: CustomersOutput): Promise<number> {
  const usage = (detail: string): SamkitError => new SamkitError("SAMKIT_USAGE", { params: { detail, command: "customers consent" } });
  if (input.all && input.customer !== undefined) throw usage("give a customer or --all, not both");
  if (!input.all && input.customer === undefined) throw usage("give a customer ID or domain, or --all");
  if (input.remove && (input.replace || input.grantsFile !== undefined)) throw usage("--remove cannot be combined with --replace or --grants");

  let grants: readonly ApplicationGrant[] | undefined;
  if (!input.remove) {
    if (input.grantsFile !== undefined) grants = await readGrantsFile(input.grantsFile);
    else {
      const d = await input.defaultGrants();
      grants = d.grants;
      if (d.source === "default") {
        out.stderr.write(`note: using the default grants (Microsoft Graph ${d.grants.map((g) => g.scope).join("; ")}): ${d.reason ?? "Graph not reachable"}\n`);
      }
    }
  }
  const options = {
    applicationId: input.applicationId,
    ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
    ...(grants ? { grants } : {}),
    ...(input.replace ? { replace: true } : {}),
    ...(input.remove ? { remove: true } : {}),
  };

  if (!input.all) {
    const c = await input.client.resolveCustomer(input.customer ?? "");
    const r = await consentCustomer(input.client, c.id, options);
    const rec: ConsentRecord = { customerId: c.id, domain: c.companyProfile?.domain, ok: true, outcome: r.outcome };
    if (input.json) printJsonLine(rec, out.stdout);
    else out.stdout.write(`${c.companyProfile?.domain ?? c.id}: ${describe(r.outcome)}\n`);
    return ExitCode.Ok;
  }

  const records: ConsentRecord[] = [];
  for await (const c of input.client.listCustomers()) {
    let rec: ConsentRecord;
    try {
      const r = await consentCustomer(input.client, c.id, options);
      rec = { customerId: c.id, domain: c.companyProfile?.domain, ok: true, outcome: r.outcome };
    } catch (e) {
      if (!isSamkitError(e)) throw e;
      rec = { customerId: c.id, domain: c.companyProfile?.domain, ok: false, error: { code: e.code, action: e.action, message: e.message, nextStep: e.nextStep } };
    }
    records.push(rec);
    if (input.json) printJsonLine(rec, out.stdout);
    else if (rec.ok) out.stdout.write(`${rec.domain ?? rec.customerId}: ${describe(rec.outcome ?? "unchanged")}\n`);
    else {
      // The result (failed, and its code) on stdout; the message and next step are diagnostics (docs/cli.md).
      const name = rec.domain ?? rec.customerId;
      out.stdout.write(`${name}: failed ${rec.error?.code ?? ""}\n`);
      out.stderr.write(`${name}: ${rec.error?.code ?? ""}: ${rec.error?.message ?? ""}\n  next step: ${rec.error?.nextStep ?? ""}\n`);
    }
  }
  const failed = records.filter((r) => !r.ok).length;
  if (!input.json) out.stderr.write(`${records.length - failed} of ${records.length} customers done, ${failed} failed.\n`);
  if (failed === 0) return ExitCode.Ok;
  return failed === records.length ? ExitCode.Error : ExitCode.Partial;
}

function describe(outcome: ConsentCustomerResult["outcome"]): string {
  switch (outcome) {
    case "created":
      return "consent created";
    case "replaced":
      return "consent replaced";
    case "unchanged":
      return "already consented (unchanged; --replace to update the grants)";
    case "removed":
      return "consent removed";
    case "absent":
      return "no consent to remove";
  }
}
