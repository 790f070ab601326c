import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  AADSTS_CODES,
  catalogue,
  classifyGraphError,
  classifyIdentityError,
  classifyPartnerCenterError,
  classifyResponse,
  isSamkitError,
  SamkitError,
  type CatalogueEntry,
} from "../../src/errors/index.js";
import { loadCases } from "../helpers/cases.js";

const cases = loadCases();

describe("classifyResponse: every shared case file", () => {
  it("has the case files", () => {
    expect(cases.length).toBeGreaterThanOrEqual(16);
  });
  for (const c of cases) {
    it(`${c.name}: ${c.expect.action}`, () => {
      const e = classifyResponse(c.response);
      expect(e).toBeInstanceOf(SamkitError);
      expect(e.action).toBe(c.expect.action);
      if (c.expect.aadsts !== undefined) expect(e.aadsts).toBe(c.expect.aadsts);
      if (c.expect.retry_after_seconds !== undefined) expect(e.retryAfterSeconds).toBe(c.expect.retry_after_seconds);
      if (c.expect.partner_center_code !== undefined) expect(e.partnerCenterCode).toBe(String(c.expect.partner_center_code));
      if (c.expect.graph_code !== undefined) expect(e.graphCode).toBe(c.expect.graph_code);
      expect(e.code).toMatch(/^SAMKIT_[A-Z0-9_]+$/);
      expect(e.nextStep.length).toBeGreaterThan(10);
      expect(e.message).not.toMatch(/\{\w+\}/); // every placeholder filled
    });
  }
});

describe("classifyIdentityError", () => {
  const body = (code: number, extra: Record<string, unknown> = {}) => ({
    error: "invalid_grant",
    error_description: `AADSTS${code}: text.\r\nTrace ID: t\r\nCorrelation ID: c\r\nTimestamp: 2026-10-14 09:12:44Z`,
    error_codes: [code],
    trace_id: "t",
    correlation_id: "c",
    ...extra,
  });

  it("maps every AADSTS code of facts/errors.md to its own catalogue entry", () => {
    const codes = [
      50011, 50020, 50034, 50058, 50076, 50079, 50126, 50173, 53003, 54005, 65001, 65004, 70000, 70008, 70011, 700007, 700016, 700025, 700054,
      700082, 700084, 7000215, 7000218, 7000222, 90002, 90013, 90014, 90038, 90099, 9002313, 500011, 900144, 70016, 70018, 70019, 70043,
      501481, 700027, 650051, 900382, 901002, 50049,
    ];
    for (const code of codes) {
      expect(AADSTS_CODES[code], String(code)).toBeDefined();
      const e = classifyIdentityError({ status: 400, body: body(code) });
      expect(e.aadsts).toBe(code);
      expect(e.code).toBe(AADSTS_CODES[code]);
      expect(e.code).not.toBe("SAMKIT_IDENTITY_ERROR");
      expect(e.message, String(code)).not.toMatch(/\{\w+\}/);
    }
  });

  it("sends 90038 and 900382 to check-cloud with a --cloud next step", () => {
    for (const code of [90038, 900382]) {
      const e = classifyIdentityError({ status: 400, body: body(code) });
      expect(e.action).toBe("check-cloud");
      expect(e.nextStep).toContain("--cloud");
    }
  });

  it("falls back on the AADSTS prefix of error_description when error_codes is missing", () => {
    const e = classifyIdentityError({ status: 400, body: { error: "invalid_grant", error_description: "AADSTS700082: The refresh token has expired due to inactivity." } });
    expect(e.aadsts).toBe(700082);
    expect(e.action).toBe("reconsent");
    expect(e.exitCode).toBe(4);
  });

  it("keeps the raw identity fields but no other body fields", () => {
    const e = classifyIdentityError({
      status: 400,
      body: body(53003, { suberror: "message_only", claims: '{"access_token":{"capolids":{"essential":true,"values":["x"]}}}', refresh_token: "SECRET-RT", client_secret: "S" }),
    });
    expect(e.identity).toMatchObject({ error: "invalid_grant", error_codes: [53003], suberror: "message_only", trace_id: "t", correlation_id: "c" });
    expect(e.identity?.claims).toContain("capolids");
    expect(JSON.stringify(e.identity)).not.toContain("SECRET-RT");
    expect(JSON.stringify(e.toJSON())).not.toContain("SECRET-RT");
    expect(e.action).toBe("check-conditional-access");
  });

  it("gives unknown codes a useful answer by error value, else action none with the service text", () => {
    expect(classifyIdentityError({ status: 400, body: { error: "interaction_required", error_codes: [123456], error_description: "AADSTS123456: x" } }).action).toBe("reconsent");
    expect(classifyIdentityError({ status: 401, body: { error: "invalid_client", error_codes: [123457] } }).action).toBe("fix-app-credentials");
    expect(classifyIdentityError({ status: 503, body: { error: "temporarily_unavailable" } }).action).toBe("retry-later");
    const e = classifyIdentityError({ status: 400, body: { error: "invalid_request", error_description: "AADSTS999999: Something new happened.\r\nTrace ID: x" } });
    expect(e.action).toBe("none");
    expect(e.code).toBe("SAMKIT_IDENTITY_ERROR");
    expect(e.aadsts).toBe(999999);
    expect(e.message).toContain("Something new happened");
    expect(e.message).not.toContain("Trace ID");
  });

  it("reads Retry-After on an identity 429", () => {
    const e = classifyIdentityError({ status: 429, headers: { "Retry-After": "30" }, body: { error: "temporarily_unavailable" } });
    expect(e.action).toBe("retry-later");
    expect(e.retryAfterSeconds).toBe(30);
  });
});

