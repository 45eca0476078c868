/** The experiments list says when a start or apply-winner is still running in the worker. */
import { describe, expect, it } from "vitest";
import { listStatus } from "./experiment-list";

describe("listStatus", () => {
  it("shows a pending start or apply rather than the state the test is in until it finishes", () => {
    expect(listStatus({ status: "draft", pendingAction: "start" })).toEqual({ label: "Starting…", tone: "info" });
    expect(listStatus({ status: "paused", pendingAction: "start" })).toEqual({ label: "Resuming…", tone: "info" });
    expect(listStatus({ status: "running", pendingAction: "apply" })).toEqual({ label: "Applying the winner…", tone: "info" });
    expect(listStatus({ status: "draft", pendingAction: null })).toEqual({ label: "Draft" });
    expect(listStatus({ status: "winner_applied", pendingAction: null })).toEqual({ label: "Winner applied", tone: "success" });
  });
});
