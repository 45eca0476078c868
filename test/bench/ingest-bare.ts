/** The baseline of `npm run bench:ingest`: a bare Node HTTP server that parses the same JSON and answers 204. */
import http from "node:http";

const server = http.createServer((request, response) => {
  const parts: Buffer[] = [];
  request.on("data", (chunk: Buffer) => parts.push(chunk));
  request.on("end", () => {
    JSON.parse(Buffer.concat(parts).toString("utf8"));
    response.writeHead(204).end();
  });
});
server.listen(Number(process.argv[2]), "127.0.0.1", () => console.log("listening"));
