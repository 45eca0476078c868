import { describe, expect, it } from "vitest";
import { parseEnv } from "~/config/env.server";
import { useTestDatabase } from "../../test/support/use-test-database";
import { createQueue } from "./engine.server";
import { queueStatusReport } from "./status.server";

describe("queue status report", () => {
  const database = useTestDatabase();

  it("shows waiting jobs and the oldest wait", async () => {
    const env = parseEnv({
      SHOPIFY_API_KEY: "k",
      SHOPIFY_API_SECRET: "s",
      SHOPIFY_APP_URL: "https://app.example.com",
      SCOPES: "read_products",
      DATABASE_URL: database.url,
      QUEUE_PREFIX: "status-test",
    });
    const queue = createQueue(env, database.db);
    await queue.enqueue({ name: "generate-item", payload: { itemId: "a" } }, { jobId: "generate-item:a" });
    await queue.enqueue({ name: "generate-item", payload: { itemId: "b" } }, { jobId: "generate-item:b" });
    await queue.close();
    const report = await queueStatusReport(env, database.db);
    expect(report).toMatch(/^waiting:\s+2$/m);
    expect(report).toMatch(/^in flight:\s+0$/m);
    expect(report).toMatch(/^oldest waiting:\s+\d+ s$/m);
  });
});
