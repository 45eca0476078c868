import { chromium, type Browser, type FrameLocator, type Page } from "playwright-core";
import { BROWSER_HEADERS } from "./stack";

/** Debian's Chromium, headless, with the flags this network-less machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"],
  });
}

export interface MerchantBrowser {
  page: Page;
  /** The embedded app inside the local admin page. */
  app(): FrameLocator;
  /** Uncaught errors in any page, for asserting none happened. */
  pageErrors: string[];
  close(): Promise<void>;
}

/** A merchant's browser: looks like a person's Chrome, and has no internet. */
export async function openMerchantBrowser(): Promise<MerchantBrowser> {
  const browser = await launchChromium();
  // Headless Chromium says so in its user agent, and the library rightly turns bots away.
  const page = await (await browser.newContext({ userAgent: BROWSER_HEADERS["User-Agent"] })).newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  // Fonts and Polaris icons come from Shopify's CDN, unreachable here; the pages must work without them.
  await page.route(/^https:\/\/cdn\.shopify\.com\//, (route) => route.abort());
  return { page, app: () => page.frameLocator("#app-iframe"), pageErrors, close: () => browser.close() };
}
