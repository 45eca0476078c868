/**
 * Maps the words merchants use for colours, metals and stones onto the
 * colours the photo renderer paints with.
 */
const COLOURS: Record<string, string> = {
  black: "#232326", white: "#f6f6f4", cream: "#efe6d2", ivory: "#f1ead9", oatmeal: "#d9cbb0", sand: "#d6c09a",
  "heather grey": "#9c9ea3", grey: "#8e9196", charcoal: "#3d4046", graphite: "#4a4d52", navy: "#1f2b4d", midnight: "#1c2340",
  "forest green": "#2f5d3a", olive: "#6b6b3a", sage: "#9db39a", mint: "#9fd8c0", teal: "#1f7a7a", "sky blue": "#7fb3d9",
  cobalt: "#2548a8", lilac: "#b8a5d8", blush: "#e8b4b0", pink: "#e98fb3", coral: "#f07a62", rust: "#b5512c",
  terracotta: "#c46a48", mustard: "#d4a12a", burgundy: "#6e1f2f", red: "#c62b2b", orange: "#e8742a", tan: "#b88a57",
  brown: "#6b4426", cognac: "#9a5a2c", ruby: "#9b1b30", nude: "#c99a86", mauve: "#a06c80", rosewood: "#8e4a52",
  berry: "#7d2350", peach: "#f2a27e", cherry: "#b3142e", petal: "#e7a3b0", vanilla: "#f1e2bd", "sea glass": "#a8d5c6",
  clear: "#dfeaf0", "frost black": "#3a3d42", glass: "#dfeaf0", amber: "#b8731f", fig: "#7a4a63", pumpkin: "#d9782d",
  "sea salt": "#cfe0dc",
};

const METALS: Record<string, readonly string[]> = {
  gold: ["#7a5a12", "#d4a93c", "#fbeaa0", "#c99a2e", "#8a6516"],
  vermeil: ["#7a5a12", "#d4a93c", "#fbeaa0", "#c99a2e", "#8a6516"],
  brass: ["#6e5514", "#c6a04a", "#f0dc95", "#b58d34", "#6e5514"],
  rose: ["#7d4a3c", "#d99a86", "#fbd9cc", "#c8836e", "#7d4a3c"],
  silver: ["#5c6166", "#b9bec4", "#f4f6f8", "#a7adb3", "#5c6166"],
  platinum: ["#60656b", "#c3c8cc", "#fafbfc", "#b0b6bb", "#60656b"],
};

const GEMS: Record<string, string> = {
  diamond: "#eaf4fb", solitaire: "#eaf4fb", tennis: "#eaf4fb", sapphire: "#1d3fa6", emerald: "#0f8a4f",
  ruby: "#b0122e", garnet: "#7b1026", amethyst: "#8a4fc0", aquamarine: "#74c6d8", peridot: "#9cc43a",
  opal: "#dbe9f2", moonstone: "#d6e2ee", pearl: "#f5efe6", topaz: "#e0a233", turquoise: "#3fc1b8",
};

/** Longest name first, so "heather grey" wins over "grey" and "sea glass" over "glass". */
function findByName<T>(table: Record<string, T>, text: string): T | undefined {
  const haystack = ` ${text.toLowerCase().replace(/[^a-z0-9]+/g, " ")} `;
  const names = Object.keys(table).sort((a, b) => b.length - a.length);
  const hit = names.find((name) => haystack.includes(` ${name} `));
  return hit === undefined ? undefined : table[hit];
}

export const colourByName = (text: string) => findByName(COLOURS, text);
export const metalByName = (text: string) => findByName(METALS, text);
export const gemByName = (text: string) => findByName(GEMS, text);

export const FALLBACK_COLOURS = ["#232326", "#2f5d3a", "#1f2b4d", "#b5512c", "#9db39a", "#d6c09a", "#8e4a52"] as const;
export const DEFAULT_METAL = METALS.gold as readonly string[];

function channels(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

function toHex(rgb: [number, number, number]): string {
  return `#${rgb.map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, "0")).join("")}`;
}

/** amount > 0 mixes toward white, < 0 toward black. */
export function shade(hex: string, amount: number): string {
  const target = amount > 0 ? 255 : 0;
  const t = Math.abs(amount);
  const [r, g, b] = channels(hex);
  return toHex([r + (target - r) * t, g + (target - g) * t, b + (target - b) * t]);
}

export function luminance(hex: string): number {
  const [r, g, b] = channels(hex);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

export function colourDistance(a: string, b: string): number {
  const ca = channels(a);
  const cb = channels(b);
  return Math.hypot(ca[0] - cb[0], ca[1] - cb[1], ca[2] - cb[2]);
}

/** Ink that reads on top of the given colour. */
export function inkOn(hex: string): string {
  return luminance(hex) > 0.55 ? shade(hex, -0.7) : shade(hex, 0.85);
}
