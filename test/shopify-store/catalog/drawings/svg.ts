/**
 * What every product drawing receives and returns. Drawings work in a
 * ~1000-unit design space; render.ts scales them into the photo frame.
 */
import type { Rng } from "../random";

export interface Look {
  /** Prefix for gradient/clip ids so two drawings never share a definition. */
  id: string;
  base: string;
  metal: readonly string[];
  gem: string | undefined;
  brand: string;
  title: string;
  view: "main" | "back";
  rng: Rng;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Drawing {
  defs: string;
  body: string;
  box: Box;
}

export type Draw = (look: Look) => Drawing;

export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

type Stop = [offset: number, colour: string, opacity?: number];

function stops(list: Stop[]): string {
  return list
    .map(([offset, colour, opacity]) => `<stop offset="${offset}" stop-color="${colour}"${opacity === undefined ? "" : ` stop-opacity="${opacity}"`}/>`)
    .join("");
}

/** Gradient in the shape's own bounding box: 0,0 → 1,0 runs left to right. */
export function linear(id: string, list: Stop[], x1 = 0, y1 = 0, x2 = 1, y2 = 0): string {
  return `<linearGradient id="${id}" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}">${stops(list)}</linearGradient>`;
}

export function radial(id: string, list: Stop[], cx = 0.5, cy = 0.5, r = 0.5, fx = cx, fy = cy): string {
  return `<radialGradient id="${id}" cx="${cx}" cy="${cy}" r="${r}" fx="${fx}" fy="${fy}">${stops(list)}</radialGradient>`;
}

/** Metal gradient: diagonal for flat metal, horizontal for cylinders (cases, collars). */
export function metalGradient(id: string, metal: readonly string[], direction: "diagonal" | "horizontal" = "diagonal"): string {
  const step = 1 / (metal.length - 1);
  return linear(id, metal.map((colour, i): Stop => [Number((i * step).toFixed(3)), colour]), 0, 0, 1, direction === "diagonal" ? 1 : 0);
}

/** Bold centred text; pass ` font-weight="normal"` in extra for body copy. */
export function text(x: number, y: number, size: number, fill: string, content: string, extra = ""): string {
  const weight = extra.includes("font-weight") ? "" : ' font-weight="bold"';
  return `<text x="${x}" y="${y}" font-family="DejaVu Sans, sans-serif"${weight} font-size="${size}" fill="${fill}" text-anchor="middle"${extra}>${escapeXml(content)}</text>`;
}

/** Font size that keeps a brand name inside the given width. */
export function fitText(content: string, width: number, max: number): number {
  return Math.min(max, Math.floor(width / Math.max(1, content.length * 0.68)));
}

/**
 * Products without a distinct back are shown from the other side: mirrored
 * around x = 500, box included.
 */
export function sideView(look: Look, drawing: Drawing): Drawing {
  if (look.view === "main") return drawing;
  const { box } = drawing;
  return {
    defs: drawing.defs,
    body: `<g transform="translate(1000 0) scale(-1 1)">${drawing.body}</g>`,
    box: { ...box, x: 1000 - box.x - box.w },
  };
}

export const stitch = (d: string, colour: string, width = 3) =>
  `<path d="${d}" fill="none" stroke="${colour}" stroke-width="${width}" stroke-dasharray="10 7" stroke-linecap="round" opacity="0.8"/>`;
