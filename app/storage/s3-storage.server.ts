import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { StorageError } from "./errors";
import { assertContentTypeMatches, assertValidKey, assertValidPrefix, contentTypeForKey } from "./keys";
import type { ObjectStorage } from "./types";

export interface S3StorageOptions {
  bucket: string;
  /** For S3-compatible services (MinIO, R2, the local test server); absent = AWS. */
  endpoint?: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
}

/** DeleteObjects takes at most this many keys per call. */
const DELETE_BATCH = 1000;

const NOT_RETRYABLE_CODES = new Set([
  "AccessDenied",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "NoSuchBucket",
  "InvalidBucketName",
  "PermanentRedirect",
]);

function failure(error: unknown, action: string, bucket: string): StorageError {
  if (error instanceof StorageError) return error;
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode;
    const retryable = !NOT_RETRYABLE_CODES.has(error.name) && (status === undefined || status >= 500 || status === 429);
    const hint =
      error.name === "NoSuchBucket"
        ? ` The bucket "${bucket}" does not exist: check S3_BUCKET.`
        : error.name === "AccessDenied" || error.name === "InvalidAccessKeyId" || error.name === "SignatureDoesNotMatch"
          ? " Check S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY and the key's permissions on the bucket."
          : "";
    return new StorageError(`S3 refused to ${action} (${error.name}${status ? `, HTTP ${status}` : ""}).${hint}`, {
      retryable,
      code: error.name,
      cause: error,
    });
  }
  // No answer at all (refused connection, DNS, reset): worth another try later.
  return new StorageError(`Could not reach S3 to ${action}: ${error instanceof Error ? error.message : String(error)}`, {
    retryable: true,
    cause: error,
  });
}

export function createS3Storage(options: S3StorageOptions): ObjectStorage {
  const { bucket } = options;
  const client = new S3Client({
    region: options.region,
    credentials: options.credentials,
    forcePathStyle: options.forcePathStyle,
    ...(options.endpoint && { endpoint: options.endpoint }),
    // Several S3-compatible services reject the newer default checksum headers; send them only where the API requires one.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    // The job system owns retries.
    maxAttempts: 1,
  });

  async function deleteKeys(keys: string[]): Promise<void> {
    const result = await client.send(
      new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }),
    );
    const failed = result.Errors ?? [];
    if (failed.length > 0) {
      const first = failed[0];
      throw new StorageError(
        `S3 could not delete ${failed.length} object(s), e.g. ${first?.Key ?? "?"} (${first?.Code ?? "unknown"}: ${first?.Message ?? ""}).`,
        { retryable: true, code: first?.Code },
      );
    }
  }

  return {
    async put(key, body, contentType) {
      assertValidKey(key);
      assertContentTypeMatches(key, contentType);
      try {
        await client.send(
          new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentTypeForKey(key), ContentLength: body.length }),
        );
      } catch (error) {
        throw failure(error, `store ${key}`, bucket);
      }
      return { key, bytes: body.length, contentType: contentTypeForKey(key) };
    },

    async get(key) {
      assertValidKey(key);
      try {
        const result = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const bytes = await result.Body?.transformToByteArray();
        return { body: Buffer.from(bytes ?? []), contentType: result.ContentType ?? contentTypeForKey(key) };
      } catch (error) {
        if (error instanceof S3ServiceException && error.name === "NoSuchKey") return null;
        throw failure(error, `read ${key}`, bucket);
      }
    },

    async delete(key) {
      assertValidKey(key);
      try {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      } catch (error) {
        throw failure(error, `delete ${key}`, bucket);
      }
    },

    async deletePrefix(prefix) {
      assertValidPrefix(prefix);
      let deleted = 0;
      let continuationToken: string | undefined;
      try {
        // Deleting while listing is safe with continuation tokens: they point past keys already returned.
        do {
          const page = await client.send(
            new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: continuationToken }),
          );
          const keys = (page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : []));
          for (let i = 0; i < keys.length; i += DELETE_BATCH) {
            await deleteKeys(keys.slice(i, i + DELETE_BATCH));
          }
          deleted += keys.length;
          continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (continuationToken);
      } catch (error) {
        throw failure(error, `delete everything under ${prefix}`, bucket);
      }
      return deleted;
    },
  };
}
