import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3Server, type FakeS3Server } from "./server";

let s3: FakeS3Server;

beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3.close();
});

const SIGNED = (accessKeyId: string) =>
  `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261126/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"a".repeat(64)}`;

describe("local S3 server", () => {
  it("refuses anonymous requests with S3's AccessDenied XML", async () => {
    const response = await fetch(`${s3.endpoint}/test-bucket/a.png`);
    expect(response.status).toBe(403);
    const body = await response.text();
    expect(body).toContain("<Code>AccessDenied</Code>");
  });

  it("answers a missing key with NoSuchKey", async () => {
    const response = await fetch(`${s3.endpoint}/test-bucket/missing.png`, { headers: { authorization: SIGNED(s3.credentials.accessKeyId) } });
    expect(response.status).toBe(404);
    expect(await response.text()).toMatch(/<Code>NoSuchKey<\/Code>.*<Resource>\/test-bucket\/missing\.png<\/Resource>/s);
  });

  it("decodes aws-chunked uploads", async () => {
    const body = "5;chunk-signature=abc\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n";
    const put = await fetch(`${s3.endpoint}/test-bucket/chunked.txt`, {
      method: "PUT",
      headers: { authorization: SIGNED(s3.credentials.accessKeyId), "content-encoding": "aws-chunked", "x-amz-decoded-content-length": "5", "content-type": "text/plain" },
      body,
    });
    expect(put.status).toBe(200);
    expect(s3.buckets.get("test-bucket")?.get("chunked.txt")?.body.toString()).toBe("hello");
  });

  it("requires an integrity header on DeleteObjects", async () => {
    const response = await fetch(`${s3.endpoint}/test-bucket?delete`, {
      method: "POST",
      headers: { authorization: SIGNED(s3.credentials.accessKeyId) },
      body: "<Delete><Object><Key>a</Key></Object></Delete>",
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("<Code>InvalidRequest</Code>");
  });
});
