import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { classifyResponse, explainText, isSamkitError } from "../../src/errors/index.js";
import { retryAfterSeconds } from "../../src/http/index.js";
import { LOGGABLE_FORM_FIELDS, LOGGABLE_HEADERS, LOGGABLE_QUERY_PARAMS, redactBody, redactHeaders, redactUrl } from "../../src/log/index.js";

const secret = fc.stringMatching(/^[A-Za-z0-9]{12,24}$/).map((s) => `SECRET${s}`);
const name = fc.stringMatching(/^[a-z][a-z_-]{0,15}$/);

describe("classifyResponse (property)", () => {
  it("never throws and always fills every placeholder, whatever the response", () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 100, max: 599 }), { nil: undefined }),
        fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 40 }), { maxKeys: 4 }),
        fc.oneof(fc.anything(), fc.json(), fc.string()),
        (status, headers, body) => {
          // a service text may itself contain "{word}"; only catalogue placeholders must be filled
          fc.pre(!/\{[A-Za-z]+\}/.test(`${String(JSON.stringify(body))}${JSON.stringify(headers)}`));
          const e = classifyResponse({ ...(status !== undefined ? { status } : {}), headers, body });
          expect(isSamkitError(e)).toBe(true);
          expect(e.message).not.toMatch(/\{[A-Za-z]+\}/);
          expect(e.nextStep).not.toMatch(/\{[A-Za-z]+\}/);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("finds the AADSTS code from error_codes or the description prefix", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 99_999_999 }), fc.boolean(), (code, withCodes) => {
        const body = { error: "invalid_grant", error_description: `AADSTS${code}: text`, ...(withCodes ? { error_codes: [code] } : {}) };
        expect(classifyResponse({ status: 400, body }).aadsts).toBe(code);
      }),
    );
  });

  it("explainText either classifies or throws SAMKIT_EXPLAIN_UNREADABLE", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          expect(isSamkitError(explainText(text))).toBe(true);
        } catch (e) {
          expect(isSamkitError(e, "SAMKIT_EXPLAIN_UNREADABLE")).toBe(true);
        }
      }),
    );
  });
});

describe("allow-list redaction (property)", () => {
  it("never prints a form value whose field is not allow-listed", () => {
    fc.assert(
      fc.property(fc.dictionary(name, secret, { minKeys: 1, maxKeys: 8 }), (fields) => {
        const out = redactBody(new URLSearchParams(fields).toString(), "application/x-www-form-urlencoded") ?? "";
        for (const [k, v] of Object.entries(fields)) {
          if (!LOGGABLE_FORM_FIELDS.has(k)) expect(out).not.toContain(v);
        }
      }),
    );
  });

  it("never prints a header or query value that is not allow-listed", () => {
    fc.assert(
      fc.property(fc.dictionary(name, secret, { minKeys: 1, maxKeys: 8 }), (pairs) => {
        const headers = redactHeaders(pairs);
        const url = redactUrl(`https://example.test/p?${new URLSearchParams(pairs).toString()}`);
        for (const [k, v] of Object.entries(pairs)) {
          if (!LOGGABLE_HEADERS.has(k)) expect(JSON.stringify(headers)).not.toContain(v);
          if (!LOGGABLE_QUERY_PARAMS.has(k)) expect(url).not.toContain(v);
        }
      }),
    );
  });

  it("prints JSON bodies only as their size", () => {
    fc.assert(
      fc.property(secret, (s) => {
        expect(redactBody(JSON.stringify({ value: s }), "application/json")).not.toContain(s);
      }),
    );
  });
});

describe("retryAfterSeconds (property)", () => {
  it("reads any delay-seconds and any future HTTP-date", () => {
    const now = Date.parse("2026-10-14T09:12:44Z");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 86_400 }), (n) => {
        expect(retryAfterSeconds({ "retry-after": String(n) }, now)).toBe(n);
        expect(retryAfterSeconds({ "retry-after": new Date(now + n * 1000).toUTCString() }, now)).toBe(n);
      }),
    );
  });
});
