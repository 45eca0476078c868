import { describe, it } from "vitest";
import { killWorkerMidBatch } from "./kill-worker-scenario";

describe("a worker killed mid-batch on the BullMQ engine", () => {
  it("finishes every item exactly once after a restart, paying once per item", () => killWorkerMidBatch("bullmq"), 240_000);
});
