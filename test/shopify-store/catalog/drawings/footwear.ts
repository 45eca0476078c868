/** Side profiles (toe to the right): sneaker, boot and slip-on. The back view shows the other shoe, mirrored. */
import { inkOn, luminance, shade } from "../palette";
import { type Draw, type Look, linear, sideView, stitch, text } from "./svg";

function leather(look: Look): { defs: string; fill: string; line: string } {
  const id = `${look.id}-upper`;
  return {
    defs: linear(id, [[0, shade(look.base, 0.12)], [0.55, look.base], [1, shade(look.base, -0.22)]], 0, 0, 0, 1),
    fill: `url(#${id})`,
    line: shade(look.base, -0.4),
  };
}

/** Midsole contrasts with the upper, as on real shoes. */
function soleColours(look: Look): { mid: string; out: string } {
  return luminance(look.base) > 0.7 ? { mid: "#fbfbf9", out: "#c9c3b8" } : { mid: "#f2efe8", out: "#2c2c2e" };
}

/** Laces cross the eyestay at right angles, with an eyelet at each end of every cross. */
function laces(from: [number, number], to: [number, number], count: number, colour: string, eyelet: string, reach = 26): string {
  const dx = to[0] - from[0];
  const dy = to[1] - from[1];
  const length = Math.hypot(dx, dy);
  const px = (-dy / length) * reach;
  const py = (dx / length) * reach;
  const bars: string[] = [];
  const eyelets: string[] = [];
  for (let i = 0; i < count; i++) {
    const t = i / (count - 1);
    const x = from[0] + dx * t;
    const y = from[1] + dy * t;
    const next = Math.min(1, (i + 0.5) / (count - 1));
    const nx = from[0] + dx * next;
    const ny = from[1] + dy * next;
    bars.push(`M${(x - px).toFixed(1)} ${(y - py).toFixed(1)} L${(nx + px).toFixed(1)} ${(ny + py).toFixed(1)}`);
    eyelets.push(`<circle cx="${(x - px).toFixed(1)}" cy="${(y - py).toFixed(1)}" r="6" fill="${eyelet}"/>`, `<circle cx="${(x + px).toFixed(1)}" cy="${(y + py).toFixed(1)}" r="6" fill="${eyelet}"/>`);
  }
  const bow = `<path d="M${from[0]} ${from[1]} c-40 -30 -70 -10 -50 10 c15 12 40 0 50 -10 c10 -40 50 -45 45 -18 c-5 20 -30 22 -45 18" fill="none" stroke="${colour}" stroke-width="8" stroke-linecap="round"/>`;
  return `${eyelets.join("")}<path d="${bars.join("")}" stroke="${colour}" stroke-width="10" stroke-linecap="round"/>${bow}`;
}

export const drawSneaker: Draw = (look) => {
  const { defs, fill, line } = leather(look);
  const { mid, out } = soleColours(look);
  const accent = inkOn(look.base);
  const knit = /knit/i.test(look.title);
  const upper =
    "M160 590 C150 520 160 450 200 410 C230 385 265 380 292 396 C322 430 382 440 422 420 L468 362 C490 350 520 352 532 366 L562 410 C640 470 760 500 822 530 C862 550 866 580 856 596 Z";
  const parts = [
    `<path d="${upper}" fill="${fill}" stroke="${line}" stroke-width="3" stroke-linejoin="round"/>`,
    knit
      ? `<path d="${Array.from({ length: 14 }, (_, i) => `M170 ${420 + i * 13} L850 ${420 + i * 13}`).join("")}" stroke="${shade(look.base, 0.25)}" stroke-width="3" opacity="0.35" clip-path="url(#${look.id}-upper-clip)"/>`
      : "",
    `<clipPath id="${look.id}-upper-clip"><path d="${upper}"/></clipPath>`,
    `<path d="M165 560 C200 540 240 470 232 410 C250 400 270 398 290 402 C300 470 260 560 230 590 Z" fill="${shade(look.base, -0.15)}" opacity="0.9"/>`,
    `<path d="M300 560 C420 520 520 566 720 478" fill="none" stroke="${accent}" stroke-width="22" stroke-linecap="round" opacity="0.9"/>`,
    stitch("M700 505 C770 520 830 545 846 586", shade(look.base, -0.35)),
    stitch("M178 575 C212 545 250 480 244 416", shade(look.base, -0.35)),
    laces([470, 392], [650, 490], 6, luminance(look.base) > 0.7 ? "#d8d4cc" : "#f7f5f0", line),
    `<path d="M145 580 C400 590 700 596 855 592 C872 606 868 632 858 640 L150 652 C138 636 138 600 145 580 Z" fill="${mid}" stroke="#b9b4aa" stroke-width="2"/>`,
    `<path d="M150 620 C400 622 700 618 862 616" fill="none" stroke="#b9b4aa" stroke-width="3" opacity="0.7"/>`,
    `<path d="M150 650 C150 676 170 684 220 684 L800 672 C840 670 862 658 858 638 Z" fill="${out}"/>`,
    `<path d="${Array.from({ length: 16 }, (_, i) => `M${210 + i * 38} ${682 - i * 0.7} l0 -10`).join("")}" stroke="${shade(out, 0.25)}" stroke-width="6"/>`,
    look.view === "main" ? text(360, 638, 22, "#8a857c", look.brand.toUpperCase(), ' letter-spacing="2"') : "",
  ];
  return sideView(look, { defs, body: parts.join(""), box: { x: 120, y: 350, w: 750, h: 336 } });
};

