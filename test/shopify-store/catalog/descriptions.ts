/**
 * descriptionHtml as merchants really write it: per-category templates filled
 * with per-product facts, plus a few deliberately awkward pastes (Word markup,
 * scripts, RTL text, emoji, a 20 KB spec sheet) for the prompt builder's tests.
 */
import type { Rng } from "./random";
import type { AwkwardDescription, Category, ProductSpec } from "./specs";

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

interface CategoryVoice {
  extras: string[];
  care: string[];
  closers: string[];
  specRows: [string, string][];
}

const VOICES: Record<Category, CategoryVoice> = {
  apparel: {
    extras: [
      "Ethically made in a Fair Wear audited factory in Porto",
      "Model is 6&prime;1&Prime; and wears a size M",
      "Fits true to size &mdash; check the size chart for chest measurements",
      "Packed in a compostable mailer",
    ],
    care: [
      "Machine wash cold, inside out. Tumble dry low or hang to dry.",
      "Wash at 30&nbsp;&deg;C with similar colours. Do not bleach. Cool iron on the reverse.",
      "Cold gentle cycle, lay flat to dry. <em>Never</em> tumble dry.",
    ],
    closers: ["Made to be worn, washed and worn again.", "Designed in-house, made responsibly.", "Free exchanges within 30&nbsp;days."],
    specRows: [["Fit", "Regular"], ["Origin", "Portugal"], ["Certification", "OEKO-TEX&reg; Standard 100"]],
  },
  footwear: {
    extras: [
      "Fits true to size; if you are between sizes, size up",
      "Free size exchanges within 30&nbsp;days",
      "Ships in a recycled shoebox with a dust bag",
      "Removable insole fits most orthotics",
    ],
    care: [
      "Spot clean with a soft brush and mild soap. Air dry away from direct heat.",
      "Remove insoles and air dry. Do not put in the dryer.",
    ],
    closers: ["Built to go the distance.", "Walk it in, wear it out.", "Questions about fit? Our team replies within a day."],
    specRows: [["Width", "Standard (D)"], ["Closure", "Lace-up"], ["Weight", "Approx. 340&nbsp;g per shoe"]],
  },
  jewelry: {
    extras: [
      "Hypoallergenic and nickel-free",
      "Arrives in a recycled gift box with a polishing cloth",
      "Avoid contact with perfume, lotion &amp; chlorine",
      "Lifetime warranty on stones and settings",
    ],
    care: [
      "Store in the pouch provided and polish gently with the cloth.",
      "Remove before swimming, showering or exercising. Clean with warm soapy water and a soft brush.",
    ],
    closers: ["Made to be treasured.", "Gift wrapping is free at checkout.", "Not sure about your size? Order our free ring sizer."],
    specRows: [["Finish", "High polish"], ["Hallmark", "Yes"], ["Origin", "Handmade in Birmingham, UK"]],
  },
  home: {
    extras: [
      "Each piece is handmade, so size and colour vary slightly",
      "Packed plastic-free with recycled paper",
      "Designed to pair with the rest of the collection",
      "Small bubbles, pinholes and glaze drips are part of the handmade process",
    ],
    care: ["Wipe with a soft, damp cloth.", "Keep out of direct sunlight to preserve the colour."],
    closers: ["Bring a little calm home.", "Makes a thoughtful housewarming gift.", "Free shipping on orders over $75."],
    specRows: [["Material", "Stoneware"], ["Finish", "Satin glaze"], ["Made in", "Small batches"]],
  },
  beauty: {
    extras: [
      "Vegan &amp; cruelty-free, Leaping Bunny certified",
      "Dermatologist tested; patch test before first use",
      "Recyclable packaging &mdash; return empties for 10% off",
      "Free from parabens, sulphates &amp; synthetic fragrance",
    ],
    care: ["Store in a cool, dry place away from direct sunlight.", "Close the cap tightly after use."],
    closers: [
      "<em>Ingredients:</em> Aqua (Water), Glycerin, Squalane, Tocopherol, Sodium Hyaluronate, Citric Acid, Phenoxyethanol.",
      "For external use only. Keep out of reach of children.",
      "Best used within 12 months of opening.",
    ],
    specRows: [["Skin type", "All skin types"], ["PAO", "12M"], ["Made in", "France"]],
  },
  electronics: {
    extras: [
      "2-year limited warranty",
      "Bluetooth&reg; 5.3 with multipoint pairing",
      "USB-C charging cable included (no wall adapter)",
      "Free firmware updates via the companion app",
    ],
    care: [
      "Clean with a dry microfibre cloth. Do not use solvents.",
      "Charge fully before first use. Store at 20&ndash;60% charge if unused for months.",
    ],
    closers: ["Free returns within 30 days.", "Compatible with iOS &amp; Android.", "Ships the same business day if ordered before 2&nbsp;pm."],
    specRows: [["Connectivity", "Bluetooth&reg; 5.3"], ["Charging", "USB-C"], ["Warranty", "2 years"]],
  },
};

