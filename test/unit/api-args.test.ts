import { describe, expect, it } from "vitest";
import { parseApiArgs, parseHeader } from "../../src/api/args.js";
import { isSamkitError } from "../../src/errors/index.js";

async function usageError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(isSamkitError(e)).toBe(true);
    if (isSamkitError(e)) {
      expect(e.exitCode).toBe(2);
      return e.message;
    }
  }
  throw new Error("expected a usage error");
}

describe("parseApiArgs", () => {
  it("defaults to GET with no body", async () => {
    const spec = await parseApiArgs(["/v1/customers"]);
    expect(spec).toEqual({ method: "GET", path: "/v1/customers", appOnly: false, headers: {}, query: [], paginate: false, jsonl: false });
  });

  it("reads every flag, short and long", async () => {
    const spec = await parseApiArgs([
      "/v1.0/users",
      "-X",
      "get",
      "--resource",
      "graph",
      "--tenant",
      "contoso.onmicrosoft.com",
      "-H",
      "ConsistencyLevel: eventual",
      "--header",
      "X-Other:  two words ",
      "-f",
      "$top=5",
      "-F",
      "$count=true",
      "--paginate",
      "--jsonl",
      "--app-only",
    ]);
    expect(spec.method).toBe("GET");
    expect(spec.resource).toBe("graph");
    expect(spec.tenant).toBe("contoso.onmicrosoft.com");
    expect(spec.appOnly).toBe(true);
    expect(spec.headers).toEqual({ ConsistencyLevel: "eventual", "X-Other": "two words" });
    expect(spec.query).toEqual([
      ["$top", "5"],
      ["$count", "true"],
    ]);
    expect(spec.body).toBeUndefined();
    expect(spec.paginate).toBe(true);
    expect(spec.jsonl).toBe(true);
  });

  it("keeps GET for fields alone (query), and turns fields into a JSON body with -X POST, typing -F values", async () => {
    const get = await parseApiArgs(["/v1.0/users", "-f", "$top=5"]);
    expect(get.method).toBe("GET");
    expect(get.query).toEqual([["$top", "5"]]);
    expect(get.body).toBeUndefined();
    const spec = await parseApiArgs(["/v1.0/groups", "-X", "POST", "-f", "displayName=Ops", "-F", "mailEnabled=false", "-F", "n=42", "-F", "x=null", "-f", "raw=true"]);
    expect(spec.method).toBe("POST");
    expect(JSON.parse(spec.body ?? "")).toEqual({ displayName: "Ops", mailEnabled: false, n: 42, x: null, raw: "true" });
    expect(spec.headers).toEqual({ "Content-Type": "application/json" });
  });

  it("reads --input once, keeps a given Content-Type, and puts fields in the query", async () => {
    let reads = 0;
    const spec = await parseApiArgs(["/v1/customers/x/applicationconsents", "--input", "body.json", "-H", "content-type: application/merge-patch+json", "-f", "a=b"], {
      readInput: (f) => {
        reads++;
        expect(f).toBe("body.json");
        return Promise.resolve('{"k":1}');
      },
    });
    expect(reads).toBe(1);
    expect(spec.method).toBe("POST");
    expect(spec.body).toBe('{"k":1}');
    expect(spec.headers).toEqual({ "content-type": "application/merge-patch+json" });
    expect(spec.query).toEqual([["a", "b"]]);
  });

  it("refuses bad input with exit-2 usage errors", async () => {
    expect(await usageError(parseApiArgs([]))).toMatch(/missing PATH/);
    expect(await usageError(parseApiArgs(["/a", "/b"]))).toMatch(/one PATH/);
    expect(await usageError(parseApiArgs(["/a", "--nope"]))).toMatch(/nope/);
    expect(await usageError(parseApiArgs(["/a", "-X", "FETCH"]))).toMatch(/unsupported method/);
    expect(await usageError(parseApiArgs(["/a", "-f", "novalue"]))).toMatch(/KEY=VALUE/);
    expect(await usageError(parseApiArgs(["/a", "-H", "NoColon"]))).toMatch(/Key: Value/);
    expect(await usageError(parseApiArgs(["/a", "--tenant", " "]))).toMatch(/--tenant/);
  });

  it("later -H wins, case-insensitively", async () => {
    const spec = await parseApiArgs(["/a", "-H", "Accept: text/plain", "-H", "accept: application/json"]);
    expect(spec.headers).toEqual({ accept: "application/json" });
  });
});

describe("parseHeader", () => {
  it("splits at the first colon and refuses header injection", () => {
    expect(parseHeader("X-A: b:c")).toEqual(["X-A", "b:c"]);
    expect(() => parseHeader("X-A: b\r\nEvil: 1")).toThrow();
    expect(() => parseHeader("Bad Name: v")).toThrow();
  });
});
