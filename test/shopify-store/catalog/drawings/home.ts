/** Mug, vase and candle, standing on the studio floor. */
import { inkOn, shade } from "../palette";
import { type Draw, type Look, fitText, linear, radial, sideView, text } from "./svg";

function glaze(look: Look, colour = look.base): { defs: string; fill: string } {
  const id = `${look.id}-glaze`;
  return {
    defs: linear(id, [[0, shade(colour, -0.2)], [0.28, shade(colour, 0.12)], [0.4, shade(colour, 0.22)], [0.75, colour], [1, shade(colour, -0.28)]]),
    fill: `url(#${id})`,
  };
}

export const drawMug: Draw = (look) => {
  const glass = /glass/i.test(look.title);
  const wide = /latte/i.test(look.title);
  const { defs, fill } = glaze(look);
  const left = wide ? 300 : 330;
  const right = wide ? 700 : 670;
  const top = wide ? 420 : 330;
  const bottom = 770;
  const mid = (left + right) / 2;
  const rx = (right - left) / 2;
  const body = `M${left} ${top} L${left} ${bottom - 70} C${left} ${bottom - 25} ${left + 30} ${bottom} ${left + 75} ${bottom} L${right - 75} ${bottom} C${right - 30} ${bottom} ${right} ${bottom - 25} ${right} ${bottom - 70} L${right} ${top} Z`;
  const line = shade(look.base, -0.4);
  const handle = `<path d="M${right - 4} ${top + 70} C${right + 120} ${top + 60} ${right + 130} ${top + 280} ${right - 4} ${top + 290}" fill="none" stroke="${glass ? "#cfe0e8" : fill}" stroke-width="40" stroke-linecap="round"/><path d="M${right - 4} ${top + 70} C${right + 120} ${top + 60} ${right + 130} ${top + 280} ${right - 4} ${top + 290}" fill="none" stroke="${glass ? "#9fb8c4" : line}" stroke-width="2" opacity="0.5"/>`;
  const parts = [handle];
  if (glass) {
    parts.push(
      `<path d="${body}" fill="#e9f3f7" fill-opacity="0.55" stroke="#8fb0bf" stroke-width="3"/>`,
      `<path d="M${left + 22} ${top + 90} L${left + 22} ${bottom - 80} C${left + 22} ${bottom - 42} ${left + 48} ${bottom - 22} ${left + 85} ${bottom - 22} L${right - 85} ${bottom - 22} C${right - 48} ${bottom - 22} ${right - 22} ${bottom - 42} ${right - 22} ${bottom - 80} L${right - 22} ${top + 90} Z" fill="#a8641f" opacity="0.85"/>`,
      `<ellipse cx="${mid}" cy="${top + 90}" rx="${rx - 22}" ry="22" fill="#c98a3e"/>`,
      `<path d="M${left + 36} ${top + 40} L${left + 36} ${bottom - 110}" stroke="#fff" stroke-width="14" opacity="0.6" stroke-linecap="round"/>`,
    );
  } else {
    parts.push(`<path d="${body}" fill="${fill}" stroke="${line}" stroke-width="3"/>`);
    if (/speckled/i.test(look.title)) {
      const dots = Array.from({ length: 90 }, () => {
        const x = look.rng.range(left + 10, right - 10);
        const y = look.rng.range(top + 20, bottom - 20);
        return `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${look.rng.range(1.5, 4).toFixed(1)}"/>`;
      });
      parts.push(`<g fill="${shade(look.base, -0.6)}" opacity="0.55">${dots.join("")}</g>`);
    }
    if (/enamel/i.test(look.title)) parts.push(`<path d="M${left} ${bottom - 40} C${left} ${bottom - 8} ${left + 40} ${bottom} ${left + 75} ${bottom} L${right - 75} ${bottom} C${right - 40} ${bottom} ${right} ${bottom - 8} ${right} ${bottom - 40}" fill="none" stroke="#2b2f3a" stroke-width="8"/>`);
    parts.push(`<path d="M${left + 55} ${top + 40} L${left + 55} ${bottom - 90}" stroke="#fff" stroke-width="16" opacity="0.35" stroke-linecap="round"/>`);
    if (look.view === "main") {
      const ink = inkOn(look.base);
      parts.push(text(mid + 10, top + (bottom - top) * 0.52, fitText(look.brand, rx * 1.3, 34), ink, look.brand, ' opacity="0.85"'));
    }
  }
  const rim = glass ? "#d5e6ee" : shade(look.base, 0.15);
  const inner = glass ? "#c98a3e" : shade(look.base, -0.5);
  parts.push(`<ellipse cx="${mid}" cy="${top}" rx="${rx}" ry="34" fill="${rim}" stroke="${line}" stroke-width="3"/>`, `<ellipse cx="${mid}" cy="${top + 4}" rx="${rx - 16}" ry="26" fill="${inner}"/>`);
  return sideView(look, { defs, body: parts.join(""), box: { x: left, y: top - 34, w: right + 120 - left, h: bottom - top + 34 } });
};

