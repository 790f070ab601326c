import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // Tests spawn real processes and servers; keep parallelism to the machine's 2 cores.
    maxWorkers: 2,
    env: { SAMKIT_LOG_LEVEL: "silent" },
  },
});
