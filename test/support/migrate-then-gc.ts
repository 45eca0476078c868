/**
 * Child process for app/db/client.server.db.test.ts: migrate, connect, let the
 * garbage collector finalize whatever migrate() left, and keep using the
 * database. With two copies of SQLite in one process this corrupted the file.
 */
import { connectDb } from "~/db/client.server";
import { migrate } from "~/db/migrate.server";

const url = process.env.DATABASE_URL!;
await migrate(url);
const db = await connectDb(url);
for (let round = 0; round < 5; round++) {
  await db.shop.create({ data: { domain: `gc-${round}.myshopify.com` } });
  (globalThis as { gc?: () => void }).gc?.();
  await new Promise((resolve) => setTimeout(resolve, 20));
  await db.shop.count();
}
console.log(JSON.stringify({ shops: await db.shop.count() }));
await db.$disconnect();