export const drawSlipOn: Draw = (look) => {
  const { defs, fill, line } = leather(look);
  const { mid, out } = soleColours(look);
  const jute = /espadrille/i.test(look.title);
  const upper =
    "M160 592 C150 532 165 482 210 462 C240 452 270 455 292 470 C382 482 482 472 542 456 C642 480 772 512 832 537 C866 557 866 587 856 597 Z";
  const soleFill = jute ? "#cfae7b" : mid;
  const juteLines = jute
    ? `<path d="${Array.from({ length: 30 }, (_, i) => `M${160 + i * 23} 598 L${180 + i * 23} 648`).join("")}" stroke="#a98551" stroke-width="4"/>`
    : "";
  const parts = [
    `<path d="${upper}" fill="${fill}" stroke="${line}" stroke-width="3" stroke-linejoin="round"/>`,
    `<path d="M300 473 C380 484 480 476 540 460" fill="none" stroke="${shade(look.base, -0.3)}" stroke-width="12" stroke-linecap="round"/>`,
    `<path d="M505 470 L560 462 L540 540 Z" fill="${shade(look.base, -0.45)}"/>`,
    `<path d="M515 472 L538 530 M530 468 L546 520 M545 465 L552 505" stroke="${shade(look.base, -0.2)}" stroke-width="3"/>`,
    stitch("M690 498 C770 520 830 548 846 588", shade(look.base, -0.35)),
    stitch("M180 580 C190 530 215 490 260 474", shade(look.base, -0.35)),
    `<path d="M145 590 L855 597 C870 612 866 642 858 648 L150 648 C140 632 140 602 145 590 Z" fill="${soleFill}" stroke="#b9b4aa" stroke-width="2"/>`,
    juteLines,
    `<path d="M150 646 C150 680 180 690 220 690 L800 690 C845 690 866 668 858 646 Z" fill="${out}"/>`,
  ];
  return sideView(look, { defs, body: parts.join(""), box: { x: 140, y: 452, w: 730, h: 238 } });
};

export const drawBoot: Draw = (look) => {
  const { defs, fill, line } = leather(look);
  const chelsea = /chelsea/i.test(look.title);
  const shearling = /shearling/i.test(look.title);
  const upper =
    "M170 642 C160 560 175 450 195 330 L205 222 L432 216 L442 330 C452 410 482 450 562 480 C682 510 802 540 847 580 C872 600 870 630 860 642 Z";
  const parts = [
    `<path d="${upper}" fill="${fill}" stroke="${line}" stroke-width="3" stroke-linejoin="round"/>`,
    `<path d="M440 380 C400 470 300 520 180 560" fill="none" stroke="${shade(look.base, -0.3)}" stroke-width="3"/>`,
    stitch("M446 392 C406 480 306 532 184 574", shade(look.base, 0.3)),
    stitch("M730 522 C708 565 712 612 728 640", shade(look.base, 0.3)),
    `<path d="M195 330 L205 222 L432 216 L436 262 C360 270 280 270 200 276 Z" fill="${shade(look.base, -0.12)}"/>`,
  ];
  if (chelsea) {
    parts.push(
      `<path d="M300 224 L392 220 L350 410 Z" fill="${shade(look.base, -0.55)}"/>`,
      `<path d="M318 230 L348 380 M340 228 L350 360 M362 226 L354 350 M382 224 L358 360" stroke="${shade(look.base, -0.3)}" stroke-width="3"/>`,
      `<path d="M200 226 L192 168 L238 168 L236 224" fill="none" stroke="${shade(look.base, -0.5)}" stroke-width="10"/>`,
    );
  } else {
    parts.push(
      `<path d="M432 216 L470 200 L482 300 L444 320 Z" fill="${shade(look.base, -0.08)}" stroke="${line}" stroke-width="2"/>`,
      laces([440, 250], [500, 440], 6, "#e9dcc0", "#b5a27a", 22),
      `<path d="M200 226 L196 176 L240 176 L238 224" fill="none" stroke="${shade(look.base, -0.45)}" stroke-width="9"/>`,
    );
  }
  if (shearling) {
    const tufts = Array.from({ length: 12 }, (_, i) => `<circle cx="${205 + i * 20}" cy="${218 + (i % 2) * 6}" r="17" fill="#f1e6d0"/>`);
    parts.push(tufts.join(""));
  }
  parts.push(
    `<path d="M155 640 L862 640 L862 658 L155 658 Z" fill="${shade(look.base, -0.45)}"/>`,
    stitch("M162 649 L856 649", "#e8dcc0", 3),
    `<path d="M158 656 L860 656 C880 670 880 716 855 730 L560 730 C520 712 450 706 406 712 L400 730 L172 730 C160 730 156 720 156 706 Z" fill="#2a2a2b"/>`,
    `<path d="${Array.from({ length: 12 }, (_, i) => `M${600 + i * 22} 718 l12 0 l0 12 l-12 0 Z`).join("")}${Array.from({ length: 9 }, (_, i) => `M${186 + i * 24} 718 l12 0 l0 12 l-12 0 Z`).join("")}" fill="#444446"/>`,
  );
  if (look.view === "main") parts.push(text(300, 610, 22, inkOn(look.base), look.brand.toUpperCase(), ' letter-spacing="2" opacity="0.7"'));
  return sideView(look, { defs, body: parts.join(""), box: { x: 150, y: 160, w: 730, h: 570 } });
};
