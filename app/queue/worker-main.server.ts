/**
 * The worker process: `tsx app/queue/worker-main.server.ts --handlers <module>`.
 * It never imports Remix; the job handlers come from the module named on the
 * command line, which exports `createHandlers({ env, db })`. Without one it
 * says so and exits.
 *
 * SIGTERM/SIGINT stop it gracefully: no new jobs, in-flight ones get
 * WORKER_SHUTDOWN_TIMEOUT_MS to finish, the rest are handed back.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseEnv, type Env } from "~/config/env.server";
import { connectDb, type Db } from "~/db/client.server";
import { migrate } from "~/db/migrate.server";
import { startWorker } from "./engine.server";
import type { JobHandlers } from "./types";

export interface HandlerModule {
  createHandlers(deps: { env: Env; db: Db }): Partial<JobHandlers> | Promise<Partial<JobHandlers>>;
}

function handlersPath(argv: string[]): string | undefined {
  const index = argv.indexOf("--handlers");
  return index >= 0 ? argv[index + 1] : undefined;
}

async function loadHandlers(modulePath: string | undefined, deps: { env: Env; db: Db }): Promise<Partial<JobHandlers>> {
  if (!modulePath) return {};
  const module = (await import(pathToFileURL(path.resolve(modulePath)).href)) as Partial<HandlerModule>;
  if (typeof module.createHandlers !== "function") {
    throw new Error(`${modulePath} does not export createHandlers({ env, db })`);
  }
  return module.createHandlers(deps);
}

async function main() {
  const env = parseEnv(process.env);
  // The app migrates on start too; whichever process starts first does it.
  await migrate(env.DATABASE_URL);
  const db = await connectDb(env.DATABASE_URL);
  const handlers = await loadHandlers(handlersPath(process.argv), { env, db });
  const names = Object.keys(handlers);
  if (names.length === 0) {
    console.warn("[worker] no job handlers registered (pass --handlers <module>): nothing to run, exiting");
    await db.$disconnect();
    return;
  }
  const worker = startWorker(env, db, handlers);
  console.info(
    `[worker] pid ${process.pid} on ${env.QUEUE_DRIVER}, concurrency ${env.WORKER_CONCURRENCY}, handling ${names.join(", ")}`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.info(`[worker] ${signal}: stopping`);
    await worker.stop();
    await db.$disconnect();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  console.error("[worker] failed to start:", error);
  process.exit(1);
});
