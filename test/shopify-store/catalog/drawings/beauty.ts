/** Lipstick with its cap, dropper bottle and cream jar. */
import { inkOn, shade } from "../palette";
import { type Draw, type Look, fitText, linear, metalGradient, sideView, text } from "./svg";

function cylinder(id: string, colour: string): string {
  return linear(id, [[0, shade(colour, -0.25)], [0.3, shade(colour, 0.2)], [0.45, shade(colour, 0.3)], [0.8, colour], [1, shade(colour, -0.3)]]);
}

/** Luxury brands get gold cases, the rest glossy black. */
function caseColours(look: Look): readonly string[] {
  return /maison|velour/i.test(look.brand) ? ["#7a5a12", "#d4a93c", "#fbeaa0", "#c99a2e", "#8a6516"] : ["#111", "#3a3a3e", "#6a6a70", "#2a2a2e", "#0e0e10"];
}

export const drawLipstick: Draw = (look) => {
  const caseId = `${look.id}-case`;
  const bulletId = `${look.id}-bullet`;
  const sleeveId = `${look.id}-sleeve`;
  const defs = [
    metalGradient(caseId, caseColours(look), "horizontal"),
    cylinder(bulletId, look.base),
    metalGradient(sleeveId, ["#7a5a12", "#d4a93c", "#fbeaa0", "#c99a2e", "#8a6516"], "horizontal"),
  ].join("");
  const parts = [
    `<rect x="412" y="520" width="136" height="262" rx="10" fill="url(#${caseId})"/>`,
    `<rect x="412" y="520" width="136" height="18" fill="#000" opacity="0.2"/>`,
    `<rect x="426" y="440" width="108" height="84" rx="4" fill="url(#${sleeveId})"/>`,
    `<path d="M438 444 L438 330 C438 316 450 304 466 296 L522 270 L522 444 Z" fill="url(#${bulletId})" stroke="${shade(look.base, -0.4)}" stroke-width="2"/>`,
    `<path d="M452 430 L452 336 C452 326 460 318 470 312" fill="none" stroke="#fff" stroke-width="8" opacity="0.4" stroke-linecap="round"/>`,
    `<rect x="584" y="550" width="128" height="232" rx="10" fill="url(#${caseId})"/>`,
    `<rect x="584" y="566" width="128" height="8" fill="#fff" opacity="0.15"/>`,
  ];
  if (look.view === "main") {
    parts.push(text(648, 680, fitText(look.brand, 190, 24), inkOn(caseColours(look)[2] ?? "#888"), look.brand.toUpperCase(), ' transform="rotate(-90 648 680)" letter-spacing="2"'));
  }
  return sideView(look, { defs, body: parts.join(""), box: { x: 412, y: 268, w: 300, h: 514 } });
};

function label(look: Look, x: number, y: number, w: number, h: number): string {
  const lines = Array.from({ length: 3 }, (_, i) => `<rect x="${x + w * 0.2}" y="${y + h * 0.62 + i * 14}" width="${w * (0.6 - i * 0.12)}" height="5" fill="#9a9288"/>`);
  return [
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="4" fill="#faf7f1"/>`,
    text(x + w / 2, y + h * 0.32, fitText(look.brand, w * 0.85, 26), "#2f2a25", look.brand.toUpperCase(), ' letter-spacing="1"'),
    text(x + w / 2, y + h * 0.5, fitText(look.title, w * 0.95, 15), "#6f665a", look.title, ' font-weight="normal"'),
    ...lines,
  ].join("");
}

export const drawSerum: Draw = (look) => {
  const glassColour = look.rng.pick(["#a0561c", "#dfe6ea", "#2f4f8f", "#c9b7a3"]);
  const glassId = `${look.id}-glass`;
  const collarId = `${look.id}-collar`;
  const defs = [cylinder(glassId, glassColour), metalGradient(collarId, caseColours(look), "horizontal")].join("");
  const bottle = "M462 400 L538 400 L538 420 C600 430 610 460 610 500 L610 770 C610 786 598 796 582 796 L418 796 C402 796 390 786 390 770 L390 500 C390 460 400 430 462 420 Z";
  const parts = [
    `<path d="${bottle}" fill="url(#${glassId})" fill-opacity="0.92" stroke="${shade(glassColour, -0.4)}" stroke-width="3"/>`,
    `<path d="M396 560 L604 560 L604 770 C604 782 596 790 582 790 L418 790 C404 790 396 782 396 770 Z" fill="${shade(glassColour, -0.25)}" opacity="0.5"/>`,
    `<path d="M492 400 L492 720 C492 736 508 736 508 720 L508 400" fill="#ffffff" fill-opacity="0.25" stroke="#fff" stroke-opacity="0.4" stroke-width="2"/>`,
    `<rect x="444" y="322" width="112" height="86" rx="8" fill="url(#${collarId})"/>`,
    `<path d="M466 326 L466 250 C466 200 534 200 534 250 L534 326 Z" fill="#1d1d20"/>`,
    `<path d="M478 318 L478 252 C478 232 488 222 496 218" fill="none" stroke="#fff" stroke-width="5" opacity="0.25"/>`,
    `<path d="M408 470 L408 770" stroke="#fff" stroke-width="12" opacity="0.35" stroke-linecap="round"/>`,
  ];
  if (look.view === "main") parts.push(label(look, 418, 580, 164, 150));
  return sideView(look, { defs, body: parts.join(""), box: { x: 390, y: 212, w: 220, h: 584 } });
};

export const drawBeautyJar: Draw = (look) => {
  const jarColour = look.rng.pick(["#f3efe8", "#2e3440", "#dfe6ea", look.base]);
  const jarId = `${look.id}-jar`;
  const lidId = `${look.id}-lid`;
  const lidColour = /butter/i.test(look.title) ? "#b9bec4" : look.base;
  const defs = [cylinder(jarId, jarColour), cylinder(lidId, lidColour)].join("");
  const parts = [
    `<path d="M330 560 L330 740 C330 770 350 784 380 784 L620 784 C650 784 670 770 670 740 L670 560 Z" fill="url(#${jarId})" stroke="${shade(jarColour, -0.3)}" stroke-width="3"/>`,
    `<rect x="316" y="468" width="368" height="100" rx="14" fill="url(#${lidId})" stroke="${shade(lidColour, -0.35)}" stroke-width="3"/>`,
    `<path d="${Array.from({ length: 22 }, (_, i) => `M${332 + i * 16} 478 L${332 + i * 16} 558`).join("")}" stroke="${shade(lidColour, -0.25)}" stroke-width="3" opacity="0.5"/>`,
    `<ellipse cx="500" cy="470" rx="182" ry="22" fill="${shade(lidColour, 0.2)}" stroke="${shade(lidColour, -0.3)}" stroke-width="2"/>`,
    `<path d="M352 590 L352 750" stroke="#fff" stroke-width="12" opacity="0.35" stroke-linecap="round"/>`,
  ];
  if (look.view === "main") {
    const ink = inkOn(jarColour);
    parts.push(
      text(500, 660, fitText(look.brand, 300, 34), ink, look.brand.toUpperCase(), ' letter-spacing="3"'),
      text(500, 704, fitText(look.title, 300, 20), ink, look.title, ' font-weight="normal" opacity="0.8"'),
    );
  }
  return { defs, body: parts.join(""), box: { x: 316, y: 448, w: 368, h: 336 } };
};