/** Care and usage that only make sense for one product type. */
const TYPE_CARE: Record<string, string> = {
  Boots: "Condition the leather every few months; stuff with paper to dry if they get wet.",
  Mug: "Hand wash recommended to keep the glaze at its best.",
  Candle: "Trim wick to 5&nbsp;mm before each burn. Never leave a burning candle unattended.",
  Vase: "Wipe with a soft, damp cloth. Not suitable for outdoor use in frost.",
  Lipstick: "<strong>How to use:</strong> apply directly or with a lip brush; reapply as needed.",
  Serum: "<strong>How to use:</strong> apply 2&ndash;3 drops to clean skin morning and night.",
  Moisturizer: "<strong>How to use:</strong> warm a small amount between fingertips and press into skin.",
};

function sample<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const out: T[] = [];
  while (out.length < count && pool.length > 0) {
    out.push(pool.splice(Math.floor(rng.next() * pool.length), 1)[0] as T);
  }
  return out;
}

const list = (items: string[]) => `<ul>\n${items.map((item) => `  <li>${item}</li>`).join("\n")}\n</ul>`;

function regularDescription(spec: ProductSpec, rng: Rng): string {
  const voice = VOICES[spec.category];
  const vendor = escapeHtml(spec.vendor);
  const bullets = [...spec.facts, ...sample(rng, voice.extras, rng.int(1, 2))];
  const care = spec.care ?? TYPE_CARE[spec.productType] ?? rng.pick(voice.care);
  const closer = rng.pick(voice.closers);
  switch (rng.int(0, 3)) {
    case 0:
      return `<p>${spec.pitch}</p>\n${list(bullets)}\n<p><strong>Care:</strong> ${care}</p>`;
    case 1:
      return `<p><strong>${escapeHtml(spec.title)}</strong> &ndash; ${spec.pitch}</p>\n<h3>Features</h3>\n${list(bullets)}\n<p>${care}</p>\n<p><em>${closer}</em></p>`;
    case 2:
      return `<p>${spec.pitch} Designed by ${vendor}.</p>\n<p><strong>Details</strong><br>\n${bullets.join("<br>\n")}</p>\n<p>${care}&nbsp;${closer}</p>`;
    default: {
      const rows = sample(rng, voice.specRows, 2)
        .map(([key, value]) => `<tr><td><strong>${key}</strong></td><td>${value}</td></tr>`)
        .join("");
      return `<p>${spec.pitch}</p>\n${list(bullets)}\n<table><tbody><tr><td><strong>Brand</strong></td><td>${vendor}</td></tr>${rows}</tbody></table>\n<p><em>${closer}</em></p>`;
    }
  }
}

function emoji(spec: ProductSpec): string {
  return [
    `<p>☀️🌊 ${spec.pitch} 🏄‍♀️</p>`,
    list(spec.facts.map((fact, i) => `${["🌴", "🎨", "👕"][i % 3]} ${fact}`)),
    `<p>Runs a little big 👉 size down if you're between sizes!!</p>`,
    `<p>Tag us <strong>@saltwatersupply</strong> 📸 for a chance to be featured 💛✨</p>`,
  ].join("\n");
}

