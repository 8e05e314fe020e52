import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "engine/**/*.test.ts",
      "server/**/*.test.ts",
      "cli/**/*.test.ts",
      "builder-ui/**/*.test.ts",
      "builder-ui/**/*.test.tsx",
      "templates/**/*.test.ts",
      "test/**/*.test.ts",
    ],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", "./test/support/summary-reporter.ts"],
    setupFiles: ["./test/support/fast-check-seed.ts"],
  },
});
