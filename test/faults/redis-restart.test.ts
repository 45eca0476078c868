import { describe, it } from "vitest";
import { startPrivateRedis } from "./private-services";
import { restartMidBatch } from "./restart-scenario";

describe("Redis crashing and restarting under a BullMQ batch", () => {
  it("with persistence: completes the batch once Redis is back, every item once, paid once", async () => {
    const redis = await startPrivateRedis({ persistent: true });
    try {
      await restartMidBatch(redis, { queueDriver: "bullmq", env: { REDIS_URL: redis.url } });
    } finally {
      await redis.close();
    }
  }, 240_000);

  it("without persistence (it comes back empty): workers enqueue the lost items again and the batch completes", async () => {
    const redis = await startPrivateRedis({ persistent: false });
    try {
      await restartMidBatch(redis, { queueDriver: "bullmq", env: { REDIS_URL: redis.url } }, 8_000);
    } finally {
      await redis.close();
    }
  }, 240_000);
});
