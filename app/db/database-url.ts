/** The embedded default: one SQLite file, created on first start. */
export const DEFAULT_DATABASE_URL = "file:./data/app.sqlite";

export type DatabaseKind = "sqlite" | "postgres";

export function databaseKind(url: string): DatabaseKind {
  if (/^postgres(ql)?:\/\//.test(url)) return "postgres";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(
    `DATABASE_URL must be a SQLite "file:" URL or a "postgres://" URL, got "${url.split(":")[0]}:…"`,
  );
}
