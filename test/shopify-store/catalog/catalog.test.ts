import { describe, expect, it } from "vitest";
import { type SeedProduct, renderProductPhoto, seedCatalog } from "./index";
import { analysePhoto, decode } from "./photo-analysis";

const CATEGORY_OF_TYPE: Record<string, string> = {
  "T-Shirt": "apparel", Hoodie: "apparel", Sweater: "apparel",
  Sneakers: "footwear", Boots: "footwear", "Slip-Ons": "footwear",
  Ring: "jewelry", Necklace: "jewelry", Earrings: "jewelry", Bracelet: "jewelry",
  Mug: "home", Vase: "home", Candle: "home",
  Lipstick: "beauty", Serum: "beauty", Moisturizer: "beauty",
  Headphones: "electronics", "Phone Case": "electronics", Speaker: "electronics",
};

const catalog = seedCatalog();
const byHandle = (handle: string): SeedProduct => {
  const product = catalog.find((p) => p.handle === handle);
  if (!product) throw new Error(`no product ${handle}`);
  return product;
};

/** One photo of every product type, plus every unusual size and a back view. */
function photoSample(): { product: SeedProduct; key: string }[] {
  const sample = new Map<string, { product: SeedProduct; key: string }>();
  for (const product of catalog) {
    const main = product.photos[0];
    if (!main) continue;
    if (!sample.has(product.productType)) sample.set(product.productType, { product, key: main.key });
    if (main.width !== main.height || main.width > 1024) sample.set(`${main.width}x${main.height}`, { product, key: main.key });
  }
  for (const product of catalog.filter((p) => p.photos.some((photo) => photo.key === "back")).slice(0, 3)) {
    sample.set(`${product.handle}/back`, { product, key: "back" });
  }
  return [...sample.values()];
}

