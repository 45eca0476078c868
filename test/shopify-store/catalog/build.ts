/** Turns the hand-written specs into Shopify-shaped products. */
import { describeProduct } from "./descriptions";
import type { SeedProduct } from "./index";
import { seededRng } from "./random";
import { type PhotoLayout, PRODUCT_SPECS, type ProductSpec } from "./specs";

const CATALOG_START = Date.parse("2025-01-06T09:00:00Z");
const CATALOG_END = Date.parse("2026-11-20T18:00:00Z");
const DAY = 86_400_000;

function slugify(title: string): string {
  return title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f']/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function code(text: string, length: number): string {
  return text.toUpperCase().normalize("NFKD").replace(/[^A-Z0-9]/g, "").slice(0, length);
}

function vendorCode(vendor: string): string {
  return vendor
    .split(/[\s&.]+/)
    .filter(Boolean)
    .map((word) => code(word, 1))
    .join("");
}

function combinations(options: ProductSpec["options"]): { name: string; value: string }[][] {
  return options.reduce<{ name: string; value: string }[][]>(
    (acc, option) => acc.flatMap((combo) => option.values.map((value) => [...combo, { name: option.name, value }])),
    [[]],
  );
}

function variantsOf(spec: ProductSpec, index: number): Pick<SeedProduct, "options" | "variants"> {
  const skuStem = `${vendorCode(spec.vendor)}-${code(spec.productType, 3)}-${String(index + 1).padStart(3, "0")}`;
  if (spec.options.length === 0) {
    // Shopify's own shape for a product without options.
    return {
      options: [{ name: "Title", values: ["Default Title"] }],
      variants: [{ title: "Default Title", price: spec.price.toFixed(2), sku: skuStem, selectedOptions: [{ name: "Title", value: "Default Title" }] }],
    };
  }
  return {
    options: spec.options.map((option) => ({ name: option.name, values: [...option.values] })),
    variants: combinations(spec.options).map((selectedOptions) => {
      const surcharge = selectedOptions.reduce((sum, { value }) => sum + (spec.surcharges?.[value] ?? 0), 0);
      return {
        title: selectedOptions.map(({ value }) => value).join(" / "),
        price: (spec.price + surcharge).toFixed(2),
        sku: [skuStem, ...selectedOptions.map(({ value }) => code(value, 12))].join("-"),
        selectedOptions,
      };
    }),
  };
}

/** New drafts were created recently, archived products long ago; the rest spread over the whole period. */
function createdAt(spec: ProductSpec, handle: string): string {
  const rng = seededRng(`${handle}/created`);
  const span = CATALOG_END - CATALOG_START;
  const fraction = spec.status === "DRAFT" ? rng.range(0.93, 1) : spec.status === "ARCHIVED" ? rng.range(0, 0.35) : rng.next();
  const time = CATALOG_START + Math.floor((fraction * span) / 1000) * 1000;
  return new Date(Math.min(time, CATALOG_END - DAY)).toISOString().replace(".000Z", "Z");
}

const PHOTO_SIZES: Record<Exclude<PhotoLayout, "none">, { width: number; height: number }> = {
  square: { width: 1024, height: 1024 },
  two: { width: 1024, height: 1024 },
  portrait: { width: 1200, height: 1500 },
  large: { width: 2048, height: 2048 },
};

function photosOf(spec: ProductSpec, variants: SeedProduct["variants"]): SeedProduct["photos"] {
  const layout = spec.photos ?? "square";
  if (layout === "none") return [];
  const size = PHOTO_SIZES[layout];
  const finish = variants[0]?.selectedOptions.find((option) => /^(colou?r|shade|metal)$/i.test(option.name))?.value;
  const alt = (text: string) => (spec.emptyAlt ? "" : text);
  const photos = [{ key: "main", alt: alt(finish ? `${spec.title} in ${finish}` : spec.title), ...size }];
  if (layout === "two") photos.push({ key: "back", alt: alt(`${spec.title}, back view`), ...size });
  return photos;
}

export function buildCatalog(): SeedProduct[] {
  return PRODUCT_SPECS.map((spec, index) => {
    const handle = slugify(spec.title);
    const { options, variants } = variantsOf(spec, index);
    return {
      handle,
      title: spec.title,
      descriptionHtml: describeProduct(spec, seededRng(`${handle}/description`)),
      productType: spec.productType,
      vendor: spec.vendor,
      tags: [...spec.tags],
      status: spec.status ?? "ACTIVE",
      createdAt: createdAt(spec, handle),
      options,
      variants,
      photos: photosOf(spec, variants),
    };
  });
}
