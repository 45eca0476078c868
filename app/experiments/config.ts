/**
 * What the storefront reads: the experiment's configuration as written to the
 * product metafield, and the control's CDN file name the embed matches images
 * by (the same rules as extensions/image-ab-embed/assets/image-ab.js).
 */

const LEGACY_SIZE = /_(\d+x\d*|x\d+|pico|icon|thumb|small|compact|medium|large|grande|original|master)(_crop_[a-z]+)?(@\dx)?$/;

/** `https://cdn.shopify.com/s/files/1/0001/files/shirt_800x.jpg?v=1` → `shirt`. */
export function cdnFileName(url: string): string {
  const path = url.split(/[?#]/)[0]!;
  const segment = decodeURIComponent(path.substring(path.lastIndexOf("/") + 1));
  const dot = segment.lastIndexOf(".");
  return (dot > 0 ? segment.slice(0, dot) : segment).replace(LEGACY_SIZE, "");
}

export interface StorefrontConfig {
  v: 1;
  experimentId: string;
  productId: string;
  status: "running" | "paused";
  /** How long the embed may hold control images hidden while it decides. */
  maxHideMs: number;
  control: { key: string; file: string };
  arms: Array<{ key: string; weight: number; url?: string }>;
}

export const MAX_HIDE_MS = 1200;

export function storefrontConfig(experiment: {
  id: string;
  productGid: string;
  status: string;
  controlFileName: string;
  arms: Array<{ key: string; isControl: boolean; weight: number; imageUrl: string | null }>;
}): StorefrontConfig {
  const control = experiment.arms.find((arm) => arm.isControl);
  if (!control) throw new Error("An experiment needs a control arm");
  return {
    v: 1,
    experimentId: experiment.id,
    productId: experiment.productGid.replace(/^.*\//, ""),
    status: experiment.status === "running" ? "running" : "paused",
    maxHideMs: MAX_HIDE_MS,
    control: { key: control.key, file: experiment.controlFileName },
    arms: experiment.arms.map((arm) => (arm.isControl || !arm.imageUrl ? { key: arm.key, weight: arm.weight } : { key: arm.key, weight: arm.weight, url: arm.imageUrl })),
  };
}

/**
 * The control keeps 100 − trafficPercent of visitors; the variants split the
 * rest as evenly as whole percents allow (the first taking any remainder),
 * each at least 1.
 */
export function trafficWeights(trafficPercent: number, variants: number): number[] {
  const share = Math.max(trafficPercent, variants);
  const base = Math.floor(share / variants);
  return [100 - share, ...Array.from({ length: variants }, (_, i) => base + (i < share % variants ? 1 : 0))];
}
