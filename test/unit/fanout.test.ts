import { describe, expect, it } from "vitest";
import { SamkitError } from "../../src/errors/index.js";
import {
  createTenantFilter,
  fanoutExitCode,
  runFanout,
  type FanoutOutcome,
  type FanoutRecord,
  type FanoutTarget,
} from "../../src/fanout/index.js";

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function tenants(n: number): FanoutTarget[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`;
    return {
      tenantId: id,
      customer: { id, companyName: `Customer ${i}`, domain: `customer-${i}.onmicrosoft.com` },
    };
  });
}

const ok = <T>(data: T): FanoutOutcome<T> => ({ ok: true, status: 200, data });

describe("runFanout", () => {
  it("never runs more than `concurrency` operations at once, and runs each tenant once", async () => {
    let active = 0;
    let peak = 0;
    const seen: string[] = [];
    const summary = await runFanout(
      tenants(50),
      async (t) => {
        active++;
        peak = Math.max(peak, active);
        seen.push(t.tenantId);
        await delay(2 + (Number(t.tenantId.slice(-2)) % 5));
        active--;
        return ok(t.tenantId);
      },
      { concurrency: 7 },
    );
    expect(peak).toBe(7);
    expect(new Set(seen).size).toBe(50);
    expect(summary).toMatchObject({
      attempted: 50,
      succeeded: 50,
      failed: 0,
      skipped: 0,
      notStarted: 0,
      interrupted: false,
    });
    expect(fanoutExitCode(summary)).toBe(0);
  });

  it("streams CONTRACTS §7 records in completion order", async () => {
    const records: FanoutRecord<unknown>[] = [];
    const [a, b] = tenants(2) as [FanoutTarget, FanoutTarget];
    await runFanout(
      [a, b],
      async (t) => {
        if (t === a) {
          await delay(30);
          return ok({ value: ["x"] });
        }
        throw new SamkitError("SAMKIT_INVALID_INPUT", { params: { detail: "nope" }, status: 403 });
      },
      { concurrency: 2, onResult: (r) => void records.push(r) },
    );
    expect(records).toEqual([
      {
        tenantId: b.tenantId,
        customer: b.customer,
        ok: false,
        status: 403,
        error: {
          code: "SAMKIT_INVALID_INPUT",
          action: "fix-input",
          message: "nope",
          nextStep: "Check the value and try again.",
        },
      },
      { tenantId: a.tenantId, customer: a.customer, ok: true, status: 200, data: { value: ["x"] } },
    ]);
  });

  it("checks the allow-list and exclude-list before the operation is called", async () => {
    const list = tenants(10);
    const allow = new Set(list.slice(0, 6).map((t) => t.tenantId));
    // exclude one by domain, to prove domains match too
    const exclude = new Set([list[1]!.customer!.domain!]);
    const called: string[] = [];
    const skips: string[] = [];
    const summary = await runFanout(
      [...list, list[0]!], // a duplicate is skipped too
      (t) => {
        called.push(t.tenantId);
        return Promise.resolve(ok(null));
      },
      {
        filter: createTenantFilter({ allow, exclude }),
        onSkip: (t, why) => skips.push(`${t.tenantId.slice(-1)}:${why}`),
      },
    );
    expect(called.sort()).toEqual([0, 2, 3, 4, 5].map((i) => list[i]!.tenantId));
    expect(skips).toEqual([
      "1:excluded",
      "6:not-allowed",
      "7:not-allowed",
      "8:not-allowed",
      "9:not-allowed",
      "0:duplicate",
    ]);
    expect(summary).toMatchObject({ attempted: 5, skipped: 6, notStarted: 0 });
  });

  it("exits 0 all ok, 3 some failed, 1 none succeeded (CONTRACTS §5)", async () => {
    const fail = new SamkitError("SAMKIT_INVALID_INPUT", { params: { detail: "x" } });
    const run = (pred: (i: number) => boolean) =>
      runFanout(tenants(6), (t) =>
        pred(Number(t.tenantId.slice(-1))) ? Promise.resolve(ok(1)) : Promise.reject(fail),
      );
    expect(fanoutExitCode(await run(() => true))).toBe(0);
    const partial = await run((i) => i % 2 === 0);
    expect(fanoutExitCode(partial)).toBe(3);
    expect(partial.failuresByCode).toEqual({ SAMKIT_INVALID_INPUT: 3 });
    expect(partial.failures.map((f) => f.tenantId.slice(-1)).sort()).toEqual(["1", "3", "5"]);
    expect(fanoutExitCode(await run(() => false))).toBe(1);
    expect(fanoutExitCode(await runFanout([], () => Promise.resolve(ok(1))))).toBe(0);
  });

  it("returns a failed outcome without throwing, and wraps unknown throws in a catalogue error", async () => {
    const records: FanoutRecord<unknown>[] = [];
    const [a, b] = tenants(2) as [FanoutTarget, FanoutTarget];
    await runFanout(
      [a, b],
      (t) =>
        t === a
          ? Promise.resolve({
              ok: false as const,
              status: 404,
              error: new SamkitError("SAMKIT_INVALID_INPUT", { params: { detail: "gone" } }),
            })
          : Promise.reject(new TypeError("boom")),
      { onResult: (r) => void records.push(r), concurrency: 1 },
    );
    expect(records[0]).toMatchObject({ ok: false, status: 404, error: { code: "SAMKIT_INVALID_INPUT" } });
    expect(records[1]).toMatchObject({
      ok: false,
      status: null,
      error: { code: "SAMKIT_FANOUT_OPERATION_FAILED" },
    });
    expect(records[1]!.ok === false && records[1]!.error.message).toContain("boom");
  });

  it("stops scheduling on a partner-wide re-consent error and exits with its code (4)", async () => {
    let calls = 0;
    const summary = await runFanout(
      tenants(100),
      async () => {
        calls++;
        await delay(1);
        throw new SamkitError("SAMKIT_STATUS_REFRESH_TOKEN_STALE", { params: { days: 91 } });
      },
      { concurrency: 4 },
    );
    expect(calls).toBeLessThanOrEqual(4);
    expect(summary.stoppedBy?.code).toBe("SAMKIT_STATUS_REFRESH_TOKEN_STALE");
    expect(summary.notStarted).toBe(100 - summary.attempted);
    expect(fanoutExitCode(summary)).toBe(4);
  });

  it("on abort stops scheduling, lets in-flight work finish and reports what finished", async () => {
    const controller = new AbortController();
    const records: FanoutRecord<unknown>[] = [];
    let started = 0;
    const summary = await runFanout(
      tenants(40),
      async (t, ctx) => {
        started++;
        if (started === 6) controller.abort();
        await delay(10);
        expect(ctx.abortSignal.aborted).toBe(false);
        return ok(t.tenantId);
      },
      { concurrency: 3, abortSignal: controller.signal, onResult: (r) => void records.push(r) },
    );
    expect(summary.interrupted).toBe(true);
    expect(started).toBe(6);
    expect(summary.succeeded).toBe(6);
    expect(records).toHaveLength(6);
    expect(summary.notStarted).toBe(34);
    expect(fanoutExitCode(summary)).toBe(3);
  });

  it("with inFlight 'abort' aborts running operations; they end as SAMKIT_FANOUT_CANCELLED", async () => {
    const controller = new AbortController();
    const summary = await runFanout(
      tenants(10),
      (_t, ctx) =>
        new Promise<FanoutOutcome<null>>((resolve, reject) => {
          const timer = setTimeout(() => resolve(ok(null)), 5_000);
          ctx.abortSignal.addEventListener("abort", () => {
            clearTimeout(timer);
            reject(new DOMException("aborted", "AbortError"));
          });
          setTimeout(() => controller.abort(), 5);
        }),
      { concurrency: 2, abortSignal: controller.signal, inFlight: "abort" },
    );
    expect(summary.failed).toBe(2);
    expect(summary.failuresByCode).toEqual({ SAMKIT_FANOUT_CANCELLED: 2 });
    expect(summary.notStarted).toBe(8);
    expect(fanoutExitCode(summary)).toBe(1);
  });

  it("pulls an async source lazily, at most 2×concurrency ahead of the finished work", async () => {
    let produced = 0;
    let finished = 0;
    let maxAhead = 0;
    async function* source(): AsyncGenerator<FanoutTarget> {
      for (const t of tenants(200)) {
        produced++;
        maxAhead = Math.max(maxAhead, produced - finished);
        yield t;
        await Promise.resolve();
      }
    }
    const summary = await runFanout(
      source(),
      async () => {
        await delay(1);
        finished++;
        return ok(null);
      },
      { concurrency: 5 },
    );
    expect(summary.succeeded).toBe(200);
    expect(summary.notStarted).toBe(0);
    expect(maxAhead).toBeLessThanOrEqual(11);
  });

  it("keeps records only when asked, and awaits onResult for back-pressure", async () => {
    const none = await runFanout(tenants(3), () => Promise.resolve(ok(1)));
    expect(none.results).toBeUndefined();
    let writing = 0;
    let overlap = false;
    const kept = await runFanout(tenants(20), () => Promise.resolve(ok(1)), {
      keepResults: true,
      concurrency: 8,
      onResult: async () => {
        if (writing > 0) overlap = true;
        writing++;
        await delay(1);
        writing--;
      },
    });
    expect(kept.results).toHaveLength(20);
    expect(overlap).toBe(true); // onResult runs per worker; each worker waits for its own write
  });

  it("a failing target source ends the listing: listed tenants finish, stoppedBy names it, exit 3", async () => {
    let finished = 0;
    async function* broken(): AsyncGenerator<FanoutTarget> {
      yield* tenants(2);
      await delay(1);
      throw new SamkitError("SAMKIT_HTTP_UNREACHABLE", { params: { host: "pc.example", detail: "ECONNREFUSED" } });
    }
    const summary = await runFanout(broken(), async () => {
      await delay(5);
      finished++;
      return ok(null);
    });
    expect(finished).toBe(2);
    expect(summary).toMatchObject({ attempted: 2, succeeded: 2, targetsFailed: true, notStarted: undefined });
    expect(summary.stoppedBy?.code).toBe("SAMKIT_HTTP_UNREACHABLE");
    expect(fanoutExitCode(summary)).toBe(3);
  });

  it("a source failing before any tenant exits 1; a non-catalogue throw becomes SAMKIT_INTERNAL", async () => {
    const broken: AsyncIterable<FanoutTarget> = {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<FanoutTarget>> => {
          await delay(1);
          throw new Error("pager failed");
        },
      }),
    };
    const summary = await runFanout(broken, () => Promise.resolve(ok(null)));
    expect(summary).toMatchObject({ attempted: 0, targetsFailed: true });
    expect(summary.stoppedBy?.code).toBe("SAMKIT_INTERNAL");
    expect(fanoutExitCode(summary)).toBe(1);
  });

  it("a source failing because the run was interrupted is the interruption, not an error", async () => {
    const stop = new AbortController();
    // a pager whose first request is aborted by the interruption
    const pager: AsyncIterable<FanoutTarget> = {
      [Symbol.asyncIterator]: () => ({
        next: async (): Promise<IteratorResult<FanoutTarget>> => {
          stop.abort(new Error("interrupted"));
          await delay(1);
          throw new Error("interrupted");
        },
      }),
    };
    const summary = await runFanout(pager, () => Promise.resolve(ok(null)), { abortSignal: stop.signal });
    expect(summary).toMatchObject({ attempted: 0, interrupted: true, stoppedBy: undefined, targetsFailed: false });
    expect(fanoutExitCode(summary)).toBe(1);
  });
});

describe("second Ctrl-C: aborted requests are cancellations", () => {
  it("maps an abort-caused SAMKIT_HTTP_ABORTED to SAMKIT_FANOUT_CANCELLED, only when the run aborted", async () => {
    const { cancelledIfAborted, toSamkitError } = await import("../../src/fanout/record.js");
    const target = tenants(1)[0]!;
    const aborted = new SamkitError("SAMKIT_HTTP_ABORTED", { params: { host: "graph.example" } });
    expect(cancelledIfAborted(aborted, true).code).toBe("SAMKIT_FANOUT_CANCELLED");
    expect(cancelledIfAborted(aborted, false).code).toBe("SAMKIT_HTTP_ABORTED");
    expect(toSamkitError(aborted, target, true).code).toBe("SAMKIT_FANOUT_CANCELLED");
    expect(toSamkitError(aborted, target, false).code).toBe("SAMKIT_HTTP_ABORTED");
    const other = new SamkitError("SAMKIT_FANOUT_CANCELLED");
    expect(cancelledIfAborted(other, true)).toBe(other);
  });

  it("the summary says running tenants were cancelled, not that the rest were merely not started", async () => {
    const { cancelledIfAborted } = await import("../../src/fanout/record.js");
    const { summaryText } = await import("../../src/cli/commands/foreach/output.js");
    const stop = new AbortController();
    const inFlight = new AbortController();
    let started = 0;
    const run = runFanout(
      tenants(6),
      async (_t, task) => {
        started++;
        await new Promise<void>((resolve) => {
          if (task.abortSignal.aborted) resolve();
          task.abortSignal.addEventListener("abort", () => resolve(), { once: true });
        });
        // what the HTTP seam returns for an aborted request, as `foreach` maps it (run.ts)
        const error = new SamkitError("SAMKIT_HTTP_ABORTED", { params: { host: "graph.example" } });
        return { ok: false, status: null, error: cancelledIfAborted(error, task.abortSignal.aborted) };
      },
      { concurrency: 2, abortSignal: stop.signal, abortInFlightSignal: inFlight.signal },
    );
    while (started < 2) await delay(5);
    stop.abort(new Error("first Ctrl-C"));
    inFlight.abort(new Error("second Ctrl-C"));
    const summary = await run;
    expect(summary.interrupted).toBe(true);
    expect(summary.failuresByCode).toEqual({ SAMKIT_FANOUT_CANCELLED: 2 });
    expect(summary.notStarted).toBe(4);
    const text = summaryText(summary);
    expect(text).toContain("Interrupted: 2 running tenants were cancelled; the rest were not started.");
    expect(text).not.toContain("the tenants above finished");
    expect(text).not.toContain("SAMKIT_HTTP_ABORTED");
  });

  it("a library caller's operation that returns (not throws) SAMKIT_HTTP_ABORTED after cancellation gets SAMKIT_FANOUT_CANCELLED", async () => {
    const inFlight = new AbortController();
    let started = 0;
    const records: FanoutRecord<unknown>[] = [];
    const run = runFanout(
      tenants(3),
      async (_t, task) => {
        started++;
        await new Promise<void>((resolve) =>
          task.abortSignal.addEventListener("abort", () => resolve(), { once: true }),
        );
        // what callApi/the HTTP seam hands back for an aborted request, returned as is
        const error = new SamkitError("SAMKIT_HTTP_ABORTED", { params: { host: "graph.example" } });
        return { ok: false, status: null, error };
      },
      { concurrency: 3, abortInFlightSignal: inFlight.signal, onResult: (r) => void records.push(r) },
    );
    while (started < 3) await delay(5);
    inFlight.abort(new Error("second Ctrl-C"));
    const summary = await run;
    expect(summary.failuresByCode).toEqual({ SAMKIT_FANOUT_CANCELLED: 3 });
    expect(records.map((r) => (r.ok ? "ok" : r.error.code))).toEqual(
      Array(3).fill("SAMKIT_FANOUT_CANCELLED"),
    );
  });

  it("a returned SAMKIT_HTTP_ABORTED while the run was not cancelled stays SAMKIT_HTTP_ABORTED", async () => {
    const summary = await runFanout(tenants(1), () =>
      Promise.resolve({
        ok: false as const,
        status: null,
        error: new SamkitError("SAMKIT_HTTP_ABORTED", { params: { host: "graph.example" } }),
      }),
    );
    expect(summary.failuresByCode).toEqual({ SAMKIT_HTTP_ABORTED: 1 });
  });
});
