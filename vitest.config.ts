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
