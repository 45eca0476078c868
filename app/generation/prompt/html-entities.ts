/**
 * Named character references: the full HTML 4 set (Latin-1, symbols and
 * Greek, special characters) plus the HTML5 names that show up in pasted shop
 * copy. The complete HTML5 table has 2,231 names, mostly mathematical; those do
 * not appear in product descriptions, and an unknown name is left as typed.
 */

const LATIN_1_FROM_160 = [
  "nbsp", "iexcl", "cent", "pound", "curren", "yen", "brvbar", "sect", "uml", "copy", "ordf", "laquo", "not", "shy",
  "reg", "macr", "deg", "plusmn", "sup2", "sup3", "acute", "micro", "para", "middot", "cedil", "sup1", "ordm", "raquo",
  "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc", "Atilde", "Auml", "Aring", "AElig", "Ccedil",
  "Egrave", "Eacute", "Ecirc", "Euml", "Igrave", "Iacute", "Icirc", "Iuml", "ETH", "Ntilde", "Ograve", "Oacute",
  "Ocirc", "Otilde", "Ouml", "times", "Oslash", "Ugrave", "Uacute", "Ucirc", "Uuml", "Yacute", "THORN", "szlig",
  "agrave", "aacute", "acirc", "atilde", "auml", "aring", "aelig", "ccedil", "egrave", "eacute", "ecirc", "euml",
  "igrave", "iacute", "icirc", "iuml", "eth", "ntilde", "ograve", "oacute", "ocirc", "otilde", "ouml", "divide",
  "oslash", "ugrave", "uacute", "ucirc", "uuml", "yacute", "thorn", "yuml",
] as const;

const GREEK_CAPITALS_FROM_913 = [
  "Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta", "Iota", "Kappa", "Lambda", "Mu", "Nu", "Xi",
  "Omicron", "Pi", "Rho",
] as const;

const GREEK_CAPITALS_FROM_931 = ["Sigma", "Tau", "Upsilon", "Phi", "Chi", "Psi", "Omega"] as const;

const GREEK_SMALL_FROM_945 = [
  "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi",
  "omicron", "pi", "rho", "sigmaf", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
] as const;

const OTHER: Record<string, number> = {
  // HTML 4 special characters
  quot: 34, amp: 38, lt: 60, gt: 62, OElig: 338, oelig: 339, Scaron: 352, scaron: 353, Yuml: 376, circ: 710,
  tilde: 732, ensp: 8194, emsp: 8195, thinsp: 8201, zwnj: 8204, zwj: 8205, lrm: 8206, rlm: 8207, ndash: 8211,
  mdash: 8212, lsquo: 8216, rsquo: 8217, sbquo: 8218, ldquo: 8220, rdquo: 8221, bdquo: 8222, dagger: 8224,
  Dagger: 8225, permil: 8240, lsaquo: 8249, rsaquo: 8250, euro: 8364,
  // HTML 4 symbols
  fnof: 402, thetasym: 977, upsih: 978, piv: 982, bull: 8226, hellip: 8230, prime: 8242, Prime: 8243, oline: 8254,
  frasl: 8260, weierp: 8472, image: 8465, real: 8476, trade: 8482, alefsym: 8501, larr: 8592, uarr: 8593,
  rarr: 8594, darr: 8595, harr: 8596, crarr: 8629, lArr: 8656, uArr: 8657, rArr: 8658, dArr: 8659, hArr: 8660,
  forall: 8704, part: 8706, exist: 8707, empty: 8709, nabla: 8711, isin: 8712, notin: 8713, ni: 8715, prod: 8719,
  sum: 8721, minus: 8722, lowast: 8727, radic: 8730, prop: 8733, infin: 8734, ang: 8736, and: 8743, or: 8744,
  cap: 8745, cup: 8746, int: 8747, there4: 8756, sim: 8764, cong: 8773, asymp: 8776, ne: 8800, equiv: 8801,
  le: 8804, ge: 8805, sub: 8834, sup: 8835, nsub: 8836, sube: 8838, supe: 8839, oplus: 8853, otimes: 8855,
  perp: 8869, sdot: 8901, lceil: 8968, rceil: 8969, lfloor: 8970, rfloor: 8971, lang: 10216, rang: 10217,
  loz: 9674, spades: 9824, clubs: 9827, hearts: 9829, diams: 9830,
  // HTML5 names common in pasted copy
  apos: 39, AMP: 38, LT: 60, GT: 62, QUOT: 34, COPY: 169, REG: 174, TRADE: 8482, Tab: 9, NewLine: 10,
  excl: 33, num: 35, dollar: 36, percnt: 37, lpar: 40, rpar: 41, ast: 42, plus: 43, comma: 44, period: 46,
  sol: 47, colon: 58, semi: 59, equals: 61, quest: 63, commat: 64, lsqb: 91, bsol: 92, rsqb: 93, Hat: 94,
  lowbar: 95, grave: 96, lcub: 123, verbar: 124, rcub: 125, half: 189, centerdot: 183, bullet: 8226,
  hyphen: 8208, dash: 8208, horbar: 8213, nldr: 8229, numsp: 8199, puncsp: 8200, hairsp: 8202,
  ZeroWidthSpace: 8203, NoBreak: 8288, NonBreakingSpace: 160, frac13: 8531, frac23: 8532, frac15: 8533,
  frac25: 8534, frac35: 8535, frac45: 8536, frac16: 8537, frac56: 8538, frac18: 8539, frac38: 8540, frac58: 8541,
  frac78: 8542, copysr: 8471, starf: 9733, star: 9734, phone: 9742, female: 9792, male: 9794, check: 10003,
  cross: 10007, sext: 10038, flat: 9837, natural: 9838, sharp: 9839, ohm: 937, angst: 197,
};

