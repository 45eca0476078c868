/**
 * The app's routes as the build knows them: the Remix manifest written into
 * the client build lists every route module with its path and whether it has
 * a loader or an action. Reading it (rather than a hand-kept list) is what
 * makes a new route part of the hardening suite the day it is built.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../support/databases";

export interface AppRoute {
  id: string;
  /** Full URL pattern, e.g. `/app/batches/:id`. */
  pattern: string;
  params: string[];
  hasLoader: boolean;
  hasAction: boolean;
}

interface ManifestRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
  hasLoader: boolean;
  hasAction: boolean;
}

export function buildDir(): string {
  return path.join(ROOT, process.env.APP_BUILD_DIR ?? "build");
}

function readManifest(): Record<string, ManifestRoute> {
  const assets = path.join(buildDir(), "client/assets");
  const file = readdirSync(assets).find((name) => /^manifest-[\w-]+\.js$/.test(name));
  if (!file) throw new Error(`No Remix manifest in ${assets}: build the app first`);
  const source = readFileSync(path.join(assets, file), "utf8");
  const json = /^window\.__remixManifest=(\{.*\});?\s*$/s.exec(source)?.[1];
  if (!json) throw new Error(`Unexpected manifest format in ${file}`);
  return (JSON.parse(json) as { routes: Record<string, ManifestRoute> }).routes;
}

export function appRoutes(): AppRoute[] {
  const manifest = readManifest();
  const fullPath = (route: ManifestRoute): string => {
    const parent = route.parentId ? manifest[route.parentId] : undefined;
    const own = route.path ?? "";
    const joined = parent ? `${fullPath(parent)}/${own}` : own;
    return joined.replace(/\/+/g, "/").replace(/\/$/, "");
  };
  return Object.values(manifest)
    .filter((route) => route.id !== "root")
    .map((route) => {
      const pattern = `/${fullPath(route)}`.replace(/\/+/g, "/");
      const params = [...pattern.matchAll(/:(\w+)|(\*)/g)].map((m) => m[1] ?? "*");
      return { id: route.id, pattern, params, hasLoader: route.hasLoader, hasAction: route.hasAction };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** `/app/batches/:id` with `{ id: "x" }` → `/app/batches/x`; every value is URL-encoded. */
export function fillPattern(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/:(\w+)|\*/g, (whole, name: string | undefined) => {
    const value = values[name ?? "*"];
    if (value === undefined) throw new Error(`No value for ${whole} in ${pattern}`);
    return encodeURIComponent(value);
  });
}

/** Route files on disk, to catch a route the build in use is too old to know about. */
export function routeFilesOnDisk(): string[] {
  return readdirSync(path.join(ROOT, "app/routes"), { withFileTypes: true })
    .filter((entry) => !entry.name.startsWith(".") && !entry.name.includes(".test."))
    .filter((entry) => entry.isDirectory() || /\.(tsx?|jsx?)$/.test(entry.name))
    .map((entry) => `routes/${entry.name.replace(/\.(tsx?|jsx?)$/, "")}`)
    .sort();
}
