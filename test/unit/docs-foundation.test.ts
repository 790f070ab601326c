import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { STATIC_CLOUDS } from "../../src/cloud/index.js";
import { AADSTS_CODES } from "../../src/errors/index.js";
import { cloudErrors } from "../../src/errors/catalogue/cloud.js";
import { coreErrors } from "../../src/errors/catalogue/core.js";
import { graphErrors } from "../../src/errors/catalogue/graph.js";
import { httpErrors } from "../../src/errors/catalogue/http.js";
import { identityErrors } from "../../src/errors/catalogue/identity.js";
import { partnerCenterErrors } from "../../src/errors/catalogue/partner-center.js";

const doc = (name: string) => readFileSync(new URL(`../../docs/${name}`, import.meta.url), "utf8");

describe("foundation docs stay in step with the code", () => {
  it("docs/errors.md lists every AADSTS mapping and every foundation catalogue code", () => {
    const text = doc("errors.md");
    for (const [n, code] of Object.entries(AADSTS_CODES)) expect(text, n).toContain(`| ${n} | \`${code}\``);
    for (const cat of [coreErrors, cloudErrors, identityErrors, partnerCenterErrors, graphErrors, httpErrors]) {
      for (const code of Object.keys(cat)) expect(text, code).toContain(`\`${code}\``);
    }
  });

  it("docs/clouds.md shows every endpoint of the table", () => {
    const text = doc("clouds.md");
    for (const c of Object.values(STATIC_CLOUDS)) {
      expect(text).toContain(c.authorityHost);
      expect(text).toContain(c.keyVaultDnsSuffix);
      for (const r of Object.values(c.resources)) expect(text, `${c.name} ${r.endpoint}`).toContain(r.endpoint);
    }
  });

  it("README links the foundation pages", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    for (const page of ["cli.md", "configuration.md", "clouds.md", "errors.md", "explain.md"]) expect(readme).toContain(`docs/${page}`);
  });
});
