import sharp from "sharp";
import { sharpFromRaw, type RawImage } from "~/images/raw.server";
import type { Cutout } from "~/images/cutout.server";
import type { StudioSceneSpec } from "./scene";

/** Where the product stands, as a share of the floor below the horizon. */
const FLOOR_LINE = 0.45;
const MAX_PRODUCT_WIDTH = 0.62;
const REFLECTION_OPACITY = 0.28;
/** Reflection fades out over this share of the product's height. */
const REFLECTION_LENGTH = 0.35;

export interface Placement {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The product cropped to its box, with its alpha as the fourth channel. */
async function productRgba(photo: RawImage, cutout: Cutout, width: number, height: number): Promise<Buffer> {
  const { left, top, width: boxWidth, height: boxHeight } = cutout.box;
  const alpha = await sharpFromRaw(cutout.alpha).extract({ left, top, width: boxWidth, height: boxHeight })
    .extractChannel(0)
    .raw()
    .toBuffer();
  const rgb = await sharpFromRaw(photo).removeAlpha().extract({ left, top, width: boxWidth, height: boxHeight }).raw().toBuffer();
  // Interleaved by hand: sharp's joinChannel drops a following resize and
  // runs removeAlpha after the join.
  const rgba = Buffer.alloc(boxWidth * boxHeight * 4);
  for (let i = 0; i < boxWidth * boxHeight; i++) {
    rgba[i * 4] = rgb[i * 3] ?? 0;
    rgba[i * 4 + 1] = rgb[i * 3 + 1] ?? 0;
    rgba[i * 4 + 2] = rgb[i * 3 + 2] ?? 0;
    rgba[i * 4 + 3] = alpha[i] ?? 0;
  }
  return sharp(rgba, { raw: { width: boxWidth, height: boxHeight, channels: 4 } })
    .resize(width, height, { fit: "fill", kernel: "lanczos3" })
    .raw()
    .toBuffer();
}

export function placeProduct(spec: StudioSceneSpec, cutout: Cutout, width: number, height: number): Placement {
  const aspect = cutout.box.width / cutout.box.height;
  let productHeight = Math.round(height * spec.productScale);
  if (productHeight * aspect > width * MAX_PRODUCT_WIDTH) productHeight = Math.round((width * MAX_PRODUCT_WIDTH) / aspect);
  const productWidth = Math.max(1, Math.round(productHeight * aspect));
  const floorY = Math.round(height * (spec.horizon + (1 - spec.horizon) * FLOOR_LINE));
  const top = Math.max(Math.round(height * 0.03), floorY - productHeight);
  const centre = width / 2 + spec.productOffset * width;
  const left = Math.round(Math.max(0, Math.min(width - productWidth, centre - productWidth / 2)));
  return { left, top, width: productWidth, height: Math.max(1, Math.min(productHeight, height - top)) };
}

/**
 * Two blurred ellipses under the product: a tight dark contact line and a
 * wider soft pool, pushed away from the light.
 */
async function contactShadow(spec: StudioSceneSpec, place: Placement, canvas: { width: number; height: number }) {
  const shift = spec.light === "left" ? 0.12 : spec.light === "right" ? -0.12 : 0;
  const rx = place.width * 0.58;
  const ry = Math.max(3, place.width * 0.07);
  const blur = Math.max(1, place.width * 0.03);
  const pad = Math.ceil(blur * 3 + ry);
  const w = Math.ceil(rx * 2 + pad * 2 + Math.abs(shift) * place.width);
  const h = Math.ceil(ry * 2 + pad * 2);
  const cx = w / 2 + (shift * place.width) / 2;
  const cy = h / 2;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
    <ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="#000" fill-opacity="0.32"/>
    <ellipse cx="${w / 2}" cy="${cy}" rx="${place.width * 0.45}" ry="${ry * 0.35}" fill="#000" fill-opacity="0.55"/>
  </svg>`;
  const left = Math.round(place.left + place.width / 2 - w / 2);
  const top = Math.round(place.top + place.height - h / 2);
  const visible = {
    left: Math.max(0, left),
    top: Math.max(0, top),
    right: Math.min(canvas.width, left + w),
    bottom: Math.min(canvas.height, top + h),
  };
  const input = await sharp(Buffer.from(svg))
    .blur(blur)
    .extract({
      left: visible.left - left,
      top: visible.top - top,
      width: Math.max(1, visible.right - visible.left),
      height: Math.max(1, visible.bottom - visible.top),
    })
    .png()
    .toBuffer();
  return { input, left: visible.left, top: visible.top };
}

/** The product flipped below the floor line, fading to nothing. */
function reflection(product: Buffer, place: Placement, canvasHeight: number) {
  const rows = Math.min(place.height, canvasHeight - (place.top + place.height), Math.round(place.height * REFLECTION_LENGTH));
  if (rows <= 0) return null;
  const out = Buffer.alloc(place.width * rows * 4);
  for (let y = 0; y < rows; y++) {
    const sourceRow = place.height - 1 - y;
    const fade = REFLECTION_OPACITY * (1 - y / rows);
    product.copy(out, y * place.width * 4, sourceRow * place.width * 4, (sourceRow + 1) * place.width * 4);
    for (let x = 0; x < place.width; x++) {
      const a = (y * place.width + x) * 4 + 3;
      out[a] = Math.round((out[a] ?? 0) * fade);
    }
  }
  return {
    input: out,
    raw: { width: place.width, height: rows, channels: 4 as const },
    left: place.left,
    top: place.top + place.height,
  };
}

/**
 * Stands the cut-out product in the scene. With no scene, the result is the
 * product and its shadow on a transparent canvas.
 */
export async function composeProduct(
  photo: RawImage,
  cutout: Cutout,
  spec: StudioSceneSpec,
  scene: RawImage | { width: number; height: number; transparent: true },
): Promise<{ image: RawImage; placement: Placement }> {
  const { width, height } = scene;
  const place = placeProduct(spec, cutout, width, height);
  const product = await productRgba(photo, cutout, place.width, place.height);
  const layers: sharp.OverlayOptions[] = [await contactShadow(spec, place, { width, height })];
  const transparent = "transparent" in scene;
  const mirrored = spec.reflection && !transparent ? reflection(product, place, height) : null;
  if (mirrored) layers.push(mirrored);
  layers.push({ input: product, raw: { width: place.width, height: place.height, channels: 4 }, left: place.left, top: place.top });
  const base = transparent
    ? sharp({ create: { width, height, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
    : sharpFromRaw(scene);
  const { data, info } = await base.composite(layers).raw().toBuffer({ resolveWithObject: true });
  const image: RawImage = { data, width: info.width, height: info.height, channels: info.channels === 4 ? 4 : 3 };
  return { image: transparent || image.channels === 3 ? image : await dropAlpha(image), placement: place };
}

/** sharp adds an alpha channel when compositing RGBA layers; an opaque scene should not carry one. */
async function dropAlpha(image: RawImage): Promise<RawImage> {
  const data = await sharpFromRaw(image).removeAlpha().raw().toBuffer();
  return { data, width: image.width, height: image.height, channels: 3 };
}
