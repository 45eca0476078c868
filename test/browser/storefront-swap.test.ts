/**
 * The theme app embed in real Chromium on a Dawn-like product page rendered
 * with liquidjs from the embed's own Liquid block, served with Shopify-like
 * CDN URLs: the control image is replaced everywhere it appears (src, srcset,
 * <picture> sources, zoom link, legacy size suffix, images added later) with
 * the same width parameters, no frame paints the control first, the arm is
 * sticky across reloads, and without consent nothing is swapped or stored.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Liquid, Tag, type TagToken, type TopLevelToken } from "liquidjs";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser";
import { ROOT } from "../support/databases";

const EXTENSION = path.join(ROOT, "extensions/image-ab-embed");

const PRODUCT_TEMPLATE = `<!doctype html>
<html><head>
<meta charset="utf-8"><title>{{ product.title }}</title>
<script>
  // Test probe, before anything else: records every frame in which a control image is visible.
  window.__flash = [];
  (function probe() {
    document.querySelectorAll("img").forEach(function (img) {
      var shown = getComputedStyle(img).visibility === "visible" && img.complete && img.naturalWidth > 0;
      if (shown && /\\/shirt[._]/.test(img.currentSrc)) window.__flash.push(img.currentSrc);
    });
    requestAnimationFrame(probe);
  })();
  window.Shopify = { customerPrivacy: { analyticsProcessingAllowed: function () { return {{ consent }}; } } };
</script>
{{ app_embed }}
<style>img{display:block;width:200px;height:200px}</style>
</head><body>
<main class="product">
  <div class="product__media">
    <img id="main" src="{{ product.featured_image | image_url: width: 1946 }}"
      srcset="{{ product.featured_image | image_url: width: 165 }} 165w, {{ product.featured_image | image_url: width: 360 }} 360w, {{ product.featured_image | image_url: width: 1946 }} 1946w"
      sizes="(min-width: 1200px) 715px, 100vw" alt="{{ product.title }}">
    <a id="zoom" class="product__media-zoom" href="{{ product.featured_image | image_url: width: 3000 }}">Zoom</a>
  </div>
  <picture>
    <source id="wide" media="(min-width: 750px)" srcset="{{ product.featured_image | image_url: width: 1500 }} 1500w">
    <img id="pictured" src="{{ product.featured_image | image_url: width: 750 }}" alt="">
  </picture>
  <ul class="thumbnail-list">
    <li><img id="thumb" src="{{ product.featured_image | image_url: width: 120 }}" alt=""></li>
    <li><img id="legacy" src="//{{ host }}/cdn/shop/files/shirt_200x.jpg?v=1" alt=""></li>
    <li><img id="other" src="{{ other_image | image_url: width: 120 }}" alt=""></li>
  </ul>
</main>
<script>
  // A theme's gallery that adds an image after load.
  setTimeout(function () {
    var img = document.createElement("img");
    img.id = "late";
    img.src = "{{ product.featured_image | image_url: width: 500 }}";
    document.body.appendChild(img);
  }, 200);
</script>
</body></html>`;

class SchemaTag extends Tag {
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
    super(token, remain, liquid);
    // Consume up to {% endschema %}: the theme editor reads it, the page never shows it.
    while (remain.length) {
      const next = remain.shift()!;
      if ((next as TagToken).name === "endschema") return;
    }
  }
  render() {
    return "";
  }
}

let server: http.Server;
let base: string;
let browser: Browser;
let config: Record<string, unknown>;
const requests: string[] = [];

async function jpeg(colour: { r: number; g: number; b: number }) {
  return sharp({ create: { width: 400, height: 400, channels: 3, background: colour } }).jpeg().toBuffer();
}

beforeAll(async () => {
  const liquid = new Liquid();
  liquid.registerTag("schema", SchemaTag);
  liquid.registerFilter("image_url", (file: string, ...args: unknown[]) => {
    const width = (args.find((a) => Array.isArray(a) && a[0] === "width") as [string, number] | undefined)?.[1];
    return `//${new URL(base).host}/cdn/shop/files/${file}?v=1${width ? `&width=${width}` : ""}`;
  });
  liquid.registerFilter("asset_url", (file: string) => `${base}/extensions/image-ab-embed/assets/${file}`);
  const block = readFileSync(path.join(EXTENSION, "blocks/image-ab.liquid"), "utf8");
  const images: Record<string, Buffer> = {
    "shirt.jpg": await jpeg({ r: 220, g: 30, b: 30 }),
    "shirt_200x.jpg": await jpeg({ r: 220, g: 30, b: 30 }),
    "variant-b.jpg": await jpeg({ r: 30, g: 30, b: 220 }),
    "tshirt.jpg": await jpeg({ r: 128, g: 128, b: 128 }),
  };

  server = http.createServer(async (request, response) => {
    const url = new URL(request.url!, base);
    requests.push(url.pathname + url.search);
    if (url.pathname === "/products/shirt") {
      const product = { title: "Shirt", featured_image: "shirt.jpg", metafields: { "$app:image_ab": { config: { value: config } } } };
      const appEmbed = await liquid.parseAndRender(block, { product });
      const html = await liquid.parseAndRender(PRODUCT_TEMPLATE, {
        product,
        other_image: "tshirt.jpg",
        app_embed: appEmbed,
        host: url.host,
        consent: url.searchParams.get("consent") === "0" ? "false" : "true",
      });
      response.writeHead(200, { "Content-Type": "text/html" }).end(html);
      return;
    }
    if (url.pathname.startsWith("/extensions/image-ab-embed/assets/")) {
      // Late on purpose: the hiding must hold until the script arrives.
      await new Promise((resolve) => setTimeout(resolve, 300));
      response.writeHead(200, { "Content-Type": "text/javascript" }).end(readFileSync(path.join(EXTENSION, "assets/image-ab.js")));
      return;
    }
    const file = images[url.pathname.replace("/cdn/shop/files/", "")];
    if (file) response.writeHead(200, { "Content-Type": "image/jpeg" }).end(file);
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  config = {
    v: 1,
    experimentId: "exp-1",
    productId: "7001",
    status: "running",
    maxHideMs: 1500,
    control: { key: "a", file: "shirt" },
    arms: [
      { key: "a", weight: 0 },
      { key: "b", weight: 100, url: `${base}/cdn/shop/files/variant-b.jpg?v=2` },
    ],
  };
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

async function attributes(page: Page) {
  return page.evaluate(() => {
    const get = (id: string, name: string) => document.getElementById(id)?.getAttribute(name) ?? null;
    return {
      mainSrc: get("main", "src"),
      mainSrcset: get("main", "srcset"),
      zoom: get("zoom", "href"),
      wide: get("wide", "srcset"),
      pictured: get("pictured", "src"),
      thumb: get("thumb", "src"),
      legacy: get("legacy", "src"),
      other: get("other", "src"),
      late: get("late", "src"),
      flash: (window as unknown as { __flash: string[] }).__flash,
      stored: localStorage.getItem("pis_ab"),
      cookie: document.cookie,
      hidden: Boolean(document.getElementById("pis-ab-hide")),
    };
  });
}

async function pixelColour(page: Page, id: string) {
  const shot = await page.locator(`#${id}`).screenshot();
  const { data } = await sharp(shot).resize(1, 1).raw().toBuffer({ resolveWithObject: true });
  return { r: data[0]!, g: data[1]!, b: data[2]! };
}

describe("storefront image swap", () => {
  it("shows the variant everywhere the control appears, with the same sizes, and never paints the control", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/products/shirt`);
    await page.waitForFunction(() => document.getElementById("late") && !document.getElementById("pis-ab-hide"));
    await page.waitForTimeout(300);
    const a = await attributes(page);
    const variant = `${base}/cdn/shop/files/variant-b.jpg?v=2`;
    expect(a.mainSrc).toBe(`${variant}&width=1946`);
    expect(a.mainSrcset).toBe(`${variant}&width=165 165w, ${variant}&width=360 360w, ${variant}&width=1946 1946w`);
    expect(a.zoom).toBe(`${variant}&width=3000`);
    expect(a.wide).toBe(`${variant}&width=1500 1500w`);
    expect(a.pictured).toBe(`${variant}&width=750`);
    expect(a.thumb).toBe(`${variant}&width=120`);
    expect(a.legacy).toBe(`${variant}&width=200`);
    expect(a.late).toBe(`${variant}&width=500`);
    // A different product's image whose name merely contains the control's is left alone.
    expect(a.other).toContain("/tshirt.jpg");
    expect(a.flash).toEqual([]);
    expect(JSON.parse(a.stored!)).toEqual({ "exp-1": { a: "b", p: "7001" } });
    expect(a.cookie).toContain("pis_ab=");
    // What the shopper sees is the variant (blue), perceptually, not the control (red).
    for (const id of ["main", "thumb", "late"]) {
      const c = await pixelColour(page, id);
      expect(c.b, id).toBeGreaterThan(150);
      expect(c.r, id).toBeLessThan(90);
    }
    await context.close();
  });

  it("keeps a visitor's arm across reloads, and spreads new visitors by weight", async () => {
    config = { ...config, arms: [{ key: "a", weight: 50 }, { key: "b", weight: 50, url: `${base}/cdn/shop/files/variant-b.jpg?v=2` }] };
    const seen = new Set<string>();
    for (let visitor = 0; visitor < 8; visitor++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const arms: string[] = [];
      for (let load = 0; load < 3; load++) {
        await page.goto(`${base}/products/shirt`);
        await page.waitForFunction(() => !document.getElementById("pis-ab-hide"));
        const a = await attributes(page);
        arms.push(JSON.parse(a.stored!)["exp-1"].a);
        if (arms.at(-1) === "b") expect(a.flash, "a control frame painted in the variant arm").toEqual([]);
      }
      expect(new Set(arms).size, `visitor ${visitor} changed arm: ${arms.join(",")}`).toBe(1);
      seen.add(arms[0]!);
      await context.close();
    }
    // With 8 visitors at 50/50, both arms appear except with probability 2/256.
    expect(seen.size).toBe(2);
  }, 120_000);

  it("without consent shows the control, assigns nothing and stores nothing", async () => {
    config = { ...config, arms: [{ key: "a", weight: 0 }, { key: "b", weight: 100, url: `${base}/cdn/shop/files/variant-b.jpg?v=2` }] };
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/products/shirt?consent=0`);
    await page.waitForFunction(() => !document.getElementById("pis-ab-hide"));
    await page.waitForTimeout(300);
    const a = await attributes(page);
    expect(a.mainSrc).toContain("/shirt.jpg?v=1&width=1946");
    expect(a.late).toContain("/shirt.jpg");
    expect(a.stored).toBeNull();
    expect(a.cookie).not.toContain("pis_ab");
    const c = await pixelColour(page, "main");
    expect(c.r).toBeGreaterThan(150);
    // The flash probe does see a control image once it is shown, so its silence above means something.
    expect(a.flash.length).toBeGreaterThan(0);
    await context.close();
  });
});
