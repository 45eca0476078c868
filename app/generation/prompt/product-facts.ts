/**
 * Heuristic product facts for prompts: what the product is made of, its
 * colour, size, finish, what it is for and its stand-out features. Built from
 * keyword vocabularies and measurement patterns; it does not need to be
 * complete, only right about what it reports, because the reference photo
 * carries the rest.
 */

export interface ProductOption {
  name: string;
  values: string[];
}

export interface ProductFacts {
  productType: string | null;
  materials: string[];
  colours: string[];
  sizes: string[];
  dimensions: string[];
  uses: string[];
  finishes: string[];
  features: string[];
}

export interface FactSources {
  productType: string;
  tags: string[];
  options: ProductOption[];
}

const LIMITS = { materials: 4, colours: 4, sizes: 8, dimensions: 3, uses: 4, finishes: 3, features: 6 } as const;
const MAX_FACT_CHARS = 100;
/** Facts come from the opening of a description; a 1 MB description is not read to the end. */
const MAX_TEXT_SCANNED = 20_000;

type Vocabulary = readonly (readonly [canonical: string, ...aliases: string[]])[];

const MATERIALS: Vocabulary = [
  ["organic cotton"], ["recycled cotton"], ["cotton"], ["linen", "flax"], ["merino wool", "merino"], ["wool"],
  ["cashmere"], ["alpaca"], ["mohair"], ["silk"], ["vegan leather", "faux leather", "pu leather"],
  ["full-grain leather", "full grain leather"], ["leather"], ["suede"], ["denim"], ["recycled polyester"],
  ["polyester"], ["nylon"], ["elastane", "spandex", "lycra"], ["viscose", "rayon"], ["modal"], ["lyocell", "tencel"],
  ["bamboo"], ["hemp"], ["canvas"], ["velvet"], ["corduroy"], ["fleece"], ["jersey"], ["tweed"], ["chiffon"],
  ["satin"], ["ceramic"], ["porcelain"], ["stoneware"], ["earthenware"], ["terracotta"], ["borosilicate glass"],
  ["recycled glass"], ["glass"], ["crystal"], ["stainless steel"], ["carbon steel"], ["cast iron"], ["steel"],
  ["iron"], ["aluminium", "aluminum"], ["brass"], ["copper"], ["bronze"], ["titanium"], ["pewter"],
  ["sterling silver", "925 silver"], ["14k gold", "14 karat gold", "14ct gold"], ["18k gold", "18 karat gold", "18ct gold"],
  ["9k gold", "9ct gold"], ["solid gold"], ["gold vermeil", "vermeil"], ["gold-plated", "gold plated"],
  ["silver-plated", "silver plated"], ["rose gold"], ["platinum"], ["pearl", "pearls"], ["diamond", "diamonds"],
  ["oak"], ["walnut"], ["teak"], ["acacia"], ["beech"], ["ash wood"], ["maple"], ["pine"], ["mango wood"],
  ["cherry wood"], ["reclaimed wood"], ["wood", "wooden"], ["marble"], ["granite"], ["slate"], ["travertine"],
  ["concrete"], ["cork"], ["rattan"], ["wicker"], ["jute"], ["seagrass"], ["rubber"], ["silicone"],
  ["recycled plastic"], ["plastic"], ["acrylic"], ["resin"], ["soy wax"], ["beeswax"], ["coconut wax"],
  ["paper"], ["cardboard"], ["shea butter"],
];

const COLOURS: Vocabulary = [
  ["off-white", "off white"], ["white"], ["ivory"], ["cream"], ["ecru"], ["beige"], ["sand"], ["oatmeal"],
  ["taupe"], ["camel"], ["tan"], ["brown"], ["chocolate"], ["cognac"], ["black"], ["charcoal"],
  ["grey", "gray"], ["silver"], ["gold"], ["navy", "navy blue"], ["sky blue"], ["cobalt"], ["teal"],
  ["turquoise"], ["blue"], ["sage", "sage green"], ["olive"], ["forest green"], ["mint"], ["emerald"],
  ["green"], ["yellow"], ["mustard"], ["orange"], ["terracotta red"], ["coral"], ["peach"], ["red"], ["burgundy"],
  ["maroon"], ["pink"], ["blush"], ["dusty rose"], ["fuchsia"], ["magenta"], ["lilac"],
  ["lavender"], ["purple"], ["plum"], ["multicolour", "multicolor", "multi-colour", "multi-color"],
];

