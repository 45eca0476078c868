/**
 * Runs the built app (`npm run build`) exactly as production does —
 * server.mjs, real environment variables — against the local store.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { ROOT } from "./databases";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningApp {
  url: string;
  logs(): string;
  close(): Promise<void>;
}

export interface AppEnv {
  port: number;
  apiKey: string;
  apiSecret: string;
  databaseUrl: string;
  originOverrides: string;
  scopes?: string;
  extra?: Record<string, string>;
}

/** The production environment both the app and its worker processes get. */
function processEnv(env: AppEnv): NodeJS.ProcessEnv {
  return {
    PATH: `${path.join(ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`,
    NODE_ENV: "production",
    PORT: String(env.port),
    HOST: "127.0.0.1",
    SHOPIFY_API_KEY: env.apiKey,
    SHOPIFY_API_SECRET: env.apiSecret,
    SHOPIFY_APP_URL: `http://127.0.0.1:${env.port}`,
    SCOPES: env.scopes ?? "read_products,write_products",
    DATABASE_URL: env.databaseUrl,
    SHOPIFY_SHOP_ORIGIN_OVERRIDES: env.originOverrides,
    ...env.extra,
  };
}

interface Spawned {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  stop(): Promise<void>;
}

function spawnLogged(command: string, args: string[], env: NodeJS.ProcessEnv): Spawned {
  let output = "";
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return {
    child,
    exited,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await exited;
      }
    },
  };
}

/** The built app under server.mjs, as `npm start` runs it; with `worker`, also `npm run worker`. */
export async function startApp(env: AppEnv, options: { worker?: boolean } = {}): Promise<RunningApp> {
  const serverBuild = path.join(ROOT, process.env.APP_BUILD_DIR ?? "build", "server/index.js");
  if (!existsSync(serverBuild)) throw new Error("No app build: run `npm run build` first (npm test does it for you).");
  const url = `http://127.0.0.1:${env.port}`;
  const environment = processEnv(env);
  const app = spawnLogged(path.join(ROOT, "node_modules/.bin/node"), [path.join(ROOT, "server.mjs"), serverBuild], environment);

  const deadline = Date.now() + 30_000;
  for (;;) {
    const code = await Promise.race([app.exited, new Promise<"wait">((r) => setTimeout(() => r("wait"), 100))]);
    if (code !== "wait") throw new Error(`The app exited (${code}) while starting:\n${app.output()}`);
    try {
      await fetch(`${url}/auth/login`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`The app did not start within 30 s:\n${app.output()}`);
    }
  }

  // Started after the app so the app's start-up migration has run.
  const worker = options.worker
    ? spawnLogged(
        path.join(ROOT, "node_modules/.bin/tsx"),
        ["app/queue/worker-main.server.ts", "--handlers", "app/batches/handlers.server.ts"],
        environment,
      )
    : undefined;

  return {
    url,
    logs: () => `${app.output()}${worker ? `\n--- worker ---\n${worker.output()}` : ""}`,
    close: async () => {
      await worker?.stop();
      await app.stop();
    },
  };
}
