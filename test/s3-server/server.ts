import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local S3-compatible server speaking the REST wire format the AWS SDK v3
 * uses, path-style (`/bucket/key`): PutObject, GetObject, HeadObject,
 * DeleteObject, DeleteObjects (`POST /bucket?delete`) and ListObjectsV2
 * (`GET /bucket?list-type=2`) with prefix and continuation tokens, answering
 * with S3's XML bodies and error codes (NoSuchKey, NoSuchBucket, AccessDenied,
 * InvalidAccessKeyId, MalformedXML).
 *
 * SigV4 signatures are not verified, but every request must carry a SigV4
 * Authorization header naming the configured access key, as S3 requires.
 * Written from the S3 API reference, not from the storage adapter.
 */

export const FAKE_S3_CREDENTIALS = { accessKeyId: "AKIALOCALTEST0000001", secretAccessKey: "local-test-secret-key" };

interface StoredObject {
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
}

export interface FakeS3Server {
  endpoint: string;
  region: string;
  credentials: typeof FAKE_S3_CREDENTIALS;
  /** Bucket → key → object; tests may look inside. */
  buckets: Map<string, Map<string, StoredObject>>;
  /** Every request as "METHOD path?query", for asserting what went over the wire. */
  log: string[];
  close(): Promise<void>;
}

export interface FakeS3Options {
  buckets?: string[];
  /** Largest page ListObjectsV2 returns whatever max-keys asks, so pagination can be tested with few objects. */
  maxKeysPerPage?: number;
}

function xmlEscape(value: string): string {
  return value.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c);
}

function xmlUnescape(value: string): string {
  return value
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, "&");
}

class S3Failure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly resource: string,
  ) {
    super(message);
  }
}

function sendXml(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  const bytes = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
  res.writeHead(status, {
    "content-type": "application/xml",
    "content-length": String(bytes.length),
    "x-amz-request-id": randomUUID().replace(/-/g, "").slice(0, 16).toUpperCase(),
    ...headers,
  });
  res.end(bytes);
}