const FINISHES: Vocabulary = [
  ["matte", "matt"], ["high-gloss", "high gloss"], ["glossy", "gloss"], ["satin finish"], ["brushed"],
  ["polished"], ["hammered"], ["lacquered"], ["oiled"], ["waxed"], ["distressed"], ["antiqued", "antique finish"],
  ["enamelled", "enameled", "enamel"], ["powder-coated", "powder coated"], ["anodised", "anodized"],
  ["textured"], ["frosted"], ["unglazed"], ["glazed"], ["reactive glaze"], ["sandblasted"], ["varnished"],
  ["stonewashed", "stone-washed"], ["garment-dyed", "garment dyed"], ["hand-painted", "hand painted"],
];

const USES: Vocabulary = [
  ["everyday", "daily wear", "every day"], ["office"], ["travel", "travelling", "traveling"], ["commute", "commuting"],
  ["hiking"], ["camping"], ["running"], ["yoga"], ["gym", "workout", "training"], ["cycling"],
  ["swimming", "swimwear"], ["beach"], ["wedding", "bridal"], ["party"], ["evening", "date night"],
  ["formal"], ["casual"], ["holiday", "christmas", "festive"], ["gift", "gifting"], ["kitchen"], ["dining"],
  ["bathroom"], ["bedroom"], ["living room"], ["outdoor", "outdoors"], ["garden", "patio"], ["picnic"],
  ["coffee", "espresso", "latte"], ["tea"], ["cooking"], ["baking"], ["kids", "children"], ["baby"],
  ["pets", "dog", "cat"],
];

const FEATURE_KEYWORDS: Vocabulary = [
  ["waterproof"], ["water-resistant", "water resistant"], ["dishwasher safe", "dishwasher-safe"],
  ["microwave safe", "microwave-safe"], ["oven safe", "oven-safe"], ["machine washable", "machine wash"],
  ["bpa-free", "bpa free"], ["hypoallergenic"], ["nickel-free", "nickel free"], ["lead-free", "lead free"],
  ["organic"], ["recycled"], ["vegan"], ["handmade", "hand-made", "handcrafted", "hand-crafted", "hand-thrown"],
  ["adjustable"], ["reversible"], ["rechargeable"], ["wireless"], ["foldable", "collapsible"], ["stackable"],
  ["insulated", "double-walled", "double walled"], ["breathable"], ["stretch", "stretchy"],
  ["moisture-wicking", "moisture wicking"], ["uv protection", "upf 50+", "upf 50"], ["non-slip", "anti-slip"],
  ["fair trade", "fairtrade"], ["biodegradable"], ["compostable"], ["cruelty-free", "cruelty free"],
];

interface CompiledVocabulary {
  pattern: RegExp;
  canonical: Map<string, string>;
}

