/** Ring, necklace, earrings and bracelet in polished metal with faceted stones. */
import { shade } from "../palette";
import { type Draw, type Look, metalGradient, radial, text } from "./svg";

function metal(look: Look): { def: string; fill: string } {
  const id = `${look.id}-metal`;
  return { def: metalGradient(id, look.metal), fill: `url(#${id})` };
}

function gemFill(look: Look, colour: string, suffix: string): { def: string; fill: string } {
  const id = `${look.id}-${suffix}`;
  return {
    def: radial(id, [[0, shade(colour, 0.75)], [0.45, colour], [1, shade(colour, -0.45)]], 0.4, 0.35, 0.7),
    fill: `url(#${id})`,
  };
}

/** Brilliant cut seen side-on: crown, girdle, pavilion and facet lines. */
function brilliant(cx: number, top: number, width: number, fill: string, edge: string): string {
  const half = width / 2;
  const table = half * 0.55;
  const girdle = top + width * 0.28;
  const culet = girdle + width * 0.55;
  return [
    `<path d="M${cx - table} ${top} L${cx + table} ${top} L${cx + half} ${girdle} L${cx} ${culet} L${cx - half} ${girdle} Z" fill="${fill}" stroke="${edge}" stroke-width="2.5" stroke-linejoin="round"/>`,
    `<path d="M${cx - half} ${girdle} L${cx + half} ${girdle} M${cx - table} ${top} L${cx - half * 0.3} ${girdle} L${cx} ${culet} L${cx + half * 0.3} ${girdle} L${cx + table} ${top} M${cx} ${top} L${cx - half * 0.3} ${girdle} M${cx} ${top} L${cx + half * 0.3} ${girdle}" fill="none" stroke="${edge}" stroke-width="1.6" opacity="0.7"/>`,
    `<path d="M${cx - table * 0.6} ${top + 6} L${cx - table * 0.1} ${top + 6} L${cx - half * 0.45} ${girdle - 6} Z" fill="#fff" opacity="0.55"/>`,
  ].join("");
}

export const drawRing: Draw = (look) => {
  const m = metal(look);
  const signet = /signet/i.test(look.title);
  const twist = /twist/i.test(look.title);
  const band = "M300 600 A200 196 0 1 0 700 600 A200 196 0 1 0 300 600 Z M338 606 A162 158 0 1 1 662 606 A162 158 0 1 1 338 606 Z";
  const defs = [m.def];
  const parts = [
    `<path d="${band}" fill="${m.fill}" fill-rule="evenodd" stroke="${shade(look.metal[0] ?? "#777", -0.2)}" stroke-width="2"/>`,
    `<path d="M338 640 A162 158 0 0 0 662 640" fill="none" stroke="${look.metal[0]}" stroke-width="10" opacity="0.45"/>`,
    `<path d="M330 520 A190 186 0 0 1 470 418" fill="none" stroke="#fff" stroke-width="9" stroke-linecap="round" opacity="0.55"/>`,
  ];
  if (twist) {
    const strokes = Array.from({ length: 36 }, (_, i) => {
      const a = (i / 36) * Math.PI * 2;
      const x1 = 500 + Math.cos(a) * 164;
      const y1 = 603 + Math.sin(a) * 160;
      const x2 = 500 + Math.cos(a + 0.09) * 198;
      const y2 = 600 + Math.sin(a + 0.09) * 194;
      return `M${x1.toFixed(1)} ${y1.toFixed(1)} L${x2.toFixed(1)} ${y2.toFixed(1)}`;
    });
    parts.push(`<path d="${strokes.join("")}" stroke="${look.metal[0]}" stroke-width="4" opacity="0.6"/>`);
  }
  if (signet) {
    const stone = gemFill(look, look.gem ?? "#0f8a4f", "stone");
    defs.push(stone.def);
    parts.push(
      `<path d="M392 424 L608 424 L596 380 L404 380 Z" fill="${m.fill}" stroke="${look.metal[0]}" stroke-width="2"/>`,
      `<path d="M430 382 L570 382 L586 352 L574 322 L426 322 L414 352 Z" fill="${stone.fill}" stroke="${shade(look.gem ?? "#0f8a4f", -0.5)}" stroke-width="3"/>`,
      `<path d="M444 334 L556 334 L566 352 L556 370 L444 370 L434 352 Z" fill="none" stroke="#fff" stroke-width="2" opacity="0.5"/>`,
    );
  } else if (look.gem) {
    const stone = gemFill(look, look.gem, "stone");
    defs.push(stone.def);
    const halo = /halo/i.test(look.title);
    parts.push(
      `<path d="M452 412 L548 412 L530 392 L470 392 Z" fill="${m.fill}"/>`,
      `<path d="M448 408 L440 350 M552 408 L560 350 M484 404 L478 348 M516 404 L522 348" stroke="${m.fill}" stroke-width="9" stroke-linecap="round"/>`,
    );
    if (halo) {
      parts.push(
        Array.from({ length: 11 }, (_, i) => {
          const a = Math.PI + (i / 10) * Math.PI;
          return `<circle cx="${(500 + Math.cos(a) * 82).toFixed(1)}" cy="${(352 + Math.sin(a) * 40 + 26).toFixed(1)}" r="10" fill="#eef5fb" stroke="${look.metal[0]}" stroke-width="2"/>`;
        }).join(""),
      );
    }
    parts.push(brilliant(500, 300, 130, stone.fill, shade(look.gem, -0.55)));
  }
  return { defs: defs.join(""), body: parts.join(""), box: { x: 300, y: 290, w: 400, h: 506 } };
};

