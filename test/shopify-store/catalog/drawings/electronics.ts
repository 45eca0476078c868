/** Over-ear headphones, phone case (back of the phone) and speakers. */
import { inkOn, luminance, shade } from "../palette";
import { type Draw, type Look, fitText, linear, sideView, text } from "./svg";

function shell(look: Look, colour = look.base): { defs: string; fill: string } {
  const id = `${look.id}-shell`;
  return {
    defs: linear(id, [[0, shade(colour, 0.2)], [0.5, colour], [1, shade(colour, -0.3)]], 0, 0, 1, 1),
    fill: `url(#${id})`,
  };
}

export const drawHeadphones: Draw = (look) => {
  const { defs, fill } = shell(look);
  const line = shade(look.base, -0.45);
  const cushion = luminance(look.base) > 0.6 ? shade(look.base, -0.25) : "#1f1f22";
  const parts = [
    `<path d="M292 560 C272 170 728 170 708 560" fill="none" stroke="${line}" stroke-width="50" stroke-linecap="round"/>`,
    `<path d="M292 560 C272 170 728 170 708 560" fill="none" stroke="${fill}" stroke-width="44" stroke-linecap="round"/>`,
    `<path d="M330 420 C330 250 670 250 670 420" fill="none" stroke="${cushion}" stroke-width="22" stroke-linecap="round"/>`,
    `<path d="M292 560 C272 170 728 170 708 560" fill="none" stroke="#fff" stroke-width="8" opacity="0.3" stroke-linecap="round" stroke-dasharray="220 2000" stroke-dashoffset="-160" transform="translate(0 -10)"/>`,
    `<rect x="278" y="470" width="30" height="120" rx="8" fill="#b9bec4" stroke="#7a7f85" stroke-width="2"/>`,
    `<rect x="692" y="470" width="30" height="120" rx="8" fill="#b9bec4" stroke="#7a7f85" stroke-width="2"/>`,
  ];
  for (const [cx, inward] of [[290, 1], [710, -1]] as const) {
    parts.push(
      `<ellipse cx="${cx + inward * 58}" cy="662" rx="44" ry="112" fill="${cushion}"/>`,
      `<ellipse cx="${cx}" cy="660" rx="82" ry="122" fill="${fill}" stroke="${line}" stroke-width="3"/>`,
      `<ellipse cx="${cx}" cy="660" rx="56" ry="90" fill="none" stroke="${shade(look.base, 0.18)}" stroke-width="4" opacity="0.6"/>`,
      `<ellipse cx="${cx - 26}" cy="610" rx="14" ry="34" fill="#fff" opacity="0.25"/>`,
    );
  }
  if (look.view === "main") {
    parts.push(text(710, 668, fitText(look.brand, 150, 24), inkOn(look.base), look.brand.toUpperCase(), ' transform="rotate(-90 710 668)" letter-spacing="2"'));
  }
  return sideView(look, { defs, body: parts.join(""), box: { x: 208, y: 230, w: 584, h: 552 } });
};

export const drawPhoneCase: Draw = (look) => {
  const clear = /clear/i.test(look.title) && luminance(look.base) > 0.7;
  const caseColour = clear ? "#4d5866" : look.base;
  const { defs, fill } = shell(look, caseColour);
  const line = shade(caseColour, -0.45);
  const rugged = /rugged/i.test(look.title);
  const leather = /leather/i.test(look.title);
  const parts = [
    `<rect x="334" y="180" width="332" height="644" rx="56" fill="${clear ? "#e7eef2" : line}"/>`,
    `<rect x="342" y="188" width="316" height="628" rx="50" fill="${fill}"/>`,
  ];
  if (clear) parts.push(`<rect x="342" y="188" width="316" height="628" rx="50" fill="#fff" opacity="0.18"/><path d="M380 240 L620 760" stroke="#fff" stroke-width="30" opacity="0.12"/>`);
  if (rugged) {
    parts.push(
      `<path d="M334 290 L334 236 C334 206 354 186 384 180 L434 180 M666 290 L666 236 C666 206 646 186 616 180 L566 180 M334 714 L334 770 C334 800 354 820 384 824 L434 824 M666 714 L666 770 C666 800 646 820 616 824 L566 824" fill="none" stroke="${shade(caseColour, -0.35)}" stroke-width="22" stroke-linecap="round"/>`,
      `<path d="${Array.from({ length: 14 }, (_, i) => `M346 ${330 + i * 26} L356 ${330 + i * 26} M644 ${330 + i * 26} L654 ${330 + i * 26}`).join("")}" stroke="${shade(caseColour, -0.4)}" stroke-width="6"/>`,
    );
  }
  if (leather) parts.push(`<rect x="356" y="202" width="288" height="600" rx="40" fill="none" stroke="${shade(caseColour, 0.35)}" stroke-width="3" stroke-dasharray="10 7"/>`);
  if (/magnetic/i.test(look.title)) parts.push(`<circle cx="500" cy="520" r="92" fill="none" stroke="#c9ced3" stroke-width="9" opacity="0.9"/>`);
  parts.push(
    `<rect x="364" y="210" width="150" height="150" rx="34" fill="${shade(caseColour, -0.3)}" stroke="${shade(caseColour, -0.5)}" stroke-width="3"/>`,
    ...[[404, 250], [474, 285], [404, 320]].map(([x, y]) => `<circle cx="${x}" cy="${y}" r="27" fill="#2b2e33" stroke="#8f969d" stroke-width="4"/><circle cx="${x}" cy="${y}" r="13" fill="#0c1622"/><circle cx="${(x ?? 0) - 5}" cy="${(y ?? 0) - 5}" r="4" fill="#9cc0e6"/>`),
    `<circle cx="478" cy="228" r="9" fill="#f3eccf"/>`,
    `<rect x="326" y="330" width="10" height="70" rx="4" fill="${line}"/><rect x="664" y="300" width="10" height="110" rx="4" fill="${line}"/>`,
  );
  if (look.view === "main") parts.push(text(500, 740, fitText(look.brand, 200, 26), inkOn(caseColour), look.brand, ' opacity="0.8"'));
  return sideView(look, { defs, body: parts.join(""), box: { x: 326, y: 180, w: 348, h: 644 } });
};