function compile(vocabulary: Vocabulary): CompiledVocabulary {
  const canonical = new Map<string, string>();
  for (const [name, ...aliases] of vocabulary) {
    for (const term of [name, ...aliases]) canonical.set(term.toLowerCase(), name);
  }
  // Longest first, so "stainless steel" wins over "steel" at the same position.
  const terms = [...canonical.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return {
    pattern: new RegExp(`(?<![\\p{L}\\p{N}])(?:${terms.join("|")})(?![\\p{L}\\p{N}])`, "giu"),
    canonical,
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const VOCABULARIES = {
  materials: compile(MATERIALS),
  colours: compile(COLOURS),
  finishes: compile(FINISHES),
  uses: compile(USES),
  features: compile(FEATURE_KEYWORDS),
};

interface Match {
  term: string;
  start: number;
  end: number;
}

function findTerms(text: string, vocabulary: CompiledVocabulary): Match[] {
  const matches: Match[] = [];
  for (const m of text.matchAll(vocabulary.pattern)) {
    const start = m.index ?? 0;
    if (isNegated(text, start)) continue;
    const term = vocabulary.canonical.get(m[0].toLowerCase());
    if (term) matches.push({ term, start, end: start + m[0].length });
  }
  return matches;
}

/** "not dishwasher safe", "no leather": a negated mention is not a fact. */
function isNegated(text: string, start: number): boolean {
  return /(?:^|[^\p{L}])(?:not|no|non|without)[\s-]+$/iu.test(text.slice(Math.max(0, start - 10), start));
}

const NUMBER = String.raw`\d+(?:[.,]\d+)?`;
const LENGTH_UNIT = String.raw`(?:mm|cm|m|in|inch|inches|ft|"|”|′′)`;
const DIMENSIONS_PATTERNS = [
  // 40 x 60 cm, 10 × 12 × 4 in
  new RegExp(String.raw`${NUMBER}\s*${LENGTH_UNIT}?\s*[x×]\s*${NUMBER}\s*${LENGTH_UNIT}?(?:\s*[x×]\s*${NUMBER})?\s*${LENGTH_UNIT}`, "gi"),
  // 25 cm tall, 8 in wide
  new RegExp(String.raw`${NUMBER}\s*${LENGTH_UNIT}\s+(?:tall|high|wide|long|deep|in diameter|diameter)`, "gi"),
  // 350 ml, 1.5 l, 12 fl oz
  new RegExp(String.raw`(?<![\p{L}\p{N}])${NUMBER}\s*(?:ml|cl|l|litres?|liters?|fl\.?\s?oz)(?![\p{L}\p{N}])`, "giu"),
];
const DIMENSIONS_LINE = /^(?:-\s*)?(?:dimensions?|measurements?)\s*[:|]\s*(.+)$/gim;
const SIZES_LINE = /^(?:-\s*)?(?:sizes?|sizing|available sizes)\s*[:|]\s*(.+)$/gim;

function labelledValues(text: string, line: RegExp): string[] {
  return [...text.matchAll(line)].map((m) => m[1] ?? "");
}

function extractDimensions(text: string): string[] {
  const found: { value: string; at: number }[] = [];
  for (const m of text.matchAll(DIMENSIONS_LINE)) found.push({ value: m[1] ?? "", at: m.index ?? 0 });
  for (const pattern of DIMENSIONS_PATTERNS) {
    for (const m of text.matchAll(pattern)) found.push({ value: m[0], at: m.index ?? 0 });
  }
  found.sort((a, b) => a.at - b.at);
  const values = found.map((f) => clean(f.value));
  // "9 cm tall" found inside "Dimensions: 9 cm tall, 8.5 cm diameter" is the same fact.
  return values.filter((v, i) => !values.some((other, j) => j !== i && other.length > v.length && other.includes(v)));
}

/** Bullet lines from descriptionToText are the merchant's own feature list. */
function bulletLines(text: string): string[] {
  const lines: string[] = [];
  for (const m of text.matchAll(/^- (.+)$/gm)) lines.push(m[1] ?? "");
  return lines;
}

const OPTION_KINDS: { kind: "colours" | "sizes" | "materials" | "finishes"; name: RegExp }[] = [
  { kind: "colours", name: /^(?:colou?rs?|colou?rway|shade|tone)$/i },
  { kind: "sizes", name: /^(?:sizes?|dimensions?|length|ring size|shoe size)$/i },
  { kind: "materials", name: /^(?:materials?|fabric|metal|wood|stone|gemstone)$/i },
  { kind: "finishes", name: /^finish(?:es)?$/i },
];

export function extractProductFacts(text: string, product: FactSources): ProductFacts {
  const scanned = text.slice(0, MAX_TEXT_SCANNED);
  // Tags like "material:linen" or "colour_sage" read as words.
  const tagText = product.tags.map((t) => t.replace(/[_:/]+/g, " ")).join(" . ");
  const productType = clean(product.productType);

  const facts: ProductFacts = {
    productType: productType || null,
    materials: [],
    colours: [],
    sizes: [],
    dimensions: [],
    uses: [],
    finishes: [],
    features: [],
  };

  for (const option of product.options) {
    const kind = OPTION_KINDS.find((k) => k.name.test(option.name.trim()))?.kind;
    if (kind) facts[kind].push(...option.values);
  }

  for (const source of [scanned, `${productType} . ${tagText}`]) {
    const materials = findTerms(source, VOCABULARIES.materials);
    facts.materials.push(...materials.map((m) => m.term));
    // "sterling silver" is a material; the "silver" inside it is not also a colour.
    const colours = findTerms(source, VOCABULARIES.colours).filter(
      (c) => !materials.some((m) => c.start >= m.start && c.end <= m.end),
    );
    facts.colours.push(...colours.map((c) => c.term));
    facts.finishes.push(...findTerms(source, VOCABULARIES.finishes).map((m) => m.term));
    facts.uses.push(...findTerms(source, VOCABULARIES.uses).map((m) => m.term));
  }

  facts.sizes.push(...labelledValues(scanned, SIZES_LINE));
  facts.dimensions.push(...extractDimensions(scanned));
  facts.features.push(...bulletLines(scanned));
  for (const keyword of findTerms(`${scanned} . ${tagText}`, VOCABULARIES.features)) {
    const lower = keyword.term.toLowerCase();
    if (!facts.features.some((f) => f.toLowerCase().includes(lower))) facts.features.push(keyword.term);
  }

  for (const key of Object.keys(LIMITS) as (keyof typeof LIMITS)[]) {
    facts[key] = uniqueBounded(facts[key], LIMITS[key]);
  }
  return facts;
}

function clean(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

function uniqueBounded(values: string[], max: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of values) {
    const value = clean(raw).slice(0, MAX_FACT_CHARS);
    const key = value.toLowerCase();
    if (!value || seen.has(key)) continue;
    seen.add(key);
    out.push(value);
    if (out.length === max) break;
  }
  return out;
}
