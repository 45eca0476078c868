/**
 * A private Redis and a private PostgreSQL for tests that kill them: the
 * shared instances on 6379/5432 serve every other test and are never touched.
 * Each runs from a temporary directory on a free port and is killed the way a
 * crash kills it (SIGKILL, PostgreSQL's immediate shutdown), then started
 * again on the same port with the same data.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, chownSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { Redis } from "ioredis";
import { freePort } from "../support/app-server";

const run = promisify(execFile);

export interface PrivateService {
  url: string;
  /** Dies at once, as in a crash. */
  kill(): Promise<void>;
  /** Starts again on the same port with the data it had. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Redis with an append-only file synced on every write, as BullMQ's
 * documentation asks of production Redis: a restart keeps the queue. Without
 * `persistent`, a restart comes back empty, as a cache-configured Redis does.
 */
export async function startPrivateRedis(options: { persistent: boolean } = { persistent: true }): Promise<PrivateService> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), "pis-redis-"));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let log = "";

  const start = async () => {
    child = spawn(
      "redis-server",
      [
        ...["--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--save", ""],
        ...(options.persistent ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]),
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    child.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
    await until(
      `redis-server on ${port}\n${log}`,
      async () => {
        const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        client.on("error", () => {});
        try {
          await client.connect();
          return (await client.ping()) === "PONG";
        } finally {
          client.disconnect();
        }
      },
      15_000,
    );
  };
  const kill = async () => {
    const current = child;
    if (!current || current.exitCode !== null || current.signalCode !== null) return;
    const exited = new Promise((resolve) => current.once("exit", resolve));
    current.kill("SIGKILL");
    await exited;
  };

  await start();
  return {
    url,
    kill,
    restart: start,
    async close() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const PG_BIN = "/usr/lib/postgresql/15/bin";

export type PrivatePostgres = PrivateService & { databaseUrl(name: string): string };

/**
 * PostgreSQL 15 in a temporary cluster. initdb refuses to run as root, so as
 * root the cluster belongs to the `postgres` user and its commands run as it.
 * Returns a reason instead when this machine cannot run one.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres | { skip: string }> {
  if (!existsSync(path.join(PG_BIN, "initdb"))) return { skip: `no PostgreSQL 15 server binaries in ${PG_BIN}` };
  const asRoot = userInfo().uid === 0;
  const dir = mkdtempSync(path.join(tmpdir(), "pis-pg-"));
  const data = path.join(dir, "data");
  const as = (command: string, args: string[]) =>
    asRoot ? run("runuser", ["-u", "postgres", "--", path.join(PG_BIN, command), ...args]) : run(path.join(PG_BIN, command), args);
  try {
    if (asRoot) chownSync(dir, await postgresUid(), -1);
    await as("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"]);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `a private PostgreSQL cluster cannot be created here: ${(error as Error).message.split("\n")[0]}` };
  }
  const port = await freePort();
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = async () => {
    await as("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "log"), "-w", "-t", "60", "start"]);
    await until(
      `PostgreSQL on ${port}`,
      async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.end();
        return true;
      },
      30_000,
    );
  };
  const kill = async () => {
    // Immediate: no checkpoint, every connection cut, recovery on the next start, as after a crash.
    await as("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => {});
  };
  await start();
  return {
    url,
    databaseUrl(name) {
      const database = new URL(url);
      database.pathname = `/${name}`;
      return database.toString();
    },
    kill,
    restart: start,
    async close() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresUid(): Promise<number> {
  const { stdout } = await run("id", ["-u", "postgres"]);
  return Number(stdout.trim());
}