describe("seeded catalog data", () => {
  it("has at least 66 products with at least 11 in every category", () => {
    expect(catalog.length).toBeGreaterThanOrEqual(66);
    const counts: Record<string, number> = {};
    for (const product of catalog) {
      const category = CATEGORY_OF_TYPE[product.productType];
      expect(category, `unknown product type ${product.productType}`).toBeDefined();
      counts[category as string] = (counts[category as string] ?? 0) + 1;
    }
    for (const category of ["apparel", "footwear", "jewelry", "home", "beauty", "electronics"]) {
      expect(counts[category] ?? 0, category).toBeGreaterThanOrEqual(11);
    }
  });

  it("is deterministic", () => {
    expect(seedCatalog()).toEqual(catalog);
  });

  it("has unique, URL-safe handles and unique SKUs", () => {
    const handles = catalog.map((p) => p.handle);
    expect(new Set(handles).size).toBe(handles.length);
    for (const handle of handles) expect(handle).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    const skus = catalog.flatMap((p) => p.variants.map((v) => v.sku));
    expect(new Set(skus).size).toBe(skus.length);
    for (const sku of skus) expect(sku).toMatch(/^[A-Z0-9-]+$/);
  });

  it("has variants whose selected options match the product options, one per combination", () => {
    for (const product of catalog) {
      const names = product.options.map((o) => o.name);
      const combinations = product.options.reduce((n, o) => n * o.values.length, 1);
      expect(product.variants.length, product.handle).toBe(combinations);
      const seen = new Set<string>();
      for (const variant of product.variants) {
        expect(variant.selectedOptions.map((s) => s.name), product.handle).toEqual(names);
        for (const selected of variant.selectedOptions) {
          expect(product.options.find((o) => o.name === selected.name)?.values, `${product.handle} ${selected.name}`).toContain(selected.value);
        }
        expect(variant.title).toBe(variant.selectedOptions.map((s) => s.value).join(" / "));
        expect(variant.price).toMatch(/^\d+\.\d{2}$/);
        expect(Number(variant.price)).toBeGreaterThan(0);
        seen.add(variant.title);
      }
      expect(seen.size).toBe(product.variants.length);
    }
  });

  it("uses Shopify's Default Title shape for products without options", () => {
    const single = catalog.filter((p) => p.options.length === 1 && p.options[0]?.name === "Title");
    expect(single.length).toBeGreaterThanOrEqual(5);
    for (const product of single) {
      expect(product.options[0]?.values).toEqual(["Default Title"]);
      expect(product.variants).toHaveLength(1);
      expect(product.variants[0]?.title).toBe("Default Title");
    }
  });

  it("spreads vendors, tags, statuses and creation dates like a real store", () => {
    const vendorsPerCategory = new Map<string, Set<string>>();
    for (const product of catalog) {
      const category = CATEGORY_OF_TYPE[product.productType] as string;
      vendorsPerCategory.set(category, (vendorsPerCategory.get(category) ?? new Set()).add(product.vendor));
      expect(product.tags.length, product.handle).toBeGreaterThan(0);
    }
    for (const [category, vendors] of vendorsPerCategory) expect(vendors.size, category).toBeGreaterThanOrEqual(3);

    const statuses = catalog.map((p) => p.status);
    expect(statuses.filter((s) => s === "ACTIVE").length / catalog.length).toBeGreaterThan(0.75);
    expect(statuses).toContain("DRAFT");
    expect(statuses).toContain("ARCHIVED");

    const dates = catalog.map((p) => Date.parse(p.createdAt));
    for (const [i, date] of dates.entries()) {
      expect(Number.isNaN(date), catalog[i]?.createdAt).toBe(false);
      expect(new Date(date).getUTCFullYear()).toBeGreaterThanOrEqual(2025);
      expect(new Date(date).getUTCFullYear()).toBeLessThanOrEqual(2026);
    }
    const quarters = new Set(dates.map((d) => `${new Date(d).getUTCFullYear()}Q${Math.floor(new Date(d).getUTCMonth() / 3)}`));
    expect(quarters.size).toBeGreaterThanOrEqual(7);
  });

  it("has photos of the expected shapes, and some products without any", () => {
    expect(catalog.filter((p) => p.photos.length === 0).length).toBeGreaterThanOrEqual(3);
    expect(catalog.filter((p) => p.photos.length === 2).length).toBeGreaterThanOrEqual(3);
    const sizes = catalog.flatMap((p) => p.photos.map((photo) => `${photo.width}x${photo.height}`));
    expect(sizes.filter((s) => s === "1024x1024").length / sizes.length).toBeGreaterThan(0.6);
    expect(sizes).toContain("1200x1500");
    expect(sizes.filter((s) => s === "2048x2048")).toHaveLength(1);
    for (const product of catalog) {
      const keys = product.photos.map((photo) => photo.key);
      expect(new Set(keys).size).toBe(keys.length);
      if (keys.length > 0) expect(keys[0]).toBe("main");
    }
  });
});

describe("merchant-written descriptions", () => {
  const descriptions = catalog.map((p) => p.descriptionHtml);
  const some = (test: (html: string) => boolean) => descriptions.filter(test).length;

  it("mostly read like real product copy: paragraphs, lists, emphasis, entities and measurements", () => {
    expect(some((d) => d.includes("<p>") && d.includes("<ul>") && d.includes("<li>"))).toBeGreaterThan(40);
    expect(some((d) => /<strong>|<em>/.test(d))).toBeGreaterThan(40);
    for (const entity of ["&amp;", "&nbsp;", "&eacute;", "&#8482;"]) expect(some((d) => d.includes(entity)), entity).toBeGreaterThan(0);
    expect(some((d) => /\d(&nbsp;| )(oz|gsm|mm|cm|ml|g|h|ct)\b/.test(d))).toBeGreaterThan(30);
    expect(some((d) => /925 sterling silver/i.test(d))).toBeGreaterThan(0);
    // Built from templates plus per-product facts: no two regular descriptions are copies.
    const nonEmpty = descriptions.filter((d) => d.length > 0);
    expect(new Set(nonEmpty).size).toBe(nonEmpty.length);
  });

  it("include the awkward pastes the prompt builder must survive", () => {
    expect(some((d) => /<script[\s>]/i.test(d))).toBeGreaterThan(0);
    expect(some((d) => /<img[^>]+onerror=/i.test(d))).toBeGreaterThan(0);
    expect(some((d) => d.includes('class="MsoNormal"') && d.includes("<o:p>") && /<span style="[^"]*mso-/.test(d))).toBeGreaterThan(0);
    expect(some((d) => d.includes('dir="rtl"') && /[\u0600-\u06FF]/.test(d))).toBeGreaterThan(0);
    expect(some((d) => d.includes('dir="rtl"') && /[\u0590-\u05FF]/.test(d))).toBeGreaterThan(0);
    expect(some((d) => /\p{Extended_Pictographic}/u.test(d))).toBeGreaterThan(0);
    expect(some((d) => (d.match(/<li>/g) ?? []).length > (d.match(/<\/li>/g) ?? []).length)).toBeGreaterThan(0);
    expect(some((d) => d.length >= 18_000 && d.length <= 26_000)).toBe(1);
    expect(some((d) => d === "")).toBeGreaterThan(0);
    expect(some((d) => d.length > 0 && !/<[a-z]/i.test(d))).toBeGreaterThan(0);
  });
});