function sendError(res: ServerResponse, failure: S3Failure, method: string) {
  // HEAD responses have no body, so S3 reports the code only through the status.
  if (method === "HEAD") {
    res.writeHead(failure.status);
    res.end();
    return;
  }
  sendXml(
    res,
    failure.status,
    `<Error><Code>${failure.code}</Code><Message>${xmlEscape(failure.message)}</Message><Resource>${xmlEscape(failure.resource)}</Resource><RequestId>${randomUUID()}</RequestId></Error>`,
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `aws-chunked` bodies (streaming SigV4 / trailing checksums): "<hex-size>[;chunk-signature=…]\r\n<data>\r\n…0\r\n<trailers>". */
function decodeAwsChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = raw.indexOf("\r\n", offset);
    if (lineEnd < 0) throw new S3Failure(400, "IncompleteBody", "The chunked body ended early.", "");
    const size = parseInt(raw.subarray(offset, lineEnd).toString("latin1").split(";")[0] ?? "", 16);
    if (!Number.isFinite(size)) throw new S3Failure(400, "InvalidChunkSizeError", "Bad chunk size.", "");
    if (size === 0) return Buffer.concat(parts);
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
}

function checkAuthorization(req: IncomingMessage, accessKeyId: string, resource: string) {
  const header = req.headers.authorization;
  if (!header) throw new S3Failure(403, "AccessDenied", "Anonymous access is not allowed: the request carries no Authorization header.", resource);
  const credential = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/\d{8}\/[^/]+\/s3\/aws4_request, ?SignedHeaders=[^,]+, ?Signature=[0-9a-f]{64}$/.exec(header);
  if (!credential) throw new S3Failure(400, "AuthorizationHeaderMalformed", "The authorization header is malformed.", resource);
  if (credential[1] !== accessKeyId) {
    throw new S3Failure(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.", resource);
  }
}

export async function startS3Server(options: FakeS3Options = {}): Promise<FakeS3Server> {
  const buckets = new Map<string, Map<string, StoredObject>>();
  for (const name of options.buckets ?? ["test-bucket"]) buckets.set(name, new Map());
  const maxKeysPerPage = options.maxKeysPerPage ?? 1000;
  const log: string[] = [];
  /** Continuation tokens are opaque to clients; ours map to the last key returned. */
  const tokens = new Map<string, string>();

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://local");
    const method = req.method ?? "GET";
    log.push(`${method} ${url.pathname}${url.search}`);
    const [, bucketName = "", ...keyParts] = url.pathname.split("/");
    const key = keyParts.map((p) => decodeURIComponent(p)).join("/");
    const resource = url.pathname;
    checkAuthorization(req, FAKE_S3_CREDENTIALS.accessKeyId, resource);
    const bucket = buckets.get(bucketName);
    if (!bucketName || !bucket) throw new S3Failure(404, "NoSuchBucket", "The specified bucket does not exist", resource);

    if (!key) {
      if (method === "GET" && url.searchParams.get("list-type") === "2") return listObjects(res, bucketName, bucket, url.searchParams);
      if (method === "POST" && url.searchParams.has("delete")) return deleteObjects(req, res, bucket);
      throw new S3Failure(405, "MethodNotAllowed", "The specified method is not allowed against this resource.", resource);
    }

    switch (method) {
      case "PUT": {
        const raw = await readBody(req);
        const chunked = (req.headers["content-encoding"] ?? "").includes("aws-chunked") || String(req.headers["x-amz-content-sha256"] ?? "").startsWith("STREAMING-");
        const body = chunked ? decodeAwsChunked(raw) : raw;
        const declared = req.headers["x-amz-decoded-content-length"] ?? (chunked ? undefined : req.headers["content-length"]);
        if (declared !== undefined && Number(declared) !== body.length) {
          throw new S3Failure(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.", resource);
        }
        const etag = `"${createHash("md5").update(body).digest("hex")}"`;
        bucket.set(key, { body, contentType: req.headers["content-type"] ?? "binary/octet-stream", etag, lastModified: new Date() });
        res.writeHead(200, { etag, "content-length": "0" });
        res.end();
        return;
      }
      case "GET":
      case "HEAD": {
        const object = bucket.get(key);
        if (!object) throw new S3Failure(404, "NoSuchKey", "The specified key does not exist.", resource);
        res.writeHead(200, {
          "content-type": object.contentType,
          "content-length": String(object.body.length),
          etag: object.etag,
          "last-modified": object.lastModified.toUTCString(),
          "accept-ranges": "bytes",
        });
        res.end(method === "GET" ? object.body : undefined);
        return;
      }
      case "DELETE":
        // S3 answers 204 whether or not the key existed.
        bucket.delete(key);
        res.writeHead(204);
        res.end();
        return;
      default:
        throw new S3Failure(405, "MethodNotAllowed", "The specified method is not allowed against this resource.", resource);
    }
  }

  function listObjects(res: ServerResponse, bucketName: string, bucket: Map<string, StoredObject>, params: URLSearchParams) {
    const prefix = params.get("prefix") ?? "";
    const requested = Number(params.get("max-keys") ?? 1000);
    const maxKeys = Math.min(Number.isInteger(requested) && requested >= 0 ? requested : 1000, maxKeysPerPage);
    const token = params.get("continuation-token");
    let after = params.get("start-after") ?? "";
    if (token !== null) {
      const last = tokens.get(token);
      if (last === undefined) throw new S3Failure(400, "InvalidArgument", "The continuation token provided is incorrect", `/${bucketName}`);
      after = last;
    }
    const urlEncoded = params.get("encoding-type") === "url";
    const encode = (value: string) => (urlEncoded ? encodeURIComponent(value).replace(/%2F/g, "/") : value);
    const matching = [...bucket.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
    const page = matching.slice(0, maxKeys);
    const truncated = matching.length > page.length;
    let next = "";
    if (truncated) {
      next = randomUUID();
      tokens.set(next, page[page.length - 1] ?? after);
    }
    const contents = page
      .map((k) => {
        const object = bucket.get(k);
        if (!object) return "";
        return `<Contents><Key>${xmlEscape(encode(k))}</Key><LastModified>${object.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(object.etag)}</ETag><Size>${object.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
      })
      .join("");
    sendXml(
      res,
      200,
      `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xmlEscape(bucketName)}</Name><Prefix>${xmlEscape(encode(prefix))}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>${urlEncoded ? "<EncodingType>url</EncodingType>" : ""}<IsTruncated>${truncated}</IsTruncated>${token !== null ? `<ContinuationToken>${xmlEscape(token)}</ContinuationToken>` : ""}${truncated ? `<NextContinuationToken>${next}</NextContinuationToken>` : ""}${contents}</ListBucketResult>`,
    );
  }

  async function deleteObjects(req: IncomingMessage, res: ServerResponse, bucket: Map<string, StoredObject>) {
    // S3 requires an integrity header on DeleteObjects.
    const hasChecksum = req.headers["content-md5"] !== undefined || Object.keys(req.headers).some((h) => h.startsWith("x-amz-checksum-"));
    if (!hasChecksum) throw new S3Failure(400, "InvalidRequest", "Missing required header for this request: Content-MD5 or x-amz-checksum-*", "");
    const xml = (await readBody(req)).toString("utf8");
    if (!/<Delete[\s>]/.test(xml)) throw new S3Failure(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.", "");
    const keys = [...xml.matchAll(/<Object>\s*<Key>([^<]*)<\/Key>/g)].map((m) => xmlUnescape(m[1] ?? ""));
    if (keys.length === 0 || keys.length > 1000) throw new S3Failure(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema.", "");
    const quiet = /<Quiet>\s*true\s*<\/Quiet>/.test(xml);
    for (const k of keys) bucket.delete(k);
    const deleted = quiet ? "" : keys.map((k) => `<Deleted><Key>${xmlEscape(k)}</Key></Deleted>`).join("");
    sendXml(res, 200, `<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${deleted}</DeleteResult>`);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const failure = error instanceof S3Failure ? error : new S3Failure(500, "InternalError", `We encountered an internal error: ${String(error)}`, req.url ?? "");
      // Drain what the client is still sending before answering, as S3 does.
      req.resume();
      sendError(res, failure, req.method ?? "GET");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region: "us-east-1",
    credentials: FAKE_S3_CREDENTIALS,
    buckets,
    log,
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
