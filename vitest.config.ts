import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Oracle tests create network namespaces; run files one at a time per worker is fine,
    // but keep the pool small on the 2-core machines.
    pool: "forks",
    maxWorkers: 2,
  },
});
