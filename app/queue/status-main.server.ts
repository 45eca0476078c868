/** `npm run queue:status`: the job queue's state, for whoever operates the app. */
import { parseEnv } from "~/config/env.server";
import { connectDb } from "~/db/client.server";
import { queueStatusReport } from "./status.server";

const env = parseEnv(process.env);
const db = await connectDb(env.DATABASE_URL);
try {
  console.info(await queueStatusReport(env, db));
} finally {
  await db.$disconnect();
}