function chainLinks(fill: string): string {
  const links: string[] = [];
  const count = 84;
  for (let i = 0; i < count; i++) {
    const a = -Math.PI / 2 + ((i + 0.5) / count) * Math.PI * 2;
    // Leave a gap at the top for the clasp.
    if (Math.abs(Math.cos(a + Math.PI / 2)) > 0.985 && Math.sin(a) < 0) continue;
    const x = 500 + Math.cos(a) * 210;
    const y = 440 + Math.sin(a) * 300;
    const tangent = (Math.atan2(300 * Math.cos(a), -210 * Math.sin(a)) * 180) / Math.PI;
    const ry = i % 2 === 0 ? 7 : 4;
    links.push(`<ellipse cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" rx="14" ry="${ry}" transform="rotate(${tangent.toFixed(1)} ${x.toFixed(1)} ${y.toFixed(1)})" fill="none" stroke="${fill}" stroke-width="5.5"/>`);
  }
  return links.join("");
}

export const drawNecklace: Draw = (look) => {
  const m = metal(look);
  const defs = [m.def];
  const parts = [chainLinks(look.metal[1] ?? "#c99a2e")];
  parts.push(`<path d="M490 136 L510 136 L514 152 L486 152 Z" fill="${m.fill}" stroke="${look.metal[0]}" stroke-width="2"/>`);
  const bail = `<ellipse cx="500" cy="752" rx="12" ry="18" fill="none" stroke="${m.fill}" stroke-width="7"/>`;
  if (/arabic|name/i.test(look.title)) {
    parts.push(
      `<path d="M392 730 C440 760 560 760 608 730" fill="none" stroke="${look.metal[1]}" stroke-width="4"/>`,
      text(500, 800, 92, m.fill, "ليلى", ` stroke="${look.metal[0]}" stroke-width="2"`),
    );
  } else if (/pearl/i.test(look.title)) {
    const pearl = gemFill(look, "#efe6da", "pearl");
    defs.push(pearl.def);
    parts.push(bail, `<circle cx="500" cy="800" r="40" fill="${pearl.fill}" stroke="#cbbfae" stroke-width="2"/>`, `<ellipse cx="486" cy="786" rx="12" ry="8" fill="#fff" opacity="0.8"/>`);
  } else {
    const stone = gemFill(look, look.gem ?? "#b0122e", "stone");
    defs.push(stone.def);
    parts.push(bail, `<circle cx="500" cy="798" r="36" fill="${m.fill}"/>`, `<circle cx="500" cy="798" r="26" fill="${stone.fill}"/>`, `<ellipse cx="492" cy="789" rx="8" ry="5" fill="#fff" opacity="0.7"/>`);
  }
  return { defs: defs.join(""), body: parts.join(""), box: { x: 280, y: 130, w: 440, h: 710 } };
};

