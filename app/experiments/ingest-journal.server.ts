import { randomBytes } from "node:crypto";
import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

/**
 * The pixel endpoint's write-ahead journal: an accepted request is one line
 * appended to a file and flushed to disk (fdatasync, shared by every request
 * that arrived while the previous flush ran), and only then acknowledged. A
 * loader moves lines into the database in large transactions behind it. So a
 * storefront's peak costs an append per request, not a database transaction,
 * and an acknowledged event survives the process and the machine crashing.
 *
 * Several processes may share the directory (one machine, or a shared volume):
 * each writes and loads its own segments and marks itself alive; segments whose
 * writer stopped marking itself alive are adopted (renamed, which only one
 * process can do) and loaded by another. Loading is idempotent (events are
 * deduplicated in the database), so a segment loaded twice after a crash
 * between commit and offset counts once.
 */

export interface JournalOptions {
  /** One directory per database: every segment in it is loaded into the same one. */
  dir: string;
  /** A new segment is started past this size (writer); loaded segments are deleted (reader). */
  segmentBytes?: number;
  /** A writer that has not marked itself alive for this long is gone; its segments are adopted. */
  staleOwnerMs?: number;
  /** Appends are refused (the client sends again later) while this much is waiting to be loaded. */
  maxBacklogBytes?: number;
}

/** The loader is too far behind: the request is refused, not queued without bound. */
export class JournalBackloggedError extends Error {}

const SEGMENT = /^(?<owner>[^~]+)~(?<seq>\d{8})\.log$/;
const MAX_READ_BYTES = 4 * 1024 * 1024;
const MAX_FLUSHES_IN_FLIGHT = 3;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** The part of the directory both sides use: file names, liveness marks, offsets. */
class JournalDir {
  readonly owner = `${hostname().replace(/[^A-Za-z0-9-]/g, "")}-${process.pid}-${randomBytes(4).toString("hex")}`;
  protected readonly dir: string;
  protected readonly staleOwnerMs: number;
  private readonly aliveTimer: NodeJS.Timeout;

  constructor(options: JournalOptions) {
    this.dir = options.dir;
    this.staleOwnerMs = options.staleOwnerMs ?? 15_000;
    mkdirSync(this.dir, { recursive: true });
    this.markAlive();
    this.aliveTimer = setInterval(() => this.markAlive(), Math.max(50, Math.floor(this.staleOwnerMs / 3)));
    this.aliveTimer.unref();
  }

  protected stopMarkingAlive() {
    clearInterval(this.aliveTimer);
  }

  protected file(name: string) {
    return path.join(this.dir, name);
  }

  protected segmentsOf(owner: string): string[] {
    return readdirSync(this.dir)
      .filter((name) => name.startsWith(`${owner}~`) && name.endsWith(".log"))
      .sort();
  }

  protected readOffset(name: string): number {
    try {
      const value = Number(readFileSync(this.file(offsetName(name)), "utf8"));
      return Number.isFinite(value) && value >= 0 ? value : 0;
    } catch {
      return 0;
    }
  }

  protected size(name: string): number {
    try {
      return statSync(this.file(name)).size;
    } catch {
      return 0;
    }
  }

  protected remove(name: string) {
    unlinkQuietly(this.file(name));
    unlinkQuietly(this.file(offsetName(name)));
  }

  protected forgetOwner() {
    unlinkQuietly(this.file(`${this.owner}.alive`));
  }

  private markAlive() {
    const file = this.file(`${this.owner}.alive`);
    const now = new Date();
    try {
      utimesSync(file, now, now);
    } catch {
      writeFileSync(file, "");
    }
  }
}

/**
 * Appends accepted requests. Lives where the requests are answered; the
 * reader (below) may run elsewhere, in another thread or process.
 */
export class JournalWriter extends JournalDir {
  private readonly segmentBytes: number;
  private readonly maxBacklogBytes: number;
  private seq = 0;
  private fd: number;
  private active: string;
  private activeSize = 0;
  private syncing = 0;
  private waiting: Waiter[] = [];
  private backlog = { bytes: 0, at: 0 };
  private closed = false;

  constructor(options: JournalOptions) {
    super(options);
    this.segmentBytes = options.segmentBytes ?? 16 * 1024 * 1024;
    this.maxBacklogBytes = options.maxBacklogBytes ?? 256 * 1024 * 1024;
    this.active = this.segmentName(++this.seq);
    this.fd = openSync(this.file(this.active), "a");
  }

