import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/databases";
import { openMerchantBrowser, type MerchantBrowser } from "../support/browser";
import { SHOP_A, startStack, type Stack } from "../support/stack";

/**
 * A merchant's review session in a real browser: launch a batch on the
 * built-in studio provider, open the review queue, judge images with the
 * keyboard (approve, mark an A/B candidate), see the queue's counts move,
 * publish the approved image and find it on the product in the local store.
 * Each step leaves a screenshot under test/.tmp/screenshots/review-flow.
 */
describe("reviewing generated images", () => {
  let stack: Stack;
  let browser: MerchantBrowser;
  const shots = path.join(ROOT, "test/.tmp/screenshots/review-flow");
  let step = 0;
  const screenshot = async (name: string) => {
    step += 1;
    await browser.page.screenshot({ path: path.join(shots, `${String(step).padStart(2, "0")}-${name}.png`), fullPage: true });
  };

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    stack = await startStack({ worker: true });
    browser = await openMerchantBrowser();
    await browser.page.setViewportSize({ width: 1280, height: 1000 });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  const frame = () => browser.app();
  /** The number in a queue tab's badge. */
  const tabCount = async (label: RegExp) => {
    const text = await frame().getByRole("tab", { name: label }).innerText();
    return Number(/(\d+)\s*$/.exec(text.trim())?.[1] ?? Number.NaN);
  };
  const cards = () => frame().locator("[data-candidate-id]");

  it("launches, reviews with the keyboard, and sees the queue change", async () => {
    // Only the document: the app inside is waited for below (a busy machine can take a while to serve it).
    await browser.page.goto(stack.store.adminUrl(SHOP_A), { waitUntil: "domcontentloaded", timeout: 60_000 });
    const rows = frame().locator(".Polaris-IndexTable__TableRow");
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBe(25);
    const withPhotos = rows.filter({ hasNot: frame().locator("td:nth-child(6) >> text=/^0$/") });
    for (const index of [0, 1, 2]) await withPhotos.nth(index).locator("input[type=checkbox]").check({ force: true });
    await frame().getByRole("button", { name: "Generate images" }).click();
    await frame().getByText("3 products selected").waitFor({ state: "visible", timeout: 15_000 });
    await frame().getByLabel("White background packshot").check({ force: true });
    await frame().getByText(/^6 images, \$0(\.00)?,/).waitFor({ state: "visible", timeout: 15_000 });
    await screenshot("launch");
    await frame().getByRole("button", { name: "Launch batch" }).click();
    await frame().locator(".Polaris-Badge", { hasText: "completed" }).waitFor({ state: "visible", timeout: 90_000 });
    await screenshot("batch-completed");

    await frame().getByRole("button", { name: "Review images" }).or(frame().getByRole("link", { name: "Review images" })).first().click();
    await frame().getByRole("tab", { name: /Needs review/ }).waitFor({ state: "visible", timeout: 15_000 });
    const needsBefore = await tabCount(/Needs review/);
    expect(needsBefore).toBeGreaterThanOrEqual(2);
    expect(await tabCount(/Approved, not published/)).toBe(0);
    expect(await tabCount(/A\/B candidates/)).toBe(0);
    await screenshot("queue-before");

    // A product with at least two images, so one can be approved and another marked for A/B.
    const queueRows = frame().locator(".Polaris-IndexTable__TableRow");
    let chosen = -1;
    for (let i = 0; i < (await queueRows.count()); i++) {
      if (Number((await queueRows.nth(i).locator("td").nth(2).innerText()).trim()) >= 2) {
        chosen = i;
        break;
      }
    }
    expect(chosen, "a product with two images to review").toBeGreaterThanOrEqual(0);
    await queueRows.nth(chosen).locator("a").first().click();
    await expect.poll(() => cards().count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(2);
    // Thumbnails come through signed URLs and actually load.
    await expect.poll(() => cards().first().locator("img").evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 15_000 }).toBe(256);
    await screenshot("product-review");

    // The keys act on the highlighted image: a approves and moves on, b marks the next one for A/B.
    await frame().getByText("Keys:").click();
    await browser.page.keyboard.press("a");
    await cards().nth(0).getByText("Approved", { exact: true }).first().waitFor({ state: "visible", timeout: 10_000 });
    await expect.poll(() => cards().nth(1).getAttribute("data-selected")).toBe("true");
    await browser.page.keyboard.press("b");
    await cards().nth(1).getByText("A/B candidate", { exact: true }).first().waitFor({ state: "visible", timeout: 10_000 });
    // k goes back; v opens the large view of the highlighted image, with the comparison to the current photo.
    await browser.page.keyboard.press("k");
    await expect.poll(() => cards().nth(0).getAttribute("data-selected")).toBe("true");
    await browser.page.keyboard.press("v");
    await frame().getByRole("dialog").waitFor({ state: "visible", timeout: 10_000 });
    await frame().getByRole("dialog").getByLabel("Compare with the current image").check({ force: true });
    await frame().getByRole("dialog").getByRole("heading", { name: "Current" }).waitFor({ state: "visible" });
    await screenshot("large-view-compare");
    await browser.page.keyboard.press("Escape");
    await frame().getByRole("dialog").waitFor({ state: "hidden", timeout: 10_000 });
    await screenshot("decided");

    await frame().getByRole("link", { name: "Review queue" }).or(frame().getByRole("button", { name: "Review queue" })).first().click();
    await frame().getByRole("tab", { name: /Needs review/ }).waitFor({ state: "visible", timeout: 15_000 });
    await expect.poll(() => tabCount(/Needs review/), { timeout: 10_000 }).toBe(needsBefore - 1);
    expect(await tabCount(/Approved, not published/)).toBe(1);
    expect(await tabCount(/A\/B candidates/)).toBe(1);
    await frame().getByRole("tab", { name: /A\/B candidates/ }).click();
    await expect.poll(() => frame().locator(".Polaris-IndexTable__TableRow").count(), { timeout: 10_000 }).toBe(1);
    await screenshot("queue-after");
    expect(browser.pageErrors, browser.pageErrors.join("\n")).toEqual([]);
  }, 180_000);

  it("publishes the approved image onto the product in the store", async () => {
    await frame().getByRole("tab", { name: /Approved, not published/ }).click();
    const row = frame().locator(".Polaris-IndexTable__TableRow").first();
    await row.waitFor({ state: "visible", timeout: 10_000 });
    const title = (await row.locator("a").first().innerText()).trim();
    await row.locator("a").first().click();
    const firstApproved = cards().filter({ has: frame().getByText("Approved", { exact: true }) }).first();
    await firstApproved.waitFor({ state: "visible", timeout: 15_000 });
    // By id: once published it is no longer "Approved", and the card must still be found.
    const approved = frame().locator(`[data-candidate-id="${await firstApproved.getAttribute("data-candidate-id")}"]`);
    const product = [...stack.store.data.shop(SHOP_A).products.values()].find((p) => p.title === title);
    expect(product, title).toBeTruthy();
    const mediaBefore = product!.media.length;
    await approved.getByRole("button", { name: "Publish", exact: true }).click();
    await approved.getByText("On the product").waitFor({ state: "visible", timeout: 60_000 });
    await screenshot("published");
    expect(product!.media.length).toBe(mediaBefore + 1);
    expect(browser.pageErrors, browser.pageErrors.join("\n")).toEqual([]);
  }, 120_000);
});