function hebrew(spec: ProductSpec): string {
  return [
    `<div dir="rtl" lang="he">`,
    `<p><strong>הודי אוברסייז רך במיוחד</strong> &ndash; מושלם לימים עצלים בבית ולערבים קרירים.</p>`,
    `<ul>`,
    `<li>כותנה מוברשת, 400&nbsp;גרם למ״ר</li>`,
    `<li>גזרה רחבה &ndash; מומלץ לבחור מידה אחת קטנה יותר</li>`,
    `<li>כביסה במים קרים בלבד, ייבוש על משטח ישר</li>`,
    `</ul>`,
    `<p>משלוח חינם בהזמנה מעל 200&nbsp;₪. החזרות עד 14 יום.</p>`,
    `</div>`,
    `<p>${spec.pitch}</p>`,
  ].join("\n");
}

function arabic(spec: ProductSpec): string {
  return [
    `<div dir="rtl" lang="ar" style="text-align:right">`,
    `<p>اسمك بخط عربي أنيق، مقصوص يدويًا من الفضة الاسترلينية عيار 925 أو مطلي بالذهب عيار 18.</p>`,
    `<ul>`,
    `<li>عرض اللوحة حتى 35&nbsp;مم</li>`,
    `<li>سلسلة بطول 40 أو 45&nbsp;سم</li>`,
    `<li>يُصنع حسب الطلب خلال 5&ndash;7 أيام عمل</li>`,
    `</ul>`,
    `<p><strong>مهم:</strong> يرجى كتابة الاسم بالعربية في خانة الملاحظات عند الطلب.</p>`,
    `</div>`,
    `<p>${spec.pitch} Please write the name (in Arabic or English) in the order notes.</p>`,
  ].join("\n");
}

function unclosedTags(spec: ProductSpec): string {
  return [
    `<p>${spec.pitch}`,
    `<ul>`,
    ...spec.facts.map((fact) => `<li>${fact}`),
    `<li><strong>Ships in 1&ndash;2 business days`,
    `</ul>`,
    `<p><b>Sizing:</b> see our <a href="/pages/ring-size-guide">ring size guide`,
    `<div class="note"><i>Engraving available on request`,
  ].join("\n");
}

function wordPaste(spec: ProductSpec): string {
  const span = (text: string) =>
    `<span style="font-size:11.0pt;font-family:&quot;Calibri&quot;,sans-serif;mso-ascii-theme-font:minor-latin;mso-fareast-font-family:&quot;Times New Roman&quot;;color:#3B3838">${text}<o:p></o:p></span>`;
  const bullet = (text: string, position: "First" | "Middle" | "Last") =>
    `<p class="MsoListParagraphCxSp${position}" style="text-indent:-18.0pt;mso-list:l0 level1 lfo1"><!--[if !supportLists]--><span style="font-family:Symbol;mso-fareast-font-family:Symbol;mso-bidi-font-family:Symbol">·<span style="font:7.0pt &quot;Times New Roman&quot;">&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; </span></span><!--[endif]-->${span(text)}</p>`;
  const facts = spec.facts;
  return [
    `<!--StartFragment-->`,
    `<p class="MsoNormal" style="margin-bottom:0cm;line-height:normal"><b><span style="font-size:14.0pt;font-family:&quot;Georgia&quot;,serif;color:#C0504D">${escapeHtml(spec.title)}</span></b><o:p></o:p></p>`,
    `<p class="MsoNormal" style="margin-bottom:8.0pt;line-height:107%">${span(`${spec.pitch}&nbsp; Perfect for dried flowers or a single fresh stem.`)}</p>`,
    ...facts.map((fact, i) => bullet(fact, i === 0 ? "First" : i === facts.length - 1 ? "Last" : "Middle")),
    `<p class="MsoNormal"><span style="font-size:11.0pt;mso-bidi-font-family:Calibri"><o:p>&nbsp;</o:p></span></p>`,
    `<p class="MsoNormal"><i><span style="font-size:10.0pt;color:#7F7F7F">Please note: colour may vary slightly from the photos due to the firing process.</span></i></p>`,
    `<!--EndFragment-->`,
  ].join("\n");
}

