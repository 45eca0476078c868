/**
 * The baselines of `npm run bench:ingest`: a bare Node HTTP server that parses
 * the same JSON and answers 204; with a file argument, one that also appends
 * each body to that file and answers once it is flushed to disk (fdatasync,
 * shared by the requests that arrived meanwhile): the floor for any endpoint
 * that acknowledges only what is durable.
 */
import { fdatasync, openSync, writeSync } from "node:fs";
import http from "node:http";

const [port, journal] = process.argv.slice(2) as [string, string | undefined];
const fd = journal ? openSync(journal, "a") : null;
let waiting: Array<() => void> = [];
let flushing = 0;

function flush() {
  if (fd === null || flushing >= 3 || waiting.length === 0) return;
  flushing++;
  const batch = waiting;
  waiting = [];
  fdatasync(fd, () => {
    flushing--;
    for (const done of batch) done();
    flush();
  });
}

const server = http.createServer((request, response) => {
  const parts: Buffer[] = [];
  request.on("data", (chunk: Buffer) => parts.push(chunk));
  request.on("end", () => {
    const body = Buffer.concat(parts).toString("utf8");
    JSON.parse(body);
    if (fd === null) {
      response.writeHead(204).end();
      return;
    }
    writeSync(fd, `${body}\n`);
    waiting.push(() => response.writeHead(204).end());
    flush();
  });
});
server.listen(Number(port), "127.0.0.1", () => console.log("listening"));
