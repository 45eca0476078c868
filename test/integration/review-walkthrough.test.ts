import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWalkthrough } from "../demo/walkthrough";
import { BROWSER_HEADERS, SHOP_A, startStack, type Stack } from "../support/stack";

/**
 * `npm run demo -- --walkthrough` against the test stack: the whole merchant
 * loop through the app's HTTP interface, from products to an image published
 * on the product in the local store.
 */
describe("the demo walkthrough", () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ worker: true });
    expect((await stack.openEmbedded(SHOP_A)).status).toBe(200);
  });
  afterAll(async () => stack?.close());

  it("goes from products to an image on the product", async () => {
    const lines: string[] = [];
    const result = await runWalkthrough({
      appUrl: stack.app.url,
      token: () => stack.store.mintSessionToken(SHOP_A),
      headers: BROWSER_HEADERS,
      productMediaCount: (gid) => stack.store.data.shop(SHOP_A).products.get(Number(gid.split("/").pop()))?.media.length ?? -1,
      log: (line) => lines.push(line),
      timeoutMs: 150_000,
    }).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n${lines.join("\n")}\n${stack.app.logs().slice(-3000)}`);
    });
    expect(lines.map((l) => l.split(".")[0])).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
    expect(lines[6]).toMatch(/^7\. published: /);
    expect(result.batchId).toBeTruthy();
  }, 200_000);
});
