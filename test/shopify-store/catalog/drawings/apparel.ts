/** Flat-lay garments: t-shirt, hoodie and sweater, front and back. */
import { inkOn, luminance, shade } from "../palette";
import { type Draw, type Look, fitText, linear, stitch, text } from "./svg";

function fabric(look: Look): { defs: string; fill: string; line: string } {
  const id = `${look.id}-fabric`;
  return {
    defs: linear(id, [[0, shade(look.base, -0.14)], [0.3, shade(look.base, 0.06)], [0.7, look.base], [1, shade(look.base, -0.18)]]),
    fill: `url(#${id})`,
    line: shade(look.base, -0.35),
  };
}

function chestLogo(look: Look, y: number, width: number): string {
  const ink = inkOn(look.base);
  const word = look.brand.split(/\s+/)[0] ?? look.brand;
  const size = fitText(word, width, 46);
  return `<circle cx="500" cy="${y - size * 1.6}" r="${size * 0.55}" fill="none" stroke="${ink}" stroke-width="5"/>${text(500, y, size, ink, word.toUpperCase(), ' letter-spacing="3"')}`;
}

function ribs(x1: number, x2: number, y1: number, y2: number, colour: string): string {
  const lines: string[] = [];
  for (let x = x1 + 6; x < x2 - 2; x += 10) lines.push(`M${x} ${y1}L${x} ${y2}`);
  return `<path d="${lines.join("")}" stroke="${colour}" stroke-width="2" opacity="0.35"/>`;
}

export const drawTshirt: Draw = (look) => {
  const { defs, fill, line } = fabric(look);
  const front = look.view === "main";
  const body =
    "M405 180 C440 198 560 198 595 180 L700 208 L850 322 L775 422 L697 366 L700 830 C600 846 400 846 300 830 L303 366 L225 422 L150 322 L300 208 Z";
  const neckDip = front ? 232 : 200;
  const inside = `M405 180 C440 198 560 198 595 180 C575 ${neckDip} 425 ${neckDip} 405 180 Z`;
  const collar = `M405 180 C425 ${neckDip} 575 ${neckDip} 595 180`;
  const parts = [
    `<path d="${body}" fill="${fill}" stroke="${line}" stroke-width="3" stroke-linejoin="round"/>`,
    `<path d="${inside}" fill="${shade(look.base, -0.4)}"/>`,
    `<path d="${collar}" fill="none" stroke="${shade(look.base, -0.12)}" stroke-width="22" stroke-linecap="round"/>`,
    `<path d="M300 208 L303 366 M700 208 L697 366" stroke="${line}" stroke-width="2.5" opacity="0.6"/>`,
    stitch("M830 306 L756 404 M170 306 L244 404", shade(look.base, -0.3)),
    stitch("M303 806 C400 820 600 820 697 806", shade(look.base, -0.3)),
    `<path d="M360 470 C380 580 372 700 392 810 M640 470 C620 590 632 700 610 812" fill="none" stroke="${shade(look.base, -0.3)}" stroke-width="14" opacity="0.10" stroke-linecap="round"/>`,
  ];
  if (front) parts.push(chestLogo(look, 430, 240));
  else parts.push(`<rect x="482" y="196" width="36" height="20" rx="3" fill="#f3f1ea"/>`, stitch("M310 270 C420 262 580 262 690 270", shade(look.base, -0.3)));
  return { defs, body: parts.join(""), box: { x: 150, y: 180, w: 700, h: 666 } };
};