/** [y, half-width] pairs from rim to foot; the silhouette is mirrored around x = 500. */
const VASE_PROFILES: Record<string, [number, number][]> = {
  bud: [[360, 34], [420, 30], [500, 48], [600, 110], [690, 112], [760, 80], [780, 70]],
  ribbed: [[250, 110], [300, 120], [450, 150], [620, 150], [740, 130], [780, 120]],
  bottle: [[200, 36], [280, 36], [360, 60], [420, 140], [560, 150], [720, 146], [780, 130]],
  amphora: [[170, 70], [200, 58], [280, 70], [380, 170], [520, 190], [660, 140], [740, 80], [780, 74]],
};

/** Catmull-Rom through the profile points so the silhouette bulges smoothly. */
function smoothThrough(points: [number, number][]): string {
  let d = "";
  for (let i = 0; i < points.length - 1; i++) {
    const p0 = points[Math.max(0, i - 1)] as [number, number];
    const p1 = points[i] as [number, number];
    const p2 = points[i + 1] as [number, number];
    const p3 = points[Math.min(points.length - 1, i + 2)] as [number, number];
    const c1 = [p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6];
    const c2 = [p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6];
    d += ` C${c1[0]?.toFixed(1)} ${c1[1]?.toFixed(1)} ${c2[0]?.toFixed(1)} ${c2[1]?.toFixed(1)} ${p2[0].toFixed(1)} ${p2[1].toFixed(1)}`;
  }
  return d;
}

function profilePath(profile: [number, number][]): string {
  const right = profile.map(([y, w]): [number, number] => [500 + w, y]);
  const left = [...profile].reverse().map(([y, w]): [number, number] => [500 - w, y]);
  const [sx, sy] = right[0] as [number, number];
  const [lx, ly] = left[0] as [number, number];
  return `M${sx} ${sy}${smoothThrough(right)} L${lx} ${ly}${smoothThrough(left)} Z`;
}

export const drawVase: Draw = (look) => {
  const kind = /bud/i.test(look.title) ? "bud" : /ribbed/i.test(look.title) ? "ribbed" : /bottle|glass/i.test(look.title) ? "bottle" : "amphora";
  const profile = VASE_PROFILES[kind] as [number, number][];
  const { defs, fill } = glaze(look);
  const line = shade(look.base, -0.4);
  const outline = profilePath(profile);
  const [rimY, rimW] = profile[0] as [number, number];
  const [footY] = profile[profile.length - 1] as [number, number];
  const clip = `${look.id}-vase`;
  const parts: string[] = [];
  if (kind !== "amphora" && look.rng.chance(0.6)) {
    const stems = Array.from({ length: 3 }, (_, i) => {
      const tipX = 500 + (i - 1) * look.rng.range(60, 110);
      const tipY = rimY - look.rng.range(140, 220);
      return `<path d="M500 ${rimY + 30} C${500 + (i - 1) * 20} ${rimY - 60} ${tipX} ${tipY + 60} ${tipX} ${tipY}" fill="none" stroke="#7a6a45" stroke-width="5"/><ellipse cx="${tipX}" cy="${tipY}" rx="16" ry="34" fill="#c9b07a" transform="rotate(${(i - 1) * 18} ${tipX} ${tipY})"/>`;
    });
    parts.push(stems.join(""));
  }
  parts.push(
    `<clipPath id="${clip}"><path d="${outline}"/></clipPath>`,
    `<path d="${outline}" fill="${fill}"${kind === "bottle" ? ' fill-opacity="0.85"' : ""} stroke="${line}" stroke-width="3"/>`,
  );
  if (kind === "ribbed") {
    const ribs = Array.from({ length: 13 }, (_, i) => {
      const k = (i + 1) / 14 * 2 - 1;
      return `M${500 + k * rimW} ${rimY} ${profile.map(([y, w]) => `L${(500 + k * w).toFixed(1)} ${y}`).join(" ")}`;
    });
    parts.push(`<path d="${ribs.join("")}" fill="none" stroke="${shade(look.base, -0.3)}" stroke-width="4" opacity="0.5" clip-path="url(#${clip})"/>`);
  }
  if (kind === "amphora") {
    parts.push(
      `<path d="M430 230 C360 240 350 330 400 360 M570 230 C640 240 650 330 600 360" fill="none" stroke="${fill}" stroke-width="22" stroke-linecap="round"/>`,
      `<path d="M330 470 L670 470 M322 500 L678 500" stroke="${shade(look.base, 0.35)}" stroke-width="6" opacity="0.7" clip-path="url(#${clip})"/>`,
    );
  }
  parts.push(
    `<path d="M${500 - rimW * 0.55} ${rimY + 40} L${500 - rimW * 0.55} ${footY - 40}" stroke="#fff" stroke-width="${Math.max(8, rimW * 0.18)}" opacity="0.3" stroke-linecap="round" clip-path="url(#${clip})"/>`,
    `<ellipse cx="500" cy="${rimY}" rx="${rimW}" ry="${Math.max(8, rimW * 0.22)}" fill="${shade(look.base, 0.1)}" stroke="${line}" stroke-width="3"/>`,
    `<ellipse cx="500" cy="${rimY + 2}" rx="${rimW * 0.75}" ry="${Math.max(5, rimW * 0.15)}" fill="${shade(look.base, -0.6)}"/>`,
  );
  const widest = Math.max(...profile.map(([, w]) => w), kind === "amphora" ? 160 : 0);
  const top = kind !== "amphora" ? rimY - 260 : rimY - 20;
  return sideView(look, { defs, body: parts.join(""), box: { x: 500 - widest - 10, y: top, w: (widest + 10) * 2, h: footY - top } });
};

