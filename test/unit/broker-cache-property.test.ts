/**
 * Properties of the cache key and the encrypted disk cache (fast-check): a key ignores scope
 * order, case and duplicates but nothing else; an entry round-trips only under its own key.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { cacheKey } from "../../src/broker/cache-key.js";
import { DiskTokenCache } from "../../src/broker/disk-cache.js";

const scope = fc.stringMatching(/^[A-Za-z][A-Za-z0-9./:_-]{0,30}$/);
const parts = fc.record({
  cloud: fc.constantFrom("global@https://login.microsoftonline.com", "emulator@http://127.0.0.1:7070"),
  clientId: fc.uuid(),
  tenant: fc.oneof(fc.uuid(), fc.domain()),
  kind: fc.constantFrom("user" as const, "app" as const),
  scopes: fc.array(scope, { minLength: 1, maxLength: 5 }),
});

const dir = mkdtempSync(join(tmpdir(), "samkit-prop-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("cache key properties", () => {
  it("is invariant under scope order, case and duplicates", () => {
    fc.assert(
      fc.property(parts, fc.boolean(), (p, upper) => {
        const shuffled = [...p.scopes].reverse().map((s) => (upper ? s.toUpperCase() : s));
        expect(cacheKey({ ...p, scopes: [...shuffled, ...shuffled] })).toBe(cacheKey(p));
      }),
    );
  });

  it("differs when the tenant, client, cloud or kind differs", () => {
    fc.assert(
      fc.property(parts, parts, (a, b) => {
        fc.pre(a.tenant.toLowerCase() !== b.tenant.toLowerCase() || a.clientId !== b.clientId || a.cloud !== b.cloud || a.kind !== b.kind);
        expect(cacheKey({ ...a, scopes: ["x"] })).not.toBe(cacheKey({ ...b, scopes: ["x"] }));
      }),
    );
  });
});

describe("disk cache properties", () => {
  it("round-trips any entry under its key and never under another key's file", async () => {
    const cache = new DiskTokenCache({ dir });
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), fc.string({ minLength: 1, maxLength: 2000 }), async (k1, k2, token) => {
        fc.pre(k1 !== k2);
        const entry = { token, expiresOnMs: 1_800_000_000_000, scopes: ["https://graph.microsoft.com/.default"], tenantId: "t" };
        await cache.set(k1, entry);
        expect(await cache.get(k1)).toEqual(entry);
        writeFileSync(cache.pathFor(k2), readFileSync(cache.pathFor(k1)));
        expect(await cache.get(k2)).toBeUndefined();
        await cache.delete(k1);
        await cache.delete(k2);
        expect(await cache.get(k1)).toBeUndefined();
      }),
      { numRuns: 40 },
    );
  });
});
