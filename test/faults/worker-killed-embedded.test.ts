import { describe, it } from "vitest";
import { killWorkerMidBatch } from "./kill-worker-scenario";

describe("a worker killed mid-batch on the embedded engine", () => {
  it("finishes every item exactly once after a restart, paying once per item", () => killWorkerMidBatch("embedded"), 240_000);
});
