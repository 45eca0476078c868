/**
 * The real Shopify Admin API schema (2026-07), fetched from the npm package
 * Shopify publishes it in (@shopify/dev-mcp 1.16.0, file
 * package/dist/data/admin_2026-07.json.gz) because the project may not commit it.
 * The same path is what @shopify/api-codegen-preset looks for, so codegen reuses it.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

const run = promisify(execFile);

export const ADMIN_API_VERSION = "2026-07";
const PACKAGE_SPEC = "@shopify/dev-mcp@1.16.0";
const ENTRY_IN_TARBALL = `package/dist/data/admin_${ADMIN_API_VERSION}.json.gz`;

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const adminSchemaPath = join(repoRoot, "app/types", `admin-${ADMIN_API_VERSION}.schema.json`);

export async function ensureAdminSchema(): Promise<string> {
  if (existsSync(adminSchemaPath)) return adminSchemaPath;
  const workDir = await mkdtemp(join(tmpdir(), "admin-schema-"));
  try {
    await run("npm", ["pack", PACKAGE_SPEC, "--silent"], { cwd: workDir });
    const tarball = (await readdir(workDir)).find((name) => name.endsWith(".tgz"));
    if (!tarball) throw new Error(`npm pack ${PACKAGE_SPEC} produced no tarball`);
    await run("tar", ["-xzf", tarball, ENTRY_IN_TARBALL], { cwd: workDir });
    const json = gunzipSync(await readFile(join(workDir, ENTRY_IN_TARBALL)));
    if (!JSON.parse(json.toString("utf8"))?.data?.__schema) {
      throw new Error(`${ENTRY_IN_TARBALL} is not an introspection result`);
    }
    // Write then rename so a concurrent reader never sees a half-written file.
    const partial = `${adminSchemaPath}.${process.pid}.partial`;
    await mkdir(dirname(adminSchemaPath), { recursive: true });
    await writeFile(partial, json);
    await rename(partial, adminSchemaPath);
    return adminSchemaPath;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

let cachedSchema: Promise<GraphQLSchema> | undefined;

export function loadAdminSchema(): Promise<GraphQLSchema> {
  cachedSchema ??= ensureAdminSchema().then(async (path) => {
    const introspection = JSON.parse(await readFile(path, "utf8")) as { data: IntrospectionQuery };
    return buildClientSchema(introspection.data);
  });
  return cachedSchema;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await ensureAdminSchema());
}