function imgOnError(spec: ProductSpec): string {
  return [
    `<p>${spec.pitch}</p>`,
    `<p><img src="https://badges.reviews-widget.invalid/award-2025.png" onerror="this.onerror=null;this.src='https://pixel.reviews-widget.invalid/p.gif?c='+document.cookie" alt="Best Serum 2025 award" width="120" height="120" style="float:right;margin-left:12px"></p>`,
    list(spec.facts),
    `<p><strong>How to use:</strong> apply 3&ndash;4 drops to clean, dry skin every morning before moisturiser and SPF.</p>`,
  ].join("\n");
}

function scriptTag(spec: ProductSpec): string {
  return [
    `<p>${spec.pitch}</p>`,
    list(spec.facts),
    `<div id="reviews-widget" data-product="boom-go" data-theme="light"></div>`,
    `<script type="text/javascript">`,
    `  (function () { var s = document.createElement('script'); s.async = true;`,
    `    s.src = 'https://cdn.reviews-widget.invalid/loader.js?shop=' + encodeURIComponent(window.Shopify && Shopify.shop);`,
    `    document.head.appendChild(s); })();`,
    `</script>`,
    `<p><em>Colour shown: Teal. Strap included.</em></p>`,
  ].join("\n");
}

function plainText(): string {
  return "Hand-hammered open cuff.\nBrass & copper alloy, adjustable - fits most wrists (6\"-7.5\").\n\nEach one is made by hand so marks & texture vary.\nFree shipping over $50!!";
}

const LONG_TARGET_CHARS = 20_000;

