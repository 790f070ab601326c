/**
 * One "process" of the strict-rotation test: `ROUNDS` forced redemptions through a strict broker
 * on the shared file store. Prints one JSON line; exits 1 with the error code on failure.
 * Env: SAMKIT_HOME, EMU_INFO (the emulator's cloud JSON), ROUNDS.
 */
import { TokenBroker } from "../../src/broker/index.js";
import { emulatorCloud } from "../../src/cloud/emulator.js";
import { createHttpClient } from "../../src/http/client.js";
import { EncryptedFileStore } from "../../src/store/file/file-store.js";

const info = JSON.parse(process.env["EMU_INFO"] ?? "{}") as unknown;
const rounds = Number(process.env["ROUNDS"] ?? "50");
const broker = new TokenBroker({
  cloud: emulatorCloud(info),
  store: new EncryptedFileStore({ home: process.env["SAMKIT_HOME"] ?? "", timeoutMs: 120_000 }),
  http: createHttpClient(),
  rotation: "strict",
});
const resources = ["graph", "partner-center"];
let done = 0;
process.on("SIGTERM", () => {
  process.stdout.write(`${JSON.stringify({ pid: process.pid, done, error: "killed by the test's time bound" })}\n`);
  process.exit(1);
});
try {
  for (let i = 0; i < rounds; i++) {
    await broker.getToken({ resource: resources[i % resources.length], forceRefresh: true });
    done++;
  }
  process.stdout.write(`${JSON.stringify({ pid: process.pid, done })}\n`);
} catch (e) {
  const err = e as { code?: string; aadsts?: number; message?: string };
  process.stdout.write(`${JSON.stringify({ pid: process.pid, done, error: err.code ?? "error", aadsts: err.aadsts ?? null, message: err.message })}\n`);
  process.exitCode = 1;
}
