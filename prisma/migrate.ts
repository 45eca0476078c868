/** `npm run db:migrate`: what the app does on start, for deploy pipelines that migrate first. */
import { DEFAULT_DATABASE_URL } from "../app/db/database-url";
import { migrate } from "../app/db/migrate.server";

const applied = await migrate(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
console.log(JSON.stringify({ applied }));
