import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMerchantBrowser, type MerchantBrowser } from "../support/browser";
import { SHOP_A, startStack, type Stack } from "../support/stack";

/**
 * The merchant's path in a real browser: select products, "Generate images",
 * pick a preset, see the estimate, launch, and watch the batch finish (the
 * worker process renders with the offline studio provider).
 */
describe("generating images from the products page", () => {
  let stack: Stack;
  let browser: MerchantBrowser;

  beforeAll(async () => {
    stack = await startStack({ worker: true });
    browser = await openMerchantBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const frame = () => browser.app();

  it("launches a batch from selected products and shows it completing", async () => {
    await browser.page.goto(stack.store.adminUrl(SHOP_A));
    const rows = frame().locator(".Polaris-IndexTable__TableRow");
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(25);
    // Two products that have a photo (the media column is not 0).
    const withPhotos = rows.filter({ hasNot: frame().locator("td:nth-child(6) >> text=/^0$/") });
    for (const index of [0, 1]) await withPhotos.nth(index).locator("input[type=checkbox]").check({ force: true });
    await frame().getByRole("button", { name: "Generate images" }).click();

    await frame().getByText("2 products selected").waitFor({ state: "visible", timeout: 15_000 });
    await frame().getByLabel("White background packshot").check({ force: true });
    // 2 products × 1 preset × 2 candidates, free on the studio provider.
    await frame().getByText(/^4 images, \$0(\.00)?,/).waitFor({ state: "visible", timeout: 15_000 });
    await frame().getByRole("button", { name: "Launch batch" }).click();

    // The batch page follows the worker through its event stream until the batch completes.
    await frame().locator(".Polaris-Badge", { hasText: "completed" }).waitFor({ state: "visible", timeout: 90_000 });
    expect(browser.pageErrors, browser.pageErrors.join("\n")).toEqual([]);
  }, 150_000);
});
