import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BatchProgress } from "~/batches/progress.server";
import { startOpenAiServer, type FakeOpenAiServer } from "../openai-server/server";
import { openMerchantBrowser, type MerchantBrowser } from "../support/browser";
import { SHOP_A, startStack, type Stack } from "../support/stack";

/**
 * Region edits in a real browser: on an image made by a provider that takes
 * masks (OpenAI, here the local server through the real SDK), the merchant
 * brushes over part of it, says what should change, and the edit comes back
 * as a new image on the same page; the provider received the image and a
 * PNG mask with a transparent (repaint) region.
 */
describe("editing a region of a generated image", () => {
  let openai: FakeOpenAiServer;
  let stack: Stack;
  let browser: MerchantBrowser;

  beforeAll(async () => {
    openai = await startOpenAiServer();
    stack = await startStack({ worker: true, appEnv: { OPENAI_API_KEY: openai.apiKey, OPENAI_BASE_URL: openai.baseURL } });
    expect((await stack.openEmbedded(SHOP_A)).status).toBe(200);
    browser = await openMerchantBrowser();
    await browser.page.setViewportSize({ width: 1280, height: 1000 });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await openai?.close();
  });

  it("brushes a mask, sends the edit, and shows the edited image", async () => {
    const products = [...stack.store.data.shop(SHOP_A).products.values()].filter((p) => p.media.length > 0).slice(0, 3);
    const request = {
      productGids: products.map((p) => `gid://shopify/Product/${p.id}`),
      presetIds: ["lifestyle-living-room"],
      candidatesPerProduct: 1,
      providerId: "openai",
      model: "gpt-image-2",
      options: { size: "1024x1024", quality: "low", format: "webp", background: "opaque", useReference: true, brandKit: false },
    };
    const launched = await stack.postData(SHOP_A, "/app/batches/new", "routes/app.batches.new", { intent: "launch", request: JSON.stringify(request) });
    const batchId = /\/app\/batches\/([^/?]+)/.exec(launched.headers.get("x-remix-redirect") ?? "")?.[1];
    expect(batchId, await launched.text()).toBeTruthy();
    let progress: BatchProgress | undefined;
    await expect
      .poll(
        async () => {
          progress = (await stack.loadData<{ progress: BatchProgress }>(SHOP_A, `/app/batches/${batchId}`, "routes/app.batches.$id")).body.progress;
          return progress.status;
        },
        { timeout: 120_000, interval: 1_000 },
      )
      .toBe("completed");
    const made = progress!.products.find((p) => p.counts.succeeded === 1);
    expect(made, JSON.stringify(progress!.products.map((p) => p.errors))).toBeTruthy();
    const product = { id: made!.productGid.split("/").pop()! };

    // Open the product's review page inside the admin frame, the way App Bridge loads app pages.
    await browser.page.goto(stack.store.adminUrl(SHOP_A), { waitUntil: "domcontentloaded", timeout: 60_000 });
    await browser.app().locator(".Polaris-IndexTable__TableRow").first().waitFor({ state: "visible", timeout: 60_000 });
    const appFrame = browser.page.frames().find((f) => new URL(f.url()).pathname === "/app")!;
    const entry = new URL(appFrame.url());
    entry.pathname = `/app/review/${product.id}`;
    await appFrame.goto(entry.toString(), { waitUntil: "domcontentloaded" });

    const cards = browser.app().locator("[data-candidate-id]");
    await expect.poll(() => cards.count(), { timeout: 30_000 }).toBe(1);
    await cards.first().getByRole("button", { name: "Edit a region" }).click();
    const dialog = browser.app().getByRole("dialog");
    const canvas = dialog.locator("canvas");
    await canvas.waitFor({ state: "visible", timeout: 10_000 });
    const box = (await canvas.boundingBox())!;
    await browser.page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await browser.page.mouse.down();
    await browser.page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.4, { steps: 8 });
    await browser.page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.6, { steps: 8 });
    await browser.page.mouse.up();
    await dialog.getByLabel("What should change there?").fill("replace the lamp with a tall green plant");
    const before = openai.requests.length;
    await dialog.getByRole("button", { name: "Make the edit" }).click();
    const banner = browser.app().locator(".Polaris-Banner").first();
    await banner.waitFor({ state: "visible", timeout: 30_000 });
    expect(await banner.innerText()).toContain("Your edit is on its way");

    // The edit runs in the worker; the page shows the new image once it is stored.
    await expect
      .poll(
        async () => {
          await appFrame.goto(entry.toString(), { waitUntil: "domcontentloaded" });
          return cards.count();
        },
        { timeout: 90_000, interval: 2_000 },
      )
      .toBe(2);
    const edit = openai.requests.slice(before).find((r) => r.path.endsWith("/images/edits") && r.files.some((f) => f.field === "mask"));
    expect(edit, "an edits call with a mask").toBeTruthy();
    const sharp = (await import("sharp")).default;
    const maskFile = edit!.files.find((f) => f.field === "mask")!;
    const { data, info } = await sharp(maskFile.data).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    let clear = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! < 128) clear++;
    const fraction = clear / (info.width * info.height);
    // The brushed stroke, not nothing and not everything.
    expect(fraction).toBeGreaterThan(0.005);
    expect(fraction).toBeLessThan(0.5);
    expect(browser.pageErrors, browser.pageErrors.join("\n")).toEqual([]);
  }, 240_000);
});