describe("classifyPartnerCenterError / classifyGraphError", () => {
  it("takes the throttle delay from the message when Retry-After is missing", () => {
    const e = classifyPartnerCenterError({ status: 429, body: { statusCode: 429, message: "Rate limit is exceeded. Try again in 12 seconds." } });
    expect(e.retryAfterSeconds).toBe(12);
    expect(e.code).toBe("SAMKIT_THROTTLED");
  });
  it("maps 404 ApiFaults and Graph 403s", () => {
    expect(classifyPartnerCenterError({ status: 404, body: { code: 60003, description: "Tenant not found", source: "PartnerFD" } }).code).toBe("SAMKIT_PC_RESOURCE_NOT_FOUND");
    const g = classifyGraphError({ status: 403, body: { error: { code: "Authorization_RequestDenied", message: "Insufficient privileges." } } });
    expect(g.code).toBe("SAMKIT_GRAPH_FORBIDDEN");
    expect(g.graphCode).toBe("Authorization_RequestDenied");
    expect(g.message).toContain("Insufficient privileges.");
  });
  it("recognises a CAE claims challenge", () => {
    const e = classifyGraphError({
      status: 401,
      headers: { "www-authenticate": 'Bearer realm="", error="insufficient_claims", claims="eyJ9"' },
      body: { error: { code: "InvalidAuthenticationToken", message: "Continuous access evaluation resulted in challenge." } },
    });
    expect(e.code).toBe("SAMKIT_GRAPH_CLAIMS_CHALLENGE");
  });
  it("classifyResponse uses the service hint for ambiguous bodies", () => {
    expect(classifyResponse({ status: 403, body: { error: { code: "AuthorizationFailed", message: "no" } } }, { service: "arm" }).code).toBe("SAMKIT_AZURE_FORBIDDEN");
    expect(classifyResponse({ status: 500, text: "" }, { service: "graph" }).code).toBe("SAMKIT_GRAPH_ERROR");
    expect(classifyResponse({ status: 503, text: "<html>busy</html>" }).action).toBe("retry-later");
    expect(classifyResponse({ status: 418, text: "teapot" }).code).toBe("SAMKIT_HTTP_STATUS");
    expect(classifyResponse({ body: "2026-10-14 ERROR token failed: AADSTS70008: The refresh token has expired" }).aadsts).toBe(70008);
  });
});

describe("catalogue", () => {
  it("has no code defined in two catalogue files (spreads would silently override)", async () => {
    const dir = new URL("../../src/errors/catalogue/", import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && f !== "index.ts");
    const seen = new Map<string, string>();
    for (const f of files) {
      const mod = (await import(new URL(f, dir).href)) as Record<string, Record<string, CatalogueEntry>>;
      for (const entries of Object.values(mod)) {
        for (const code of Object.keys(entries)) {
          expect(seen.get(code), `${code} in ${f} and ${seen.get(code)}`).toBeUndefined();
          seen.set(code, f);
        }
      }
    }
    expect(seen.size).toBe(Object.keys(catalogue).length);
  });
  it("every entry has a SAMKIT_ code, a message, a next step and an action", () => {
    for (const [code, entry] of Object.entries(catalogue) as [string, CatalogueEntry][]) {
      expect(code).toMatch(/^SAMKIT_[A-Z0-9_]+$/);
      expect(entry.message.length).toBeGreaterThan(0);
      expect(entry.nextStep.length).toBeGreaterThan(0);
      expect(isSamkitError(new SamkitError(code as keyof typeof catalogue))).toBe(true);
    }
  });
});