function veryLong(spec: ProductSpec, rng: Rng): string {
  const sections: string[] = [
    `<h2>${escapeHtml(spec.title)}</h2>`,
    `<p>${spec.pitch} Whether you're on a 12-hour flight, a packed commuter train or deep in a focus session, the ${escapeHtml(spec.title)} adapts to the world around you &mdash; automatically.</p>`,
    `<h3>Highlights</h3>`,
    list([
      ...spec.facts,
      "Adaptive transparency mode with voice pass-through",
      "Multipoint: connect a laptop and a phone at the same time",
      "Spatial audio with head tracking",
      "Memory-foam ear cushions wrapped in protein leather",
      "Foldable design with a hard-shell carry case",
    ]),
  ];
  const specRows: [string, string][] = [
    ["Driver", "40&nbsp;mm dynamic, beryllium-coated diaphragm"], ["Frequency response", "4&nbsp;Hz &ndash; 40&nbsp;kHz"],
    ["Impedance", "32&nbsp;&Omega;"], ["Sensitivity", "105&nbsp;dB SPL/mW"], ["Battery", "1,100&nbsp;mAh Li-ion"],
    ["Playback", "Up to 40&nbsp;h (ANC on), 60&nbsp;h (ANC off)"], ["Charging", "USB-C, 10&nbsp;min = 5&nbsp;h playback"],
    ["Bluetooth", "5.3, Class 1, range up to 10&nbsp;m"], ["Codecs", "SBC, AAC, LDAC, aptX&#8482; Adaptive"],
    ["Microphones", "6 (4 for ANC, 2 beam-forming for calls)"], ["Weight", "254&nbsp;g"], ["Operating temperature", "0&ndash;45&nbsp;&deg;C"],
  ];
  sections.push(
    `<h3>Technical specifications</h3>`,
    `<table style="width:100%;border-collapse:collapse"><tbody>${specRows.map(([k, v]) => `<tr><td style="padding:4px;border:1px solid #ddd">${k}</td><td style="padding:4px;border:1px solid #ddd">${v}</td></tr>`).join("")}</tbody></table>`,
  );
  const faqs: [string, string][] = [
    ["Can I use them wired?", "Yes. A 1.2&nbsp;m 3.5&nbsp;mm cable is in the box; ANC still works when the headphones are switched on."],
    ["Do they work with my laptop?", "Any device with Bluetooth&reg; 4.2 or later works. Multipoint requires Bluetooth&reg; 5.0."],
    ["Can I replace the ear cushions?", "Yes, the cushions clip off magnetically. Replacement pairs are sold in our accessories collection."],
    ["Are they sweat resistant?", "They are rated IPX4, which covers light rain and sweat, but they are not designed for swimming."],
    ["How do I reset them?", "Hold the power and ANC buttons together for 10&nbsp;seconds until the LED flashes red and white."],
    ["Is there an app?", "The free Pulse Audio app lets you adjust EQ, ANC levels and touch controls, and installs firmware updates."],
    ["Can I take calls?", "Yes. Two beam-forming microphones and wind-noise reduction keep your voice clear outdoors."],
    ["Do they fold flat?", "They fold flat and inward, and fit into the included 19&nbsp;&times;&nbsp;16&nbsp;cm hard case."],
  ];
  sections.push(`<h3>Frequently asked questions</h3>`, ...faqs.map(([q, a]) => `<p><strong>Q: ${q}</strong><br>A: ${a}</p>`));
  sections.push(`<h3>In the box</h3>`, list(["Headphones", "Hard-shell carry case", "USB-C to USB-C cable (30&nbsp;cm)", "3.5&nbsp;mm audio cable (1.2&nbsp;m)", "Flight adapter", "Quick start guide &amp; warranty card"]));
  sections.push(
    `<h3>Warranty &amp; legal</h3>`,
    `<p style="font-size:11px;color:#666">Pulse Audio warrants this product against defects in materials and workmanship for a period of two (2) years from the date of original retail purchase. This warranty does not cover damage caused by accident, misuse, unauthorised modification, liquid ingress beyond the rated protection, normal wear of cushions and headband padding, or batteries that have reached the end of their natural service life. To make a claim, contact support with your order number and a description of the fault. Your statutory rights as a consumer are not affected. Bluetooth&reg; word mark and logos are registered trademarks owned by Bluetooth SIG, Inc. aptX&#8482; is a trademark of Qualcomm Technologies International, Ltd. All other trademarks are the property of their respective owners.</p>`,
  );
  const changes = [
    "Improved ANC performance in windy conditions", "Reduced latency in game mode to 80&nbsp;ms", "Fixed an issue where multipoint reconnect could fail after sleep",
    "Added a 5-band custom EQ", "Improved call quality on Android devices", "Battery indicator now reports in 5% steps", "Auto-pause when the headphones are removed is now optional",
    "Voice prompts available in French, German, Spanish, Japanese and Portuguese", "Improved stability of LDAC at 990&nbsp;kbps", "Fixed a rare click when switching ANC modes",
  ];
  sections.push(`<h3>Firmware release notes</h3>`);
  let major = 1;
  let minor = 0;
  let html = sections.join("\n");
  // Release notes grow until the page reaches the ~20 KB that real spec-sheet pastes weigh.
  while (html.length < LONG_TARGET_CHARS) {
    minor += rng.int(1, 3);
    if (minor > 9) {
      major += 1;
      minor = 0;
    }
    const notes = sample(rng, changes, rng.int(2, 4));
    html += `\n<p><strong>Version ${major}.${minor}.${rng.int(0, 20)}</strong> (${2025 + Math.floor(major / 3)}-${String(rng.int(1, 12)).padStart(2, "0")})</p>\n${list(notes)}`;
  }
  return html;
}

export function describeProduct(spec: ProductSpec, rng: Rng): string {
  const awkward: AwkwardDescription | undefined = spec.awkward;
  switch (awkward) {
    case undefined:
      return regularDescription(spec, rng);
    case "emoji":
      return emoji(spec);
    case "hebrew":
      return hebrew(spec);
    case "arabic":
      return arabic(spec);
    case "unclosed-tags":
      return unclosedTags(spec);
    case "word-paste":
      return wordPaste(spec);
    case "img-onerror":
      return imgOnError(spec);
    case "script-tag":
      return scriptTag(spec);
    case "very-long":
      return veryLong(spec, rng);
    case "empty":
      return "";
    case "plain-text":
      return plainText();
  }
}