export const drawHoodie: Draw = (look) => {
  const { defs, fill, line } = fabric(look);
  const band = shade(look.base, -0.12);
  const front = look.view === "main";
  const body =
    "M370 240 L630 240 L730 275 C790 310 815 440 835 690 L840 770 L760 778 L752 700 C742 580 725 480 702 430 L705 820 C600 832 400 832 295 820 L298 430 C275 480 258 580 248 700 L240 778 L160 770 L165 690 C185 440 210 310 270 275 Z";
  const parts = [
    `<path d="${body}" fill="${fill}" stroke="${line}" stroke-width="3" stroke-linejoin="round"/>`,
    `<path d="M165 700 L248 708 L240 778 L160 770 Z M835 700 L752 708 L760 778 L840 770 Z" fill="${band}" stroke="${line}" stroke-width="2"/>`,
    `<path d="M298 772 L702 772 L705 820 C600 832 400 832 295 820 Z" fill="${band}" stroke="${line}" stroke-width="2"/>`,
    ribs(298, 702, 776, 822, line),
  ];
  if (front) {
    parts.push(
      `<path d="M370 250 C340 170 380 92 500 88 C620 92 660 170 630 250 C600 272 400 272 370 250 Z" fill="${fill}" stroke="${line}" stroke-width="3"/>`,
      `<path d="M415 250 C405 182 440 136 500 132 C560 136 595 182 585 250 C560 276 440 276 415 250 Z" fill="${shade(look.base, -0.5)}"/>`,
      `<path d="M465 262 C462 320 470 370 458 420 M535 262 C538 320 530 370 542 420" fill="none" stroke="${shade(look.base, 0.55)}" stroke-width="8" stroke-linecap="round"/>`,
      `<rect x="451" y="414" width="14" height="30" rx="3" fill="#9aa0a6"/><rect x="535" y="414" width="14" height="30" rx="3" fill="#9aa0a6"/>`,
      `<path d="M370 560 L630 560 L680 722 L320 722 Z" fill="${shade(look.base, -0.05)}" stroke="${line}" stroke-width="2.5"/>`,
      stitch("M376 570 L624 570 L668 712 L332 712 Z", shade(look.base, -0.3)),
      chestLogo(look, 500, 200),
    );
  } else {
    parts.push(
      `<path d="M380 250 C360 180 410 110 500 110 C590 110 640 180 620 250 C600 330 560 362 500 366 C440 362 400 330 380 250 Z" fill="${fill}" stroke="${line}" stroke-width="3"/>`,
      stitch("M500 114 L500 362", shade(look.base, -0.3)),
    );
  }
  return { defs, body: parts.join(""), box: { x: 160, y: 88, w: 680, h: 744 } };
};

function cablePattern(colour: string): string {
  const paths: string[] = [];
  for (const x of [400, 500, 600]) {
    for (let y = 250; y < 760; y += 44) {
      paths.push(`M${x - 20} ${y} C${x - 20} ${y + 22} ${x + 20} ${y + 22} ${x + 20} ${y + 44}`, `M${x + 20} ${y} C${x + 20} ${y + 16} ${x + 6} ${y + 20} ${x + 4} ${y + 22}`);
    }
    paths.push(`M${x - 34} 240 L${x - 34} 770 M${x + 34} 240 L${x + 34} 770`);
  }
  return `<path d="${paths.join("")}" fill="none" stroke="${colour}" stroke-width="6" opacity="0.45" stroke-linecap="round"/>`;
}

export const drawSweater: Draw = (look) => {
  const { defs, fill, line } = fabric(look);
  const band = shade(look.base, -0.1);
  const clip = `${look.id}-knit`;
  const body =
    "M400 200 C440 214 560 214 600 200 L700 225 C770 260 805 420 825 690 L832 770 L752 778 L742 700 C732 580 718 480 700 420 L702 800 C600 812 400 812 298 800 L300 420 C282 480 268 580 258 700 L248 778 L168 770 L175 690 C195 420 230 260 300 225 Z";
  const texture = /cable|fisherman/i.test(look.title)
    ? cablePattern(luminance(look.base) > 0.6 ? shade(look.base, -0.2) : shade(look.base, 0.35))
    : ribs(300, 700, 230, 800, line);
  const neck = look.view === "main" ? 250 : 222;
  const parts = [
    `<clipPath id="${clip}"><path d="${body}"/></clipPath>`,
    `<path d="${body}" fill="${fill}" stroke="${line}" stroke-width="3" stroke-linejoin="round"/>`,
    `<g clip-path="url(#${clip})">${texture}</g>`,
    `<path d="M400 200 C440 214 560 214 600 200 C575 ${neck} 425 ${neck} 400 200 Z" fill="${shade(look.base, -0.4)}"/>`,
    `<path d="M400 200 C425 ${neck} 575 ${neck} 600 200" fill="none" stroke="${band}" stroke-width="26" stroke-linecap="round"/>`,
    `<path d="M175 700 L258 708 L248 778 L168 770 Z M825 700 L742 708 L752 778 L832 770 Z M300 752 L700 752 L702 800 C600 812 400 812 298 800 Z" fill="${band}" stroke="${line}" stroke-width="2"/>`,
    ribs(300, 700, 756, 806, line),
  ];
  if (look.view === "main") parts.push(`<rect x="640" y="722" width="34" height="22" rx="2" fill="${inkOn(look.base)}" opacity="0.8"/>`);
  return { defs, body: parts.join(""), box: { x: 168, y: 200, w: 664, h: 612 } };
};
