import type { SizeRule } from "~/generation/provider";

export interface Dimensions {
  width: number;
  height: number;
}

export function parseSize(size: string): Dimensions | null {
  const match = /^(\d{1,5})x(\d{1,5})$/.exec(size);
  if (!match) return null;
  return { width: Number(match[1]), height: Number(match[2]) };
}

/** Returns why `size` breaks `rule`, or null when the size is acceptable. */
export function sizeProblem(rule: SizeRule, size: string): string | null {
  if (size === "auto") return rule.auto ? null : `size "auto" is not supported`;
  if (rule.fixed.includes(size)) return null;
  const custom = rule.custom;
  if (!custom) return `size "${size}" is not supported; use one of ${[...rule.fixed, ...(rule.auto ? ["auto"] : [])].join(", ")}`;
  const dims = parseSize(size);
  if (!dims) return `size "${size}" is not of the form WIDTHxHEIGHT`;
  const { width, height } = dims;
  if (width % custom.multipleOf !== 0 || height % custom.multipleOf !== 0) {
    return `size "${size}": width and height must both be multiples of ${custom.multipleOf}`;
  }
  if (Math.min(width, height) < custom.minEdge || Math.max(width, height) > custom.maxEdge) {
    return `size "${size}": edges must be between ${custom.minEdge} and ${custom.maxEdge} pixels`;
  }
  if (Math.max(width, height) / Math.min(width, height) > custom.maxAspectRatio) {
    return `size "${size}": aspect ratio must be at most ${custom.maxAspectRatio}:1`;
  }
  const pixels = width * height;
  if (pixels < custom.minPixels || pixels > custom.maxPixels) {
    return `size "${size}": total pixels must be between ${custom.minPixels} and ${custom.maxPixels}`;
  }
  return null;
}