describe("product photos", () => {
  it("renders identical pixels for the same input and different pixels for another product", async () => {
    const tee = byHandle("everyday-organic-crew-tee");
    const [first, second, back, other] = await Promise.all([
      renderProductPhoto(tee, "main").then(decode),
      renderProductPhoto(structuredClone(tee), "main").then(decode),
      renderProductPhoto(tee, "back").then(decode),
      renderProductPhoto(byHandle("trailhead-fleece-hoodie"), "main").then(decode),
    ]);
    expect([first.width, first.height]).toEqual([1024, 1024]);
    const meanDifference = (a: Buffer, b: Buffer) => {
      let sum = 0;
      for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
      return sum / a.length;
    };
    expect(meanDifference(first.data, second.data)).toBe(0);
    expect(meanDifference(first.data, back.data)).toBeGreaterThan(1);
    expect(meanDifference(first.data, other.data)).toBeGreaterThan(5);
  });

  it("rejects a photo key the product does not have", async () => {
    await expect(renderProductPhoto(byHandle("tennis-bracelet"), "back")).rejects.toThrow(/no photo "back"/);
    await expect(renderProductPhoto(byHandle("mini-cube-speaker"), "main")).rejects.toThrow(/no photo/);
  });

  const sample = photoSample();

  it("samples every product type and photo size", () => {
    expect(new Set(sample.map((s) => s.product.productType)).size).toBe(Object.keys(CATEGORY_OF_TYPE).length);
    expect(sample.some((s) => s.key === "back")).toBe(true);
  });

  it.each(sample.map((s) => [`${s.product.handle}/${s.key}`, s] as const))(
    "%s: plain studio background, product centred and clear of the border",
    async (_name, { product, key }) => {
      const photo = product.photos.find((p) => p.key === key);
      const png = await renderProductPhoto(product, key);
      expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
      const stats = await analysePhoto(png);
      expect([stats.width, stats.height]).toEqual([photo?.width, photo?.height]);
      // Near-uniform, light backdrop: border pixels all within a small distance of each other.
      expect(stats.borderSpread).toBeLessThan(12);
      expect(Math.min(...stats.borderMean)).toBeGreaterThan(195);
      // The product is there, distinct from the backdrop, and fills a sensible share of the frame.
      expect(stats.productFraction).toBeGreaterThan(0.02);
      expect(stats.productFraction).toBeLessThan(0.75);
      expect(stats.centreProductFraction).toBeGreaterThan(0.05);
      expect(stats.productContrast).toBeGreaterThan(20);
      const extent = Math.max(stats.bbox.right - stats.bbox.left, stats.bbox.bottom - stats.bbox.top);
      expect(extent).toBeGreaterThan(0.4);
      expect(extent).toBeLessThan(0.8);
      expect(Math.min(stats.bbox.left, stats.bbox.top, 1 - stats.bbox.right, 1 - stats.bbox.bottom)).toBeGreaterThan(0.05);
    },
  );
});
