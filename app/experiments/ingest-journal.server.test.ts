import { appendFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JournalBackloggedError, JournalReader, JournalWriter, type JournalOptions } from "./ingest-journal.server";

let dir: string;
const toClose: Array<{ close(): void }> = [];
function writer(options: Partial<JournalOptions> = {}) {
  const w = new JournalWriter({ dir, ...options });
  toClose.push(w);
  return w;
}
function reader(of: JournalWriter, options: Partial<JournalOptions> = {}) {
  const r = new JournalReader({ dir, writer: of.owner, ...options });
  toClose.push(r);
  return r;
}
/** Everything the reader hands over, in order, until it has nothing left. */
async function drainAll(r: JournalReader): Promise<string[]> {
  const seen: string[] = [];
  while ((await r.drain(async (lines) => void seen.push(...lines))) > 0) {
    // Next segment or next chunk.
  }
  return seen;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const logs = () => readdirSync(dir).filter((name) => name.endsWith(".log"));

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "pis-journal-"));
});
afterEach(() => {
  for (const j of toClose.splice(0)) j.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the ingestion journal", () => {
  it("hands each appended line to the loader once, and again only if loading failed", async () => {
    const w = writer();
    const r = reader(w);
    await Promise.all(["a", "b", "c"].map((line) => w.append(line)));
    await expect(r.drain(async () => Promise.reject(new Error("database down")))).rejects.toThrow("database down");
    expect(await drainAll(r)).toEqual(["a", "b", "c"]);
    await w.append("d");
    expect(await drainAll(r)).toEqual(["d"]);
  });

  it("rotates segments and deletes them once loaded, but never the one being written", async () => {
    const w = writer({ segmentBytes: 64 });
    const r = reader(w);
    const lines = Array.from({ length: 40 }, (_, i) => `line-${i}-${"x".repeat(20)}`);
    for (const line of lines) await w.append(line);
    expect(logs().length).toBeGreaterThan(5);
    expect(await drainAll(r)).toEqual(lines);
    expect(logs()).toHaveLength(1);
    await w.append("after");
    expect(await drainAll(r)).toEqual(["after"]);
  });

  it("refuses appends while too much waits to be loaded, and takes them again once loaded", async () => {
    const w = writer({ maxBacklogBytes: 100 });
    const r = reader(w);
    for (let i = 0; i < 4; i++) await w.append("y".repeat(30));
    await sleep(250); // The writer reads the backlog from disk at most every 200 ms.
    await expect(w.append("one more")).rejects.toBeInstanceOf(JournalBackloggedError);
    await drainAll(r);
    await sleep(250);
    await expect(w.append("one more")).resolves.toBeUndefined();
  });

  it("leaves nothing behind when closed with everything loaded, and keeps what is not", async () => {
    const done = writer();
    await done.append("loaded");
    await drainAll(reader(done));
    done.close();
    expect(readdirSync(dir).filter((name) => name.startsWith(done.owner))).toEqual([]);
    const pending = writer();
    await pending.append("not loaded");
    pending.close();
    expect(logs().filter((name) => name.startsWith(pending.owner))).toHaveLength(1);
  });

  it("leaves a live writer's lines to its reader; a stopped writer's are adopted by one reader, torn last line dropped", async () => {
    const live = writer({ staleOwnerMs: 300 });
    const dead = writer({ staleOwnerMs: 300 });
    await live.append("live-1");
    await dead.append("dead-1");
    await dead.append("dead-2");
    dead.close();
    // The crash cut its last write short: never acknowledged, never loaded.
    appendFileSync(path.join(dir, logs().find((name) => name.startsWith(`${dead.owner}~`))!), '{"torn');

    const restartedA = writer({ staleOwnerMs: 300 });
    const restartedB = writer({ staleOwnerMs: 300 });
    const first = reader(restartedA, { staleOwnerMs: 300 });
    const second = reader(restartedB, { staleOwnerMs: 300 });
    expect(await drainAll(first)).toEqual([]);
    await sleep(400);
    const [a, b] = await Promise.all([drainAll(first), drainAll(second)]);
    expect([...a, ...b].sort()).toEqual(["dead-1", "dead-2"]);
    expect(await drainAll(reader(live, { staleOwnerMs: 300 }))).toEqual(["live-1"]);
    expect(readdirSync(dir).some((name) => name.startsWith(dead.owner))).toBe(false);
  });
});
