import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectDb, type Db } from "~/db/client.server";
import { ROOT } from "../support/databases";
import { openMerchantBrowser, type MerchantBrowser } from "../support/browser";
import { SHOP_A, startStack, type Stack } from "../support/stack";

/**
 * The A/B test page's cumulative conversion chart (polaris-viz): the server
 * renders the numbers as a table (polaris-viz needs the browser), and in
 * Chromium the chart replaces it with one line per arm and the arms in its
 * legend. A test without data says so instead of drawing an empty chart.
 * The drawn chart is left as a screenshot in test/.tmp/screenshots/experiment-chart.
 */
describe("the cumulative conversion chart of an A/B test", () => {
  let stack: Stack;
  let db: Db;
  let browser: MerchantBrowser;
  let withData: string;
  let withoutData: string;

  const ARMS = [
    { key: "a", label: "Control", isControl: true, weight: 34 },
    { key: "b", label: "Variant B", isControl: false, weight: 33 },
    { key: "c", label: "Variant C", isControl: false, weight: 33 },
  ];

  async function createExperiment(shopId: string, productGid: string, daily: Array<{ day: string; armKey: string; visitors: number; addToCartVisitors: number }>) {
    const experiment = await db.experiment.create({
      data: {
        shopId,
        productGid,
        productTitle: `Chart test ${productGid}`,
        status: "running",
        startedAt: new Date("2026-01-01T08:00:00Z"),
        controlImageUrl: "https://cdn.shopify.com/s/files/1/control.png",
        controlFileName: "control",
        arms: { create: ARMS.map((arm) => ({ ...arm, shopId, fileStatus: "ready" })) },
      },
    });
    for (const row of daily) {
      await db.experimentDailyAggregate.create({ data: { experimentId: experiment.id, shopId, ...row, views: row.visitors, addToCarts: row.addToCartVisitors } });
    }
    return experiment.id;
  }

  beforeAll(async () => {
    stack = await startStack();
    db = await connectDb(stack.database.url);
    expect((await stack.openEmbedded(SHOP_A)).status).toBe(200);
    const shop = await db.shop.findUniqueOrThrow({ where: { domain: SHOP_A } });
    // Four days; Variant C has no visitor on the first day (no point there, not 0%).
    const daily = ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"].flatMap((day, i) => [
      { day, armKey: "a", visitors: 100, addToCartVisitors: 10 },
      { day, armKey: "b", visitors: 100, addToCartVisitors: 12 + i },
      ...(i === 0 ? [] : [{ day, armKey: "c", visitors: 50, addToCartVisitors: 4 }]),
    ]);
    withData = await createExperiment(shop.id, "gid://shopify/Product/900001", daily);
    withoutData = await createExperiment(shop.id, "gid://shopify/Product/900002", []);
    browser = await openMerchantBrowser();
    await browser.page.setViewportSize({ width: 1280, height: 1000 });
  });
  afterAll(async () => {
    await browser?.close();
    await db?.$disconnect();
    await stack?.close();
  });

  /** Opens an app page inside the admin frame, the way App Bridge loads app pages. */
  async function openInAdmin(merchant: MerchantBrowser, appPath: string) {
    await merchant.page.goto(stack.store.adminUrl(SHOP_A), { waitUntil: "domcontentloaded", timeout: 60_000 });
    await merchant.app().locator(".Polaris-IndexTable__TableRow").first().waitFor({ state: "visible", timeout: 60_000 });
    const appFrame = merchant.page.frames().find((f) => new URL(f.url()).pathname === "/app")!;
    const entry = new URL(appFrame.url());
    entry.pathname = appPath;
    await appFrame.goto(entry.toString(), { waitUntil: "domcontentloaded" });
  }

  it("server-renders the cumulative rates as a table, without the chart", async () => {
    const logsBefore = stack.app.logs().length;
    const response = await stack.openEmbedded(SHOP_A, `/app/experiments/${withData}`);
    const html = await response.text();
    expect(response.status, stack.app.logs().slice(-3000)).toBe(200);
    const box = /data-chart="cumulative-conversion"[^>]*>([\s\S]*?)<\/table>/.exec(html)?.[1] ?? "";
    expect(box).toContain("Variant C");
    // Day 1: C has no visitors yet; day 4: B has 12+13+14+15 of 400.
    expect(box).toMatch(/Jan 1<\/th>[\s\S]*?10\.0%[\s\S]*?12\.0%[\s\S]*?—/);
    expect(box).toMatch(/Jan 4<\/th>[\s\S]*?10\.0%[\s\S]*?13\.5%[\s\S]*?8\.0%/);
    expect(box).not.toMatch(/<svg[^>]*role="table"/);
    // A render error would still answer 200 from the shell; it shows in the app's output.
    expect(stack.app.logs().slice(logsBefore)).not.toMatch(/error/i);
  });

  it("draws one line per arm with polaris-viz in the browser, the arms in its legend", async () => {
    await openInAdmin(browser, `/app/experiments/${withData}`);
    const chart = browser.app().locator('[data-chart="cumulative-conversion"]');
    // polaris-viz draws each series as a masked gradient plus one plain path that carries its pointer events.
    const lines = chart.locator("svg[role=table] path[data-color-vision-event-index]");
    await expect.poll(() => lines.count(), { timeout: 30_000 }).toBe(3);
    const paths = await lines.evaluateAll((nodes) => nodes.map((n) => ({ index: n.getAttribute("data-color-vision-event-index"), d: n.getAttribute("d") ?? "" })));
    expect(paths.map((p) => p.index)).toEqual(["0", "1", "2"]);
    const points = paths.map(({ d }) => [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) })));
    const [control, b, c] = points.map((p) => ({ first: p[0]!, last: p.at(-1)! }));
    // Control and B start on the first day; C, without visitors then, only on the second.
    expect(control!.first.x).toBe(0);
    expect(b!.first.x).toBe(0);
    expect(c!.first.x).toBeGreaterThan(0);
    // Final cumulative rates B 13.5% > control 10% > C 8% (SVG y grows downwards).
    expect(b!.last.y).toBeLessThan(control!.last.y);
    expect(control!.last.y).toBeLessThan(c!.last.y);
    await expect.poll(() => chart.locator("[role=list] button").allInnerTexts()).toEqual(["Control", "Variant B", "Variant C"]);
    const shots = path.join(ROOT, "test/.tmp/screenshots/experiment-chart");
    mkdirSync(shots, { recursive: true });
    await chart.screenshot({ path: path.join(shots, "chart.png"), animations: "disabled" });
    // The server's table made way for the chart, which carries the same numbers for screen readers.
    expect(await chart.locator("table").count()).toBe(0);
    expect(await chart.locator("svg[role=table] [role=row]").allTextContents()).toContain("Variant C8.0%8.0%8.0%");
    expect(browser.pageErrors, browser.pageErrors.join("\n")).toEqual([]);
  }, 120_000);

  it("keeps the table when the chart's code cannot load", async () => {
    const offline = await openMerchantBrowser();
    try {
      let blocked = 0;
      await offline.page.route(/\/assets\/cumulative-conversion-chart/, (route) => {
        blocked += 1;
        return route.abort();
      });
      await openInAdmin(offline, `/app/experiments/${withData}`);
      await expect.poll(() => blocked, { timeout: 30_000 }).toBeGreaterThan(0);
      const chart = offline.app().locator('[data-chart="cumulative-conversion"]');
      await chart.getByText("The chart could not be loaded; reload the page to try again.").waitFor({ state: "visible", timeout: 10_000 });
      expect(await chart.locator("table tbody tr").count()).toBe(4);
      expect(await chart.locator("svg[role=table]").count()).toBe(0);
      expect(offline.pageErrors, offline.pageErrors.join("\n")).toEqual([]);
    } finally {
      await offline.close();
    }
  }, 120_000);

  it("says there are no visitors yet instead of drawing an empty chart", async () => {
    await openInAdmin(browser, `/app/experiments/${withoutData}`);
    await browser.app().getByText("No visitors yet: the chart starts with the first day of data.").waitFor({ state: "visible", timeout: 30_000 });
    expect(await browser.app().locator("svg[role=table]").count()).toBe(0);
    expect(browser.pageErrors, browser.pageErrors.join("\n")).toEqual([]);
  }, 120_000);
});
