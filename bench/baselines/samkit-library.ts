/**
 * samkit used as a library (not a baseline: the thing under test), the way docs/library.md shows:
 * `createTokenBroker` over the encrypted file store, `runFanout` with bounded concurrency, and
 * per tenant `broker.getToken({ resource: "graph", tenant })` then one Graph call through samkit's
 * HTTP seam. Imports the built package (`dist/`), as an application would.
 */
import type { FanoutBenchInput, FanoutBenchResult } from "./types.js";

/** Run the samkit library variant over `input.tenants`. */
export async function runSamkitLibraryFanout(input: FanoutBenchInput): Promise<Omit<FanoutBenchResult, "peakRssKb">> {
  if (input.home === undefined || input.storeKey === undefined) throw new Error("samkit library variant needs home and storeKey");
  const samkit = await import("../../dist/src/index.js");
  const { runFanout, tenantTargets } = await import("../../dist/src/fanout/index.js");
  const http = samkit.createHttpClient();
  const cloud = await samkit.loadEmulatorCloud(input.identityUrl, http);
  const store = new samkit.EncryptedFileStore({ home: input.home, storeKey: input.storeKey });
  const broker = samkit.createTokenBroker({ cloud, store, profile: "default", http });
  const sampleErrors: string[] = [];
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), input.capMs);
  const summary = await runFanout(
    tenantTargets(input.tenants),
    async (target, task) => {
      const token = await broker.getToken({ resource: "graph", tenant: target.tenantId, abortSignal: task.abortSignal });
      const res = await http.request({
        method: "GET",
        url: `${input.graphUrl}/v1.0/users?$top=5`,
        headers: { authorization: `Bearer ${token.token}` },
        service: "graph",
        abortSignal: task.abortSignal,
      });
      if (res.status === 200) return { ok: true, status: res.status, data: null };
      throw new Error(`Graph ${res.status}: ${res.text.slice(0, 120)}`);
    },
    {
      concurrency: input.concurrency,
      abortSignal: stop.signal,
      onResult: (r) => {
        if (!r.ok && sampleErrors.length < 3) sampleErrors.push(`${r.error.code}: ${r.error.message.slice(0, 120)}`);
      },
    },
  );
  clearTimeout(timer);
  return {
    wallMs: summary.durationMs,
    done: summary.attempted,
    ok: summary.succeeded,
    failed: summary.failed,
    capped: summary.interrupted,
    sampleErrors,
  };
}
