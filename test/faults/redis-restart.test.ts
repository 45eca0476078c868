import { afterAll, beforeAll, describe, it } from "vitest";
import { startPrivateRedis, type PrivateService } from "./private-services";
import { restartMidBatch } from "./restart-scenario";

let redis: PrivateService;
beforeAll(async () => {
  redis = await startPrivateRedis();
});
afterAll(async () => {
  await redis?.close();
});

describe("Redis crashing and restarting under a BullMQ batch", () => {
  it("completes the batch once Redis is back, every item once, paid once", () =>
    restartMidBatch(redis, { queueDriver: "bullmq", env: { REDIS_URL: redis.url } }), 180_000);
});
