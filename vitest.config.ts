import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

/**
 * Two projects: every test runs on SQLite (the embedded default); every test
 * that touches a database (`*.db.test.ts`, the integration suite, and the
 * hardening suite's tenant walls) runs again on PostgreSQL.
 */
const dbTests = ["app/**/*.db.test.ts", "test/integration/**/*.test.ts", "test/hardening/tenant-walls.test.ts"];

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Vitest's default on 2 cores is one file at a time; most of the suite's time is spent waiting on
    // the app, worker, store and database processes it starts, so two files at once nearly halve it.
    maxWorkers: 2,
    minWorkers: 1,
    projects: [
      {
        extends: true,
        test: {
          name: "sqlite",
          include: ["app/**/*.test.ts", "app/**/*.test.tsx", "test/**/*.test.ts"],
          env: { TEST_DATABASE: "sqlite" },
        },
      },
      {
        extends: true,
        test: {
          name: "postgres",
          include: dbTests,
          env: { TEST_DATABASE: "postgres" },
          // Only this project creates PostgreSQL databases, so only it prepares the template.
          globalSetup: ["test/support/postgres-template.ts"],
        },
      },
    ],
  },
});
