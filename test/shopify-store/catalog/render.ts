/**
 * Renders product photos: an SVG drawing of the product on a plain studio
 * background, rasterised by sharp. Plain backgrounds keep flood-fill cut-outs
 * honest; seeding by handle keeps every render pixel-identical.
 */
import sharp from "sharp";
import type { SeedProduct } from "./index";
import { drawHoodie, drawSweater, drawTshirt } from "./drawings/apparel";
import { drawBeautyJar, drawLipstick, drawSerum } from "./drawings/beauty";
import { drawHeadphones, drawPhoneCase, drawSpeaker } from "./drawings/electronics";
import { drawBoot, drawSlipOn, drawSneaker } from "./drawings/footwear";
import { drawCandle, drawMug, drawVase } from "./drawings/home";
import { drawBracelet, drawEarrings, drawNecklace, drawRing } from "./drawings/jewelry";
import { type Draw, type Look, escapeXml } from "./drawings/svg";
import {
  DEFAULT_METAL, FALLBACK_COLOURS, colourByName, colourDistance, gemByName, luminance, metalByName, shade,
} from "./palette";
import { seededRng } from "./random";

const DRAWINGS: Record<string, Draw> = {
  "T-Shirt": drawTshirt, Hoodie: drawHoodie, Sweater: drawSweater,
  Sneakers: drawSneaker, Boots: drawBoot, "Slip-Ons": drawSlipOn,
  Ring: drawRing, Necklace: drawNecklace, Earrings: drawEarrings, Bracelet: drawBracelet,
  Mug: drawMug, Vase: drawVase, Candle: drawCandle,
  Lipstick: drawLipstick, Serum: drawSerum, Moisturizer: drawBeautyJar,
  Headphones: drawHeadphones, "Phone Case": drawPhoneCase, Speaker: drawSpeaker,
};

const STUDIO_BACKGROUNDS = ["#f5f5f3", "#eef0f2", "#f4f0ea", "#eef3ef", "#f2eef3", "#f7f4ee", "#ebedf0"] as const;
const DARKER_STUDIO = "#d3d7dc";
/** Below this distance a pale product would melt into the backdrop. */
const MIN_PRODUCT_CONTRAST = 60;

/** The option value a shopper would call "the colour": first variant wins, as on a storefront. */
function finishValue(product: SeedProduct, pattern: RegExp): string | undefined {
  const first = product.variants[0];
  return first?.selectedOptions.find((option) => pattern.test(option.name))?.value;
}

function lookFor(product: SeedProduct, view: Look["view"]): Look {
  const rng = seededRng(`${product.handle}/${view}`);
  const paletteRng = seededRng(product.handle);
  const colourWord = finishValue(product, /^(colou?r|shade|flavou?r)$/i);
  const metalWord = finishValue(product, /^metal$/i);
  const stoneWord = finishValue(product, /^(birthstone|stone)$/i);
  // An option value names the finish most precisely; the title is the next best hint.
  const named = <T>(word: string | undefined, lookup: (text: string) => T | undefined) =>
    (word === undefined ? undefined : lookup(word)) ?? lookup(product.title);
  return {
    id: `p${Math.floor(paletteRng.next() * 1e9).toString(36)}`,
    base: named(colourWord, colourByName) ?? paletteRng.pick(FALLBACK_COLOURS),
    metal: named(metalWord, metalByName) ?? DEFAULT_METAL,
    gem: named(stoneWord, gemByName),
    brand: product.vendor,
    title: product.title,
    view,
    rng,
  };
}

function backgroundFor(product: SeedProduct, base: string): string {
  const choice = seededRng(`${product.handle}/studio`).pick(STUDIO_BACKGROUNDS);
  return colourDistance(choice, base) < MIN_PRODUCT_CONTRAST || luminance(base) > 0.86 ? DARKER_STUDIO : choice;
}

function photoSvg(product: SeedProduct, photoKey: string): string {
  const photo = product.photos.find((p) => p.key === photoKey);
  if (!photo) throw new Error(`Product ${product.handle} has no photo "${photoKey}"`);
  const look = lookFor(product, photoKey === "back" ? "back" : "main");
  const draw = DRAWINGS[product.productType];
  if (!draw) throw new Error(`No drawing for product type "${product.productType}"`);
  const drawing = draw(look);
  const { width, height } = photo;
  const { box } = drawing;
  // Product spans 55–66% of the shorter edge: well inside the frame, never touching it.
  const scale = (Math.min(width, height) * look.rng.range(0.55, 0.66)) / Math.max(box.w, box.h);
  const cx = width / 2 + look.rng.range(-0.02, 0.02) * width;
  const cy = height / 2 + look.rng.range(-0.02, 0.02) * height;
  const tx = cx - (box.x + box.w / 2) * scale;
  const ty = cy - (box.y + box.h / 2) * scale;
  const studio = backgroundFor(product, look.base);
  const shadow = {
    cx: box.x + box.w / 2,
    cy: box.y + box.h - 4,
    rx: box.w * 0.5,
    ry: Math.max(22, box.w * 0.06),
  };
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<defs>`,
    `<linearGradient id="studio" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${shade(studio, 0.02)}"/><stop offset="1" stop-color="${shade(studio, -0.02)}"/></linearGradient>`,
    // A radial fade instead of feGaussianBlur: same soft edge, a third of the render time.
    `<radialGradient id="soft-shadow"><stop offset="0" stop-opacity="0.3"/><stop offset="0.55" stop-opacity="0.16"/><stop offset="1" stop-opacity="0"/></radialGradient>`,
    drawing.defs,
    `</defs>`,
    `<rect width="${width}" height="${height}" fill="url(#studio)"/>`,
    `<g transform="translate(${tx.toFixed(2)} ${ty.toFixed(2)}) scale(${scale.toFixed(5)})">`,
    `<ellipse cx="${shadow.cx}" cy="${shadow.cy}" rx="${shadow.rx}" ry="${shadow.ry}" fill="url(#soft-shadow)"/>`,
    drawing.body,
    `</g>`,
    `<desc>${escapeXml(product.title)}</desc>`,
    `</svg>`,
  ].join("\n");
}

export async function renderPhoto(product: SeedProduct, photoKey: string): Promise<Buffer> {
  return sharp(Buffer.from(photoSvg(product, photoKey))).png({ compressionLevel: 6 }).toBuffer();
}
