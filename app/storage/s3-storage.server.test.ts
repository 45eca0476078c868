import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startS3Server, type FakeS3Server } from "../../test/s3-server/server";
import { StorageError } from "./errors";
import { createS3Storage, type S3StorageOptions } from "./s3-storage.server";

let s3: FakeS3Server;

beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(async () => {
  await s3.close();
});

function storage(overrides: Partial<S3StorageOptions> = {}) {
  return createS3Storage({
    bucket: "test-bucket",
    endpoint: s3.endpoint,
    region: s3.region,
    credentials: s3.credentials,
    forcePathStyle: true,
    ...overrides,
  });
}

async function failure(promise: Promise<unknown>): Promise<StorageError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StorageError);
  return error as StorageError;
}

describe("S3 storage", () => {
  it("speaks path-style REST to the endpoint", async () => {
    s3.log.length = 0;
    await storage().put("shops/s/a.png", Buffer.from("x"), "image/png");
    await storage().deletePrefix("shops/s/");
    expect(s3.log[0]).toMatch(/^PUT \/test-bucket\/shops\/s\/a\.png/);
    expect(s3.log.some((line) => /^GET \/test-bucket\/?\?list-type=2&prefix=shops%2Fs%2F$/.test(line))).toBe(true);
    expect(s3.log.some((line) => /^POST \/test-bucket\/?\?delete/.test(line))).toBe(true);
  });

  it("explains refused credentials and does not ask for a retry", async () => {
    const error = await failure(
      storage({ credentials: { accessKeyId: "AKIAWRONG", secretAccessKey: "x" } }).put("shops/s/a.png", Buffer.from("x"), "image/png"),
    );
    expect(error.message).toContain("InvalidAccessKeyId");
    expect(error.message).toContain("S3_ACCESS_KEY_ID");
    expect(error.retryable).toBe(false);
  });

  it("names a missing bucket", async () => {
    const error = await failure(storage({ bucket: "no-such-bucket" }).get("shops/s/a.png"));
    expect(error.message).toContain('The bucket "no-such-bucket" does not exist: check S3_BUCKET.');
    expect(error.retryable).toBe(false);
  });

  it("treats an unreachable endpoint as retryable", async () => {
    const error = await failure(storage({ endpoint: "http://127.0.0.1:1" }).get("shops/s/a.png"));
    expect(error.message).toMatch(/^Could not reach S3 to read shops\/s\/a\.png/);
    expect(error.retryable).toBe(true);
  });
});
