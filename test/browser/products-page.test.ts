import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMerchantBrowser, type MerchantBrowser } from "../support/browser";
import { SHOP_A, startStack, type Stack } from "../support/stack";

/**
 * A merchant opens the app in the (local) Shopify admin: the app loads in
 * its iframe with App Bridge, lists products, pages and filters.
 */
describe("the products page in a real browser", () => {
  let stack: Stack;
  let browser: MerchantBrowser;

  beforeAll(async () => {
    stack = await startStack();
    browser = await openMerchantBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const frame = () => browser.app();

  it("shows the first page of products with thumbnails, type, vendor and status", async () => {
    await browser.page.goto(stack.store.adminUrl(SHOP_A));
    const rows = frame().locator(".Polaris-IndexTable__TableRow");
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(25);
    const firstRow = await rows.first().innerText();
    expect(firstRow).toMatch(/active|draft|archived/);
    const thumbnails = frame().locator(".Polaris-IndexTable__TableRow img");
    expect(await thumbnails.count()).toBeGreaterThan(15);
  });

  it("pages forward with the pagination control (a client-side data load with a session token)", async () => {
    const firstTitle = await frame().locator(".Polaris-IndexTable__TableRow").first().innerText();
    await frame().getByRole("button", { name: "Next" }).click();
    await expect
      .poll(async () => frame().locator(".Polaris-IndexTable__TableRow").first().innerText(), { timeout: 15_000 })
      .not.toBe(firstTitle);
  });

  it("searches by title", async () => {
    const product = [...stack.store.data.shop(SHOP_A).products.values()].find((p) => p.status === "ACTIVE")!;
    const word = product.title.split(" ")[0]!;
    await frame().getByPlaceholder("Search products").fill(word);
    await expect
      .poll(async () => {
        const texts = await frame().locator(".Polaris-IndexTable__TableRow").allInnerTexts();
        return texts.length > 0 && texts.every((t) => t.toLowerCase().includes(word.toLowerCase()));
      }, { timeout: 15_000 })
      .toBe(true);
    expect(browser.pageErrors, browser.pageErrors.join("\n")).toEqual([]);
  });
});
