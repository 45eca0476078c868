import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { createEmptyDatabase, ROOT, testDatabaseKind } from "../../test/support/databases";
import { useTestDatabase } from "../../test/support/use-test-database";
import { connectDb } from "./client.server";

const run = promisify(execFile);

describe("several processes writing one database", () => {
  const database = useTestDatabase();

  it("four processes doing Prisma writes and transactions at once all succeed", async () => {
    await Promise.all(
      [1, 2, 3, 4].map((n) =>
        run(path.join(ROOT, "node_modules/.bin/tsx"), ["--tsconfig", "tsconfig.json", "test/support/concurrent-writer.ts", String(n), "25"], {
          cwd: ROOT,
          env: { ...process.env, DATABASE_URL: database.url },
          timeout: 90_000,
        }),
      ),
    );
    const db = await connectDb(database.url);
    try {
      expect(await db.shop.count({ where: { scopes: "read_products" } })).toBe(100);
      expect(await db.session.count()).toBe(100);
    } finally {
      await db.$disconnect();
    }
  }, 120_000);

  it("survives garbage collection of what migrating left behind (one SQLite library per process)", async () => {
    const fresh = await createEmptyDatabase(testDatabaseKind());
    try {
      const { stdout } = await run(path.join(ROOT, "node_modules/.bin/tsx"), ["--expose-gc", "test/support/migrate-then-gc.ts"], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: fresh.url },
        timeout: 60_000,
      });
      expect(JSON.parse(stdout.trim().split("\n").pop()!)).toEqual({ shops: 5 });
    } finally {
      await fresh.drop();
    }
  });
});
