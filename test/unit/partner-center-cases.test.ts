/**
 * Every case in shared/cases/identity-errors/ that is a Partner Center or Microsoft Graph response
 * (not an identity-platform token error) goes through the client's error path — the Partner Center
 * client for Partner Center, `callApi` for Graph — and must give the `expect`ed action and fields.
 */
import { fileURLToPath } from "node:url";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { callApi } from "../../src/api/call.js";
import { GLOBAL_CLOUD } from "../../src/cloud/table.js";
import { isSamkitError, type SamkitError } from "../../src/errors/index.js";
import type { HttpClient, HttpResponse } from "../../src/http/types.js";
import { PartnerCenterClient } from "../../src/partner-center/client.js";

// The committed copy of shared/cases (test/fixtures/cases), so a clean clone always has them.
const CASES_DIR =
  process.env["SAMKIT_CASES_DIR"] ?? fileURLToPath(new URL("../fixtures/cases/identity-errors", import.meta.url));

interface CaseFile {
  story: string;
  response: { status: number; headers: Record<string, string>; body: unknown };
  expect: { action: string; aadsts?: number; retry_after_seconds?: number; partner_center_code?: number | string; graph_code?: string };
}

function load(): [string, CaseFile][] {
  return readdirSync(CASES_DIR)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(join(CASES_DIR, f), "utf8")) as CaseFile]);
}

function serviceOf(c: CaseFile): "partner-center" | "graph" | "identity" {
  const b = c.response.body;
  if (typeof b === "object" && b !== null) {
    const o = b as Record<string, unknown>;
    if (typeof o["error"] === "string" || Array.isArray(o["error_codes"])) return "identity";
    if (typeof o["error"] === "object") return "graph";
    return "partner-center";
  }
  return /AADSTS/.test(String(b)) ? "identity" : "partner-center";
}

function replaying(c: CaseFile): HttpClient {
  return {
    request: (req) => {
      const text = typeof c.response.body === "string" ? c.response.body : JSON.stringify(c.response.body);
      const lower: Record<string, string> = {};
      for (const [k, v] of Object.entries(c.response.headers)) lower[k.toLowerCase()] = v;
      const res: HttpResponse = { status: c.response.status, headers: lower, text, url: String(req.url), attempts: 1 };
      return Promise.resolve(res);
    },
    fetch: () => Promise.reject(new Error("not used")),
  };
}

const getToken = () => Promise.resolve({ token: "t" });

function checkExpect(err: SamkitError, c: CaseFile): void {
  expect(err.action).toBe(c.expect.action);
  if (c.expect.retry_after_seconds !== undefined) expect(err.retryAfterSeconds).toBe(c.expect.retry_after_seconds);
  if (c.expect.partner_center_code !== undefined) expect(err.partnerCenterCode).toBe(String(c.expect.partner_center_code));
  if (c.expect.graph_code !== undefined) expect(err.graphCode).toBe(c.expect.graph_code);
  if (c.expect.aadsts !== undefined) expect(err.aadsts).toBe(c.expect.aadsts);
  expect(err.status).toBe(c.response.status);
  expect(err.nextStep.length).toBeGreaterThan(10);
}

const cases = load().filter(([, c]) => serviceOf(c) !== "identity");

describe("Partner Center and Graph case files through the client's error path", () => {
  it("finds the service-response cases (not only token errors)", () => {
    expect(cases.map(([f]) => f)).toEqual(expect.arrayContaining(["graph-identity-not-found.json", "partner-center-429.json", "partner-center-mfa-required.json", "partner-center-no-relationship.json"]));
  });

  for (const [file, c] of cases) {
    it(`${file}: ${c.expect.action}`, async () => {
      if (serviceOf(c) === "partner-center") {
        const pc = new PartnerCenterClient({ http: replaying(c), cloud: GLOBAL_CLOUD, getToken });
        const err: unknown = await pc.getCustomer("0b6b4a9e-0000-0000-0000-000000000001").then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isSamkitError(err)).toBe(true);
        checkExpect(err as SamkitError, c);
        // the same response through the generic passthrough agrees
        const r = await callApi(
          { method: "GET", path: "/v1/customers/x", appOnly: false, headers: {}, query: [], paginate: false, jsonl: false },
          { http: replaying(c), cloud: GLOBAL_CLOUD, getToken },
        );
        expect(r.ok).toBe(false);
        if (!r.ok) checkExpect(r.error, c);
      } else {
        const r = await callApi(
          { method: "GET", path: "/v1.0/users", tenant: "contoso.onmicrosoft.com", appOnly: false, headers: {}, query: [], paginate: true, jsonl: false },
          { http: replaying(c), cloud: GLOBAL_CLOUD, getToken },
        );
        expect(r.ok).toBe(false);
        if (!r.ok) {
          checkExpect(r.error, c);
          expect(r.data).toEqual(c.response.body);
        }
      }
    });
  }
});
