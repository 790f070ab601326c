/** Human-readable `samkit status` (the `--json` form is the report itself). */
import type { StatusReport } from "../../../status/types.js";

function row(label: string, value: string): string {
  return `  ${label.padEnd(16)} ${value}\n`;
}

function day(iso: string | null): string {
  return iso === null ? "unknown" : iso.replace(/\.\d{3}Z$/, "Z");
}

/** The report as aligned text for a TTY, problems last with their next steps. */
export function formatStatus(r: StatusReport): string {
  return formatProfile(r) + formatTenantsTable(r) + formatProblems(r);
}

/** The profile block: store, cloud, consent, refresh token, app credential (aligned labels). */
export function formatProfile(r: StatusReport): string {
  let out = `samkit status — profile ${r.profile}\n`;
  out += row("store", r.store);
  out += row("cloud", r.cloud);
  if (r.configured) {
    out += row("partner tenant", r.partnerTenantId ?? "unknown");
    out += row("app ID", r.appId ?? "unknown");
    const mfa = r.consent.mfa === null ? "unknown" : r.consent.mfa ? "yes" : "NO";
    out += row(
      "consent",
      `${r.consent.at ? day(r.consent.at) : "time unknown"}${r.consent.by ? ` by ${r.consent.by}` : ""} (MFA: ${mfa})`,
    );
    const rt = r.refreshToken;
    if (!rt.present) out += row("refresh token", "none stored");
    else if (rt.state === "rejected") {
      const refused = r.problems.find((p) => p.action === "reconsent" && p.severity === "error");
      const window = rt.daysLeft !== null ? `; the 90-day window alone would leave ${rt.daysLeft} days` : "";
      out += row("refresh token", `REJECTED by the identity platform (${refused?.code ?? "reconsent needed"})${window}`);
    } else if (rt.rotatedAt === null) out += row("refresh token", "stored (rotation time unknown)");
    else {
      out += row(
        "refresh token",
        `rotated ${day(rt.rotatedAt)} (${rt.ageDays} days ago); ${rt.daysLeft} of 90 days left before inactivity expiry (${day(rt.inactivityExpiresAt)})`,
      );
    }
    const c = r.appCredential;
    if (c.kind === "none") out += row("app credential", "none stored");
    else {
      const when =
        c.expiresAt === null ? "expiry unknown" : `expires ${day(c.expiresAt)} (${c.daysLeft} days left)`;
      const from = c.source === "graph" ? "from Microsoft Graph" : c.source === "store" ? "as stored" : "";
      const graphNote = c.graphError ? `; Graph not reachable: ${c.graphError.code}` : "";
      out += row(`app ${c.kind}`, `${when}${from ? `, ${from}` : ""}${graphNote}`);
    }
    if (r.renew)
      out += row(
        "renewed",
        r.renew.persisted
          ? `yes, stored a new refresh token (rotated ${day(r.renew.rotatedAt)})`
          : "redeemed; the stored token was already current",
      );
  }
  return out;
}

/** The one-line count of healthy customer tenants (`--tenants`), or "" without `--tenants`. */
export function formatTenantsSummary(r: StatusReport): string {
  return r.tenants ? `\nCustomer tenants: ${r.tenants.healthy} healthy, ${r.tenants.unhealthy} not\n` : "";
}

/** The `--tenants` table with its header and count line, for a TTY; "" without `--tenants`. */
export function formatTenantsTable(r: StatusReport): string {
  let out = "";
  if (r.tenants) {
    out += formatTenantsSummary(r);
    out += `  ${"HEALTH".padEnd(7)} ${"TENANT".padEnd(36)} ${"CUSTOMER".padEnd(28)} TOKEN GRAPH  NEXT STEP\n`;
    for (const t of r.tenants.list) {
      const name = (t.companyName ?? t.domain ?? "-").slice(0, 28).padEnd(28);
      const health = t.error === null ? "ok" : "FAILED";
      out += `  ${health.padEnd(7)} ${t.tenantId.padEnd(36)} ${name} ${(t.token ? "yes" : "no").padEnd(5)} ${(t.graph ? "yes" : "no").padEnd(6)} ${t.error ? `${t.error.code}: ${t.error.nextStep}` : ""}\n`;
    }
  }
  return out;
}

/**
 * The `--tenants` rows for stdout that is not a TTY (docs/cli.md): tab-separated, no header —
 * health, tenant, customer, token, graph, error code ("" when healthy).
 */
export function formatTenantRowsPlain(r: StatusReport): string {
  if (!r.tenants) return "";
  const cell = (v: string): string => v.replace(/[\t\r\n]+/g, " ");
  return r.tenants.list
    .map(
      (t) =>
        `${[
          t.error === null ? "ok" : "FAILED",
          t.tenantId,
          t.companyName ?? t.domain ?? "",
          t.token ? "yes" : "no",
          t.graph ? "yes" : "no",
          t.error?.code ?? "",
        ]
          .map(cell)
          .join("\t")}\n`,
    )
    .join("");
}

/** Problems and warnings with their next steps, or "All good." (a leading blank line). */
export function formatProblems(r: StatusReport): string {
  if (r.problems.length === 0) return "\nAll good.\n";
  let out = "\n";
  for (const p of r.problems) {
    out += `${p.severity === "error" ? "problem" : "warning"} ${p.code}: ${p.message}\n  next step: ${p.nextStep}\n`;
  }
  return out;
}
