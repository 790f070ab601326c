import { describe, expect, it } from "vitest";
import { appGaps, DEFAULT_REQUIRED_ACCESS, mergeRequiredAccess, missingAccess, parsePermission } from "../../src/provision/index.js";
import { isSamkitError } from "../../src/errors/index.js";

describe("parsePermission", () => {
  it("accepts aliases, GUIDs, names and both type spellings", () => {
    expect(parsePermission("graph:Scope:User.Read.All")).toEqual({ resourceAppId: "00000003-0000-0000-c000-000000000000", type: "Scope", permission: "User.Read.All" });
    expect(parsePermission("partner-center:delegated:1cebfa2a-fb4d-419e-b5f9-839b4383e05a").type).toBe("Scope");
    expect(parsePermission("00000003-0000-0000-C000-000000000000:application:User.Read.All")).toEqual({
      resourceAppId: "00000003-0000-0000-c000-000000000000",
      type: "Role",
      permission: "User.Read.All",
    });
  });
  it("refuses malformed specs with a usage error that shows the format", () => {
    for (const bad of ["graph:User.Read", "nope:Scope:x", "graph:Maybe:x", "graph::x"]) {
      let err: unknown;
      try {
        parsePermission(bad);
      } catch (e) {
        err = e;
      }
      expect(isSamkitError(err, "SAMKIT_USAGE"), bad).toBe(true);
      expect((err as Error).message).toContain("RESOURCE:Scope|Role:PERMISSION");
    }
  });
});

describe("required access", () => {
  it("merges without duplicates (case-insensitive ids) and finds what is missing", () => {
    const extra = [{ resourceAppId: "00000003-0000-0000-C000-000000000000", resourceAccess: [{ id: "E1FE6DD8-BA31-4D61-89E7-88639DA4683D", type: "Scope" as const }, { id: "df021288-bdef-4463-88db-98f22de89214", type: "Role" as const }] }];
    const merged = mergeRequiredAccess(DEFAULT_REQUIRED_ACCESS, extra);
    const graph = merged.find((r) => r.resourceAppId === "00000003-0000-0000-c000-000000000000")!;
    expect(graph.resourceAccess).toHaveLength(5);
    expect(missingAccess(merged, DEFAULT_REQUIRED_ACCESS)).toEqual([]);
    expect(missingAccess(DEFAULT_REQUIRED_ACCESS, merged)).toEqual([
      { resourceAppId: "00000003-0000-0000-c000-000000000000", resourceAccess: [{ id: "df021288-bdef-4463-88db-98f22de89214", type: "Role" }] },
    ]);
    // The same id as Scope and as Role are different permissions.
    expect(missingAccess([{ resourceAppId: "a", resourceAccess: [{ id: "x", type: "Scope" }] }], [{ resourceAppId: "a", resourceAccess: [{ id: "x", type: "Role" }] }])).toHaveLength(1);
  });
});

describe("appGaps", () => {
  it("names every missing piece of a hand-made app and nothing for a complete one", () => {
    const complete = {
      id: "o",
      appId: "a",
      displayName: "x",
      signInAudience: "AzureADMultipleOrgs",
      isFallbackPublicClient: true,
      web: { redirectUris: ["http://localhost/"] },
      requiredResourceAccess: DEFAULT_REQUIRED_ACCESS,
    };
    expect(appGaps(complete)).toEqual([]);
    const gaps = appGaps({ id: "o", appId: "a", displayName: "x", signInAudience: "AzureADMyOrg", web: { redirectUris: ["urn:ietf:wg:oauth:2.0:oob"] } });
    expect(gaps.join("\n")).toMatch(/AzureADMultipleOrgs/);
    expect(gaps.join("\n")).toMatch(/50011/);
    expect(gaps.join("\n")).toMatch(/7000218/);
    expect(gaps.join("\n")).toMatch(/fa3d9a0c-3fb0-42cc-9193-47c7ecd2edbd/);
  });
});