export const drawCandle: Draw = (look) => {
  const triple = /three-wick/i.test(look.title);
  const pillar = /pumpkin|pillar/i.test(look.title);
  const wax = pillar ? look.base : shade(look.base, 0.55);
  const left = triple ? 290 : 360;
  const right = triple ? 710 : 640;
  const top = pillar ? 360 : 400;
  const bottom = 770;
  const mid = (left + right) / 2;
  const rx = (right - left) / 2;
  const flameId = `${look.id}-flame`;
  const waxId = `${look.id}-wax`;
  const defs = [
    radial(flameId, [[0, "#fffbe6"], [0.4, "#ffd45c"], [1, "#f08a1c"]], 0.5, 0.7, 0.6),
    linear(waxId, [[0, shade(wax, -0.15)], [0.35, shade(wax, 0.15)], [1, shade(wax, -0.2)]]),
  ].join("");
  const waxTop = pillar ? top : top + 60;
  const wicks = triple ? [mid - 110, mid, mid + 110] : [mid];
  const parts: string[] = [];
  parts.push(`<path d="M${left} ${waxTop} L${left} ${bottom - 30} Q${left} ${bottom} ${left + 30} ${bottom} L${right - 30} ${bottom} Q${right} ${bottom} ${right} ${bottom - 30} L${right} ${waxTop} Z" fill="url(#${waxId})"/>`);
  parts.push(`<ellipse cx="${mid}" cy="${waxTop}" rx="${rx - (pillar ? 0 : 6)}" ry="${rx * 0.16}" fill="${shade(wax, 0.2)}" stroke="${shade(wax, -0.2)}" stroke-width="2"/>`);
  for (const x of wicks) {
    parts.push(
      `<path d="M${x} ${waxTop} L${x + 3} ${waxTop - 34}" stroke="#2a2522" stroke-width="6" stroke-linecap="round"/>`,
      `<path d="M${x + 3} ${waxTop - 128} C${x + 30} ${waxTop - 80} ${x + 26} ${waxTop - 36} ${x + 3} ${waxTop - 30} C${x - 20} ${waxTop - 36} ${x - 24} ${waxTop - 80} ${x + 3} ${waxTop - 128} Z" fill="url(#${flameId})"/>`,
      `<ellipse cx="${x + 3}" cy="${waxTop - 56}" rx="7" ry="14" fill="#6fa8ff" opacity="0.35"/>`,
    );
  }
  if (!pillar) {
    const glassTint = /amber/i.test(look.title) ? "#b8731f" : "#dfeaf0";
    parts.push(
      `<path d="M${left} ${top} L${left} ${bottom - 30} Q${left} ${bottom} ${left + 30} ${bottom} L${right - 30} ${bottom} Q${right} ${bottom} ${right} ${bottom - 30} L${right} ${top}" fill="${glassTint}" fill-opacity="0.32" stroke="#9bb0ba" stroke-width="4"/>`,
      `<ellipse cx="${mid}" cy="${top}" rx="${rx}" ry="${rx * 0.16}" fill="none" stroke="#9bb0ba" stroke-width="4"/>`,
      `<path d="M${left + 26} ${top + 30} L${left + 26} ${bottom - 40}" stroke="#fff" stroke-width="12" opacity="0.55" stroke-linecap="round"/>`,
    );
  }
  if (look.view === "main") {
    const labelTop = pillar ? 560 : 575;
    const words = look.title.split(/\s+/).slice(0, 3).join(" ");
    parts.push(
      `<rect x="${mid - rx * 0.68}" y="${labelTop}" width="${rx * 1.36}" height="120" rx="6" fill="#fbf8f1" stroke="#d8d0c0" stroke-width="2"/>`,
      text(mid, labelTop + 48, fitText(look.brand, rx * 1.2, 28), "#3a342c", look.brand.toUpperCase(), ' letter-spacing="2"'),
      text(mid, labelTop + 88, fitText(words, rx * 1.2, 22), "#6f665a", words, ' font-weight="normal"'),
    );
  }
  return { defs, body: parts.join(""), box: { x: left, y: waxTop - 130, w: right - left, h: bottom - waxTop + 130 } };
};
