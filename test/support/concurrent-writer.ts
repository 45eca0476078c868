/** Child process for app/db/client.server.db.test.ts: Prisma writes racing other processes. */
import { connectDb } from "~/db/client.server";

const [, , worker, countArg] = process.argv;
const db = await connectDb(process.env.DATABASE_URL!);
for (let i = 0; i < Number(countArg); i++) {
  const domain = `p${worker}-${i}.myshopify.com`;
  await db.shop.create({ data: { domain } });
  await db.$transaction([
    db.shop.updateMany({ where: { domain }, data: { scopes: "read_products" } }),
    db.session.create({ data: { id: `s-${domain}`, shop: domain, state: "x", accessToken: "t" } }),
  ]);
}
await db.$disconnect();
