import { describe, expect, it } from "vitest";
import { PartnerCenterClient } from "../../src/partner-center/client.js";
import { consentCustomer } from "../../src/partner-center/consent.js";
import { GLOBAL_CLOUD } from "../../src/cloud/table.js";
import { isSamkitError } from "../../src/errors/index.js";
import type { HttpRequest } from "../../src/http/types.js";
import { scriptedHttp, type ScriptedReply } from "../helpers/http.js";

const tokens: string[] = [];
const getToken = (r: { resource?: string }) => {
  tokens.push(r.resource ?? "");
  return Promise.resolve({ token: "tok-123" });
};

function customer(i: number) {
  const id = `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`;
  return { id, companyProfile: { tenantId: id, domain: `c${i}.onmicrosoft.com`, companyName: `C ${i}` }, relationshipToPartner: "reseller" };
}

function h(req: HttpRequest, name: string): string | undefined {
  const k = Object.keys(req.headers ?? {}).find((x) => x.toLowerCase() === name.toLowerCase());
  return k === undefined ? undefined : req.headers?.[k];
}

describe("PartnerCenterClient", () => {
  it("pages customers via links.next and MS-ContinuationToken, one correlation ID, new request IDs", async () => {
    const all = Array.from({ length: 7 }, (_, i) => customer(i));
    const { http, calls } = scriptedHttp((req) => {
      const u = new URL(String(req.url));
      const tokenIn = h(req, "MS-ContinuationToken");
      const offset = tokenIn ? Number(tokenIn) : 0;
      const size = Number(u.searchParams.get("size"));
      const page = all.slice(offset, offset + size);
      const body: Record<string, unknown> = { totalCount: all.length, items: page, links: { self: { uri: "/customers" } } };
      if (offset + size < all.length) {
        (body["links"] as Record<string, unknown>)["next"] = {
          uri: `/customers?size=${size}&seekOperation=Next`,
          method: "GET",
          headers: [{ key: "MS-ContinuationToken", value: String(offset + size) }],
        };
      }
      return { status: 200, body };
    });
    const pc = new PartnerCenterClient({ http, cloud: GLOBAL_CLOUD, getToken, pageSize: 3, locale: "de-DE" });
    const got = [];
    for await (const c of pc.listCustomers()) got.push(c.id);
    expect(got).toEqual(all.map((c) => c.id));
    expect(calls).toHaveLength(3);
    expect(String(calls[0]?.url)).toBe("https://api.partnercenter.microsoft.com/v1/customers?size=3");
    expect(String(calls[1]?.url)).toBe("https://api.partnercenter.microsoft.com/v1/customers?size=3&seekOperation=Next");
    expect(h(calls[0]!, "MS-ContinuationToken")).toBeUndefined();
    expect(h(calls[1]!, "MS-ContinuationToken")).toBe("3");
    const corr = new Set(calls.map((c) => h(c, "MS-CorrelationId")));
    const reqIds = new Set(calls.map((c) => h(c, "MS-RequestId")));
    expect(corr.size).toBe(1);
    expect(reqIds.size).toBe(3);
    for (const c of calls) {
      expect(h(c, "Authorization")).toBe("Bearer tok-123");
      expect(h(c, "X-Locale")).toBe("de-DE");
      expect(h(c, "Accept")).toBe("application/json");
      expect(c.service).toBe("partner-center");
      expect(c.method).toBe("GET");
    }
    // a second operation gets a new correlation ID
    await pc.getOrganizationProfile();
    expect(h(calls[3]!, "MS-CorrelationId")).not.toBe([...corr][0]);
  });

  it("refuses a 2xx answer it cannot read instead of printing an empty list", async () => {
    const { http } = scriptedHttp((_req, n): ScriptedReply => (n === 1 ? { status: 200, body: "<html>proxy login</html>" } : { status: 200, body: { items: [{ id: "x" }] } }));
    const pc = new PartnerCenterClient({ http, cloud: GLOBAL_CLOUD, getToken });
    const list = async () => {
      for await (const _ of pc.listCustomers()) void _;
    };
    await expect(list()).rejects.toMatchObject({ code: "SAMKIT_PC_BAD_RESPONSE" });
    await expect(list()).rejects.toMatchObject({ code: "SAMKIT_PC_BAD_RESPONSE", message: expect.stringMatching(/companyProfile/) });
  });

  it("stops on a repeated next link instead of looping", async () => {
    const { http } = scriptedHttp(() => ({
      status: 200,
      body: { items: [customer(1)], links: { next: { uri: "/customers?seekOperation=Next", headers: [{ key: "MS-ContinuationToken", value: "same" }] } } },
    }));
    const pc = new PartnerCenterClient({ http, cloud: GLOBAL_CLOUD, getToken });
    const run = async () => {
      for await (const _ of pc.listCustomers()) void _;
    };
    await expect(run()).rejects.toMatchObject({ code: "SAMKIT_PC_PAGING_LOOP" });
  });

  it("gets by ID, finds by domain (Partner Center's starts_with filter, exact match kept), resolves either", async () => {
    const all = [customer(1), customer(2)];
    const { http, calls } = scriptedHttp((req) => {
      const u = new URL(String(req.url));
      if (u.pathname.startsWith("/v1/customers/")) {
        const id = decodeURIComponent(u.pathname.split("/")[3] ?? "");
        const c = all.find((x) => x.id === id);
        return c ? { status: 200, body: c } : { status: 404, body: { code: 1000, description: "not found", data: [], source: "PartnerFD" } };
      }
      const f = u.searchParams.get("filter");
      const prefix = f === null ? "" : (JSON.parse(f) as { Value: string }).Value;
      const items = all.filter((c) => c.companyProfile.domain.startsWith(prefix));
      return { status: 200, body: { totalCount: items.length, items } };
    });
    const pc = new PartnerCenterClient({ http, cloud: GLOBAL_CLOUD, getToken });
    expect((await pc.getCustomer(all[0]!.id)).companyProfile.domain).toBe("c1.onmicrosoft.com");
    expect((await pc.findCustomerByDomain("C2.onmicrosoft.com"))?.id).toBe(all[1]!.id);
    const filterCall = calls.find((c) => new URL(String(c.url)).searchParams.has("filter"));
    expect(JSON.parse(new URL(String(filterCall!.url)).searchParams.get("filter")!)).toEqual({ Field: "Domain", Value: "c2.onmicrosoft.com", Operator: "starts_with" });
    expect((await pc.resolveCustomer(all[1]!.id.toUpperCase())).id).toBe(all[1]!.id);
    expect((await pc.resolveCustomer("c1.onmicrosoft.com")).id).toBe(all[0]!.id);
    await expect(pc.resolveCustomer("nobody.example")).rejects.toMatchObject({ code: "SAMKIT_PC_CUSTOMER_NOT_FOUND" });
  });

  it("creates, replaces and removes application consents", async () => {
    let consents: { applicationId: string; applicationGrants: unknown[] }[] = [];
    const { http, calls } = scriptedHttp((req) => {
      const u = new URL(String(req.url));
      if (req.method === "GET") return { status: 200, body: { totalCount: consents.length, items: consents } };
      if (req.method === "POST") {
        const body = JSON.parse(String(req.body));
        consents.push(body);
        return { status: 201, body };
      }
      if (req.method === "DELETE") {
        const appId = u.pathname.split("/").pop();
        consents = consents.filter((c) => c.applicationId !== appId);
        return { status: 204 };
      }
      return { status: 405 };
    });
    const pc = new PartnerCenterClient({ http, cloud: GLOBAL_CLOUD, getToken });
    const grants = [{ enterpriseApplicationId: "00000003-0000-0000-c000-000000000000", scope: "Directory.Read.All,User.Read" }];
    const cid = "11111111-2222-3333-4444-555555555555";
    expect((await consentCustomer(pc, cid, { applicationId: "app-1", displayName: "SAM", grants })).outcome).toBe("created");
    const post = calls.find((c) => c.method === "POST")!;
    expect(String(post.url)).toBe(`https://api.partnercenter.microsoft.com/v1/customers/${cid}/applicationconsents`);
    expect(JSON.parse(String(post.body))).toEqual({ displayName: "SAM", applicationId: "app-1", applicationGrants: grants });
    expect(h(post, "Content-Type")).toBe("application/json");
    expect((await consentCustomer(pc, cid, { applicationId: "APP-1", grants })).outcome).toBe("unchanged");
    expect((await consentCustomer(pc, cid, { applicationId: "app-1", grants, replace: true })).outcome).toBe("replaced");
    expect(consents).toHaveLength(1);
    expect((await consentCustomer(pc, cid, { applicationId: "app-1", remove: true })).outcome).toBe("removed");
    expect((await consentCustomer(pc, cid, { applicationId: "app-1", remove: true })).outcome).toBe("absent");
    expect(consents).toHaveLength(0);
  });

  it("maps the MFA-required 401 (also after the one retry with a new token) to reconsent and a 429 to retry-later with Retry-After", async () => {
    const { http } = scriptedHttp((_req, n): ScriptedReply =>
      n <= 2
        ? { status: 401, headers: { "www-authenticate": 'Bearer error="invalid_token"' }, body: "" }
        : { status: 429, headers: { "retry-after": "7", "content-type": "application/json" }, body: { statusCode: 429, message: "Rate limit is exceeded. Try again in 7 seconds." } },
    );
    const pc = new PartnerCenterClient({ http, cloud: GLOBAL_CLOUD, getToken });
    try {
      await pc.getOrganizationProfile();
      throw new Error("expected a throw");
    } catch (e) {
      expect(isSamkitError(e)).toBe(true);
      if (isSamkitError(e)) {
        expect(e.action).toBe("reconsent");
        expect(e.exitCode).toBe(4);
        expect(`${e.message} ${e.nextStep}`).toMatch(/MFA/i);
      }
    }
    await expect(pc.getOrganizationProfile()).rejects.toMatchObject({ action: "retry-later", retryAfterSeconds: 7, status: 429 });
  });
});