export const drawEarrings: Draw = (look) => {
  const m = metal(look);
  const defs = [m.def];
  const huggie = /huggie/i.test(look.title);
  const stud = /stud/i.test(look.title);
  const stoneColour = look.gem ?? "#eaf4fb";
  const stone = gemFill(look, stoneColour, "stone");
  defs.push(stone.def);
  const one = (cx: number): string => {
    if (stud) {
      return `<circle cx="${cx}" cy="420" r="62" fill="${m.fill}"/><circle cx="${cx}" cy="420" r="50" fill="${stone.fill}"/><ellipse cx="${cx - 16}" cy="402" rx="16" ry="10" fill="#fff" opacity="0.6"/>`;
    }
    if (huggie) {
      return `<circle cx="${cx}" cy="400" r="70" fill="none" stroke="${m.fill}" stroke-width="24"/><circle cx="${cx}" cy="476" r="24" fill="${stone.fill}" stroke="${look.metal[0]}" stroke-width="3"/>`;
    }
    return [
      `<circle cx="${cx}" cy="340" r="64" fill="none" stroke="${m.fill}" stroke-width="16"/>`,
      `<path d="M${cx - 10} 404 L${cx + 10} 404 L${cx + 6} 426 L${cx - 6} 426 Z" fill="${m.fill}"/>`,
      `<path d="M${cx} 426 C${cx + 48} 480 ${cx + 44} 540 ${cx} 548 C${cx - 44} 540 ${cx - 48} 480 ${cx} 426 Z" fill="${stone.fill}" stroke="${look.metal[0]}" stroke-width="4"/>`,
      `<ellipse cx="${cx - 12}" cy="500" rx="9" ry="16" fill="#fff" opacity="0.6"/>`,
    ].join("");
  };
  return { defs: defs.join(""), body: one(390) + one(610), box: { x: 310, y: 262, w: 380, h: 290 } };
};

export const drawBracelet: Draw = (look) => {
  const m = metal(look);
  const sideId = `${look.id}-side`;
  const hole = `${look.id}-hole`;
  const defs = [m.def, metalGradient(sideId, look.metal, "horizontal")];
  const parts = [
    `<path d="M240 520 A260 140 0 0 0 760 520 L760 566 A260 140 0 0 1 240 566 Z" fill="url(#${sideId})" stroke="${look.metal[0]}" stroke-width="2"/>`,
    `<path d="M240 520 A260 140 0 1 0 760 520 A260 140 0 1 0 240 520 Z M276 520 A224 112 0 1 1 724 520 A224 112 0 1 1 276 520 Z" fill="${m.fill}" fill-rule="evenodd" stroke="${look.metal[0]}" stroke-width="2"/>`,
    `<clipPath id="${hole}"><ellipse cx="500" cy="520" rx="224" ry="112"/></clipPath>`,
    `<path d="M276 520 A224 112 0 0 1 724 520 L724 566 A224 112 0 0 0 276 566 Z" fill="${shade(look.metal[0] ?? "#777", -0.1)}" clip-path="url(#${hole})"/>`,
    `<path d="M300 470 A250 130 0 0 1 520 386" fill="none" stroke="#fff" stroke-width="7" stroke-linecap="round" opacity="0.55"/>`,
  ];
  if (/tennis/i.test(look.title)) {
    const stone = gemFill(look, look.gem ?? "#eaf4fb", "stone");
    defs.push(stone.def);
    for (let i = 0; i < 40; i++) {
      const a = (i / 40) * Math.PI * 2;
      const x = 500 + Math.cos(a) * 242;
      const y = 520 + Math.sin(a) * 126;
      const r = 9 + Math.sin(a) * 3;
      parts.push(`<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${r.toFixed(1)}" fill="${stone.fill}" stroke="${look.metal[0]}" stroke-width="1.5"/>`);
    }
  } else {
    for (let i = 0; i < 26; i++) {
      const a = look.rng.range(0, Math.PI * 2);
      const x = 500 + Math.cos(a) * 242;
      const y = 520 + Math.sin(a) * 126;
      parts.push(`<ellipse cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" rx="11" ry="6" fill="${look.metal[2] ?? "#fff"}" opacity="0.45"/>`);
    }
  }
  return { defs: defs.join(""), body: parts.join(""), box: { x: 240, y: 380, w: 520, h: 330 } };
};