function grille(look: Look, x: number, y: number, w: number, h: number, rx: number): string {
  const id = `${look.id}-mesh`;
  const mesh = shade(look.base, -0.3);
  return [
    `<pattern id="${id}" width="16" height="16" patternUnits="userSpaceOnUse"><rect width="16" height="16" fill="${shade(look.base, -0.1)}"/><circle cx="8" cy="8" r="4" fill="${mesh}"/></pattern>`,
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${rx}" fill="url(#${id})"/>`,
  ].join("");
}

export const drawSpeaker: Draw = (look) => {
  const { defs, fill } = shell(look);
  const line = shade(look.base, -0.45);
  const smart = /smart/i.test(look.title);
  const cube = /cube/i.test(look.title);
  const parts: string[] = [];
  let box;
  if (smart) {
    parts.push(
      `<path d="M320 360 C320 330 680 330 680 360 L690 740 C690 780 310 780 310 740 Z" fill="${fill}" stroke="${line}" stroke-width="3"/>`,
      grille(look, 322, 380, 356, 360, 30),
      `<ellipse cx="500" cy="358" rx="180" ry="34" fill="${shade(look.base, -0.2)}" stroke="${line}" stroke-width="3"/>`,
      `<ellipse cx="500" cy="358" rx="70" ry="13" fill="none" stroke="#7fd0ff" stroke-width="6"/>`,
    );
    box = { x: 310, y: 324, w: 380, h: 446 };
  } else if (cube) {
    parts.push(`<rect x="330" y="400" width="340" height="340" rx="46" fill="${fill}" stroke="${line}" stroke-width="3"/>`, grille(look, 360, 430, 280, 280, 30));
    box = { x: 330, y: 400, w: 340, h: 340 };
  } else {
    parts.push(
      `<path d="M640 330 C700 330 700 420 640 420" fill="none" stroke="${shade(look.base, -0.35)}" stroke-width="18"/>`,
      `<rect x="380" y="262" width="240" height="520" rx="70" fill="${fill}" stroke="${line}" stroke-width="3"/>`,
      grille(look, 394, 330, 212, 380, 40),
      `<rect x="392" y="270" width="216" height="56" rx="28" fill="${shade(look.base, -0.25)}"/>`,
      `<circle cx="450" cy="298" r="11" fill="${inkOn(look.base)}" opacity="0.7"/><circle cx="500" cy="298" r="11" fill="${inkOn(look.base)}" opacity="0.7"/><circle cx="550" cy="298" r="11" fill="${inkOn(look.base)}" opacity="0.7"/>`,
      `<rect x="392" y="716" width="216" height="58" rx="28" fill="${shade(look.base, -0.25)}"/>`,
      `<path d="M410 350 L410 690" stroke="#fff" stroke-width="10" opacity="0.2" stroke-linecap="round"/>`,
    );
    box = { x: 380, y: 262, w: 312, h: 520 };
  }
  if (look.view === "main") {
    const y = smart ? 570 : cube ? 580 : 530;
    parts.push(`<rect x="${500 - 86}" y="${y - 30}" width="172" height="44" rx="8" fill="${shade(look.base, -0.1)}"/>`, text(500, y, fitText(look.brand, 150, 24), inkOn(look.base), look.brand.toUpperCase(), ' letter-spacing="2"'));
  }
  return sideView(look, { defs, body: parts.join(""), box });
};