  /** Resolves once the line is on disk. */
  append(line: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error("The event journal is closed."));
    if (this.backlogBytes() > this.maxBacklogBytes) {
      return Promise.reject(new JournalBackloggedError("Events are arriving faster than they can be stored; send them again shortly."));
    }
    if (this.activeSize >= this.segmentBytes && this.syncing === 0) this.rotate();
    const bytes = Buffer.from(`${line}\n`);
    try {
      // Synchronous: a partial line can only be the last one, from a write cut short by a crash, and is never acknowledged.
      writeSync(this.fd, bytes);
    } catch (error) {
      return Promise.reject(error);
    }
    this.activeSize += bytes.length;
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.flush();
    });
  }

  /** Bytes written here and not loaded yet, from the reader's offsets; read from disk at most every 200 ms. */
  backlogBytes(): number {
    const now = Date.now();
    if (now - this.backlog.at >= 200) {
      let bytes = 0;
      for (const name of this.segmentsOf(this.owner)) bytes += Math.max(0, this.size(name) - this.readOffset(name));
      this.backlog = { bytes, at: now };
    }
    return this.backlog.bytes;
  }

  /** Stops taking lines. What is not loaded stays on disk, for whichever reader adopts it. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stopMarkingAlive();
    try {
      fdatasyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
    const waiting = this.waiting;
    this.waiting = [];
    for (const waiter of waiting) waiter.resolve();
    // Fully loaded: nothing of this writer needs to stay.
    const segments = this.segmentsOf(this.owner);
    if (segments.every((name) => this.readOffset(name) >= this.size(name))) {
      for (const name of segments) this.remove(name);
      this.forgetOwner();
    }
  }

  /**
   * A flush covers every line written before it started. Several may run at
   * once (libuv's thread pool), so a request waits for one flush, not for the
   * one in progress and then its own.
   */
  private flush() {
    if (this.syncing >= MAX_FLUSHES_IN_FLIGHT || this.waiting.length === 0 || this.closed) return;
    this.syncing++;
    const batch = this.waiting;
    this.waiting = [];
    fdatasync(this.fd, (error) => {
      this.syncing--;
      for (const waiter of batch) {
        if (error) waiter.reject(error);
        else waiter.resolve();
      }
      this.flush();
    });
  }

  private rotate() {
    // Everything written to the old segment reaches the disk before its descriptor goes.
    fdatasyncSync(this.fd);
    closeSync(this.fd);
    this.active = this.segmentName(++this.seq);
    this.fd = openSync(this.file(this.active), "a");
    this.activeSize = 0;
  }

  private segmentName(seq: number) {
    return `${this.owner}~${String(seq).padStart(8, "0")}.log`;
  }
}

/**
 * Hands journaled lines to a loader: the segments of the writer it serves
 * (named by its owner id), and segments whose writer stopped marking itself
 * alive, which it adopts.
 */
export class JournalReader extends JournalDir {
  private readonly writer: string;
  private adopted = 0;
  private lastAdoptionScan = 0;

  constructor(
    options: JournalOptions & {
      /** The owner id of the live writer this reader loads for (its process, or the thread's parent). */
      writer: string;
    },
  ) {
    super(options);
    this.writer = options.writer;
  }

  /**
   * Hands the complete lines written since the last call to `load`, one
   * segment's worth (up to a few MB) at a time, and moves past them only once
   * `load` resolves; a rejection leaves them to be handed again. Returns how
   * many lines were loaded (0: nothing waiting).
   */
  async drain(load: (lines: string[]) => Promise<void>): Promise<number> {
    // A writer only counts as gone after staleOwnerMs, so scanning the directory for orphans on every
    // pass (every 50 ms, or back to back while catching up) would find nothing new most of the time.
    if (Date.now() - this.lastAdoptionScan >= this.staleOwnerMs / 3) {
      this.lastAdoptionScan = Date.now();
      this.adoptOrphans();
    }
    const fromWriter = this.segmentsOf(this.writer);
    const writing = fromWriter.at(-1);
    for (const name of [...fromWriter, ...this.segmentsOf(this.owner)]) {
      const offset = this.readOffset(name);
      const size = this.size(name);
      const { lines, consumed } = offset < size ? this.readLines(name, offset, size) : { lines: [], consumed: 0 };
      if (lines.length === 0) {
        // Loaded to its end (or to a torn last line) and nobody writes to it any more.
        if (name !== writing) this.remove(name);
        continue;
      }
      await load(lines);
      writeFileSync(this.file(offsetName(name)), String(offset + consumed));
      return lines.length;
    }
    return 0;
  }

  close(): void {
    this.stopMarkingAlive();
    if (this.segmentsOf(this.owner).length === 0) this.forgetOwner();
  }

  private adoptOrphans() {
    const now = Date.now();
    const stale = new Map<string, boolean>();
    const isStale = (owner: string) => {
      if (!stale.has(owner)) {
        let gone = true;
        try {
          gone = now - statSync(this.file(`${owner}.alive`)).mtimeMs > this.staleOwnerMs;
        } catch {
          // No mark at all: its writer is gone.
        }
        stale.set(owner, gone);
      }
      return stale.get(owner)!;
    };
    for (const name of readdirSync(this.dir)) {
      const owner = SEGMENT.exec(name)?.groups?.owner;
      if (!owner || owner === this.owner || owner === this.writer || !isStale(owner)) continue;
      const adopted = `${this.owner}~${String(++this.adopted).padStart(8, "0")}.log`;
      try {
        renameSync(this.file(name), this.file(adopted));
      } catch {
        // Another reader adopted it first.
        continue;
      }
      try {
        renameSync(this.file(offsetName(name)), this.file(offsetName(adopted)));
      } catch {
        // Never loaded from, or its offset was lost: loading from the start is safe (events are deduplicated).
      }
    }
    for (const [owner, gone] of stale) {
      if (!gone || this.segmentsOf(owner).length > 0) continue;
      for (const name of readdirSync(this.dir)) {
        if (name === `${owner}.alive` || (name.startsWith(`${owner}~`) && name.endsWith(".offset"))) unlinkQuietly(this.file(name));
      }
    }
  }

  private readLines(name: string, offset: number, size: number): { lines: string[]; consumed: number } {
    const length = Math.min(size - offset, MAX_READ_BYTES);
    const buffer = Buffer.alloc(length);
    const fd = openSync(this.file(name), "r");
    let read = 0;
    try {
      while (read < length) {
        const n = readSync(fd, buffer, read, length - read, offset + read);
        if (n === 0) break;
        read += n;
      }
    } finally {
      closeSync(fd);
    }
    const end = buffer.subarray(0, read).lastIndexOf(0x0a);
    if (end < 0) return { lines: [], consumed: 0 };
    const lines = buffer.toString("utf8", 0, end).split("\n").filter((line) => line.length > 0);
    return { lines, consumed: end + 1 };
  }
}

function offsetName(segment: string) {
  return segment.replace(/\.log$/, ".offset");
}

function unlinkQuietly(file: string) {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}