function buildTable(): Map<string, string> {
  const table = new Map<string, string>();
  LATIN_1_FROM_160.forEach((name, i) => table.set(name, String.fromCodePoint(160 + i)));
  GREEK_CAPITALS_FROM_913.forEach((name, i) => table.set(name, String.fromCodePoint(913 + i)));
  GREEK_CAPITALS_FROM_931.forEach((name, i) => table.set(name, String.fromCodePoint(931 + i)));
  GREEK_SMALL_FROM_945.forEach((name, i) => table.set(name, String.fromCodePoint(945 + i)));
  for (const [name, code] of Object.entries(OTHER)) table.set(name, String.fromCodePoint(code));
  return table;
}

export const NAMED_ENTITIES: ReadonlyMap<string, string> = buildTable();

/**
 * Names browsers still decode without the trailing semicolon in text
 * ("&copy 2024", "&nbsp"): the Latin-1 set plus the markup characters. Any
 * other name needs its semicolon, as in the HTML standard.
 */
export const LEGACY_ENTITIES: ReadonlySet<string> = new Set<string>([
  ...LATIN_1_FROM_160,
  "amp", "lt", "gt", "quot", "AMP", "LT", "GT", "QUOT", "COPY", "REG",
]);

/** Longest legacy name, bounds the prefix search for "&copy2024"-style input. */
export const LONGEST_LEGACY_NAME = Math.max(...[...LEGACY_ENTITIES].map((n) => n.length));

/**
 * The HTML standard decodes numeric references 0x80-0x9F as Windows-1252,
 * because that is what Word and old CMSs meant: &#150; is an en dash.
 */
export const WINDOWS_1252_C1: ReadonlyMap<number, number> = new Map([
  [0x80, 0x20ac], [0x82, 0x201a], [0x83, 0x0192], [0x84, 0x201e], [0x85, 0x2026], [0x86, 0x2020], [0x87, 0x2021],
  [0x88, 0x02c6], [0x89, 0x2030], [0x8a, 0x0160], [0x8b, 0x2039], [0x8c, 0x0152], [0x8e, 0x017d], [0x91, 0x2018],
  [0x92, 0x2019], [0x93, 0x201c], [0x94, 0x201d], [0x95, 0x2022], [0x96, 0x2013], [0x97, 0x2014], [0x98, 0x02dc],
  [0x99, 0x2122], [0x9a, 0x0161], [0x9b, 0x203a], [0x9c, 0x0153], [0x9e, 0x017e], [0x9f, 0x0178],
]);
