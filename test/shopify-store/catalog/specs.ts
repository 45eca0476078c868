/**
 * Hand-written product facts. Descriptions, variants, SKUs, dates and photos
 * are derived from these in build.ts so the table stays readable.
 */
export type Category = "apparel" | "footwear" | "jewelry" | "home" | "beauty" | "electronics";

/** Descriptions that reproduce what merchants really paste, to exercise the prompt builder. */
export type AwkwardDescription =
  | "emoji"
  | "hebrew"
  | "arabic"
  | "unclosed-tags"
  | "word-paste"
  | "img-onerror"
  | "script-tag"
  | "very-long"
  | "empty"
  | "plain-text";

/** none: new product without images yet; two: main + back; portrait: 1200×1500; large: 2048×2048. */
export type PhotoLayout = "square" | "two" | "portrait" | "large" | "none";

export interface ProductSpec {
  title: string;
  category: Category;
  productType: string;
  vendor: string;
  tags: string[];
  price: number;
  options: { name: string; values: string[] }[];
  /** Extra dollars for a variant carrying this option value. */
  surcharges?: Record<string, number>;
  pitch: string;
  /** Product-specific feature bullets, already HTML. */
  facts: string[];
  /** Replaces the category's generic care line where it would contradict the facts. */
  care?: string;
  status?: "DRAFT" | "ARCHIVED";
  photos?: PhotoLayout;
  /** Some merchants never fill in alt text. */
  emptyAlt?: boolean;
  awkward?: AwkwardDescription;
}

const TEE_SIZES = { name: "Size", values: ["S", "M", "L", "XL"] };
const SHOE_SIZES = { name: "Size", values: ["7", "8", "9", "10", "11"] };
const RING_SIZES = { name: "Size", values: ["5", "6", "7", "8"] };
const PHONES = { name: "Model", values: ["iPhone 16", "iPhone 16 Pro", "Pixel 9"] };

const colour = (...values: string[]) => ({ name: "Colour", values });
const color = (...values: string[]) => ({ name: "Color", values });

export const PRODUCT_SPECS: ProductSpec[] = [
  // ── apparel ──────────────────────────────────────────────────────────────
  {
    title: "Everyday Organic Crew Tee", category: "apparel", productType: "T-Shirt", vendor: "Northbound Apparel",
    tags: ["organic", "bestseller", "basics"], price: 29, options: [TEE_SIZES, colour("White", "Black", "Heather Grey")],
    surcharges: { XL: 2 }, photos: "two",
    pitch: "The tee you reach for first: soft, breathable and cut to sit just right at the hip.",
    facts: ["100% GOTS-certified organic cotton, 180&nbsp;gsm", "Ribbed crew neck that keeps its shape", "Pre-shrunk, so the size you buy is the size you keep"],
  },
  {
    title: "Sunset Surf Graphic Tee", category: "apparel", productType: "T-Shirt", vendor: "Saltwater Supply",
    tags: ["summer", "new", "graphic"], price: 32, options: [TEE_SIZES, colour("Sand", "Sky Blue")], awkward: "emoji",
    pitch: "Screen-printed by hand in our beach-side studio with water-based inks.",
    facts: ["Garment-dyed cotton jersey, 160&nbsp;gsm", "Water-based print that softens with every wash", "Relaxed fit with dropped shoulders"],
  },
  {
    title: "Heavyweight Boxy Tee", category: "apparel", productType: "T-Shirt", vendor: "Loom Theory",
    tags: ["basics", "heavyweight"], price: 38, options: [TEE_SIZES, colour("Black", "Cream", "Olive")], photos: "portrait",
    pitch: "A structured, boxy silhouette in a dense jersey that drapes like a jacket.",
    facts: ["Combed cotton, 260&nbsp;gsm", "Cropped body, wide 2.5&nbsp;cm collar rib", "Twin-needle stitching at hem and cuffs"],
  },
  {
    title: "Linen-Blend Pocket Tee", category: "apparel", productType: "T-Shirt", vendor: "Maple & Moss",
    tags: ["summer", "linen"], price: 34, options: [TEE_SIZES, colour("Sage", "Rust")],
    pitch: "Linen keeps you cool; cotton keeps it soft. Finished with a patch pocket.",
    facts: ["55% linen / 45% cotton", "Chest patch pocket", "Naturally slubbed texture &mdash; no two are identical"],
  },
  {
    title: "Kids' Dino Tee", category: "apparel", productType: "T-Shirt", vendor: "Northbound Apparel",
    tags: ["kids", "organic"], price: 19, options: [{ name: "Size", values: ["2T", "3T", "4T", "5"] }, colour("Mustard", "Teal")],
    pitch: "Roar-some and playground-proof, with a print that survives a hundred washes.",
    facts: ["Organic cotton, 150&nbsp;gsm", "Tagless neck label for sensitive skin", "Shoulder snaps on sizes 2T&ndash;3T"],
  },
  {
    title: "Trailhead Fleece Hoodie", category: "apparel", productType: "Hoodie", vendor: "Northbound Apparel",
    tags: ["outdoor", "bestseller", "autumn"], price: 74, options: [TEE_SIZES, colour("Forest Green", "Charcoal")], photos: "two",
    pitch: "Brushed-back fleece for cold mornings at the trailhead and lazy Sundays after.",
    facts: ["Recycled polyester / organic cotton fleece, 340&nbsp;gsm", "Double-layer hood with flat drawcords", "Kangaroo pocket with hidden phone sleeve"],
  },
  {
    title: "Harbour Zip Hoodie", category: "apparel", productType: "Hoodie", vendor: "Saltwater Supply",
    tags: ["layering"], price: 79, options: [TEE_SIZES, colour("Navy", "Heather Grey")],
    pitch: "A full-zip layer that packs down small and looks sharp over a tee.",
    facts: ["Cotton loopback terry, 320&nbsp;gsm", "YKK&reg; metal zip", "Ribbed cuffs and hem with 5% elastane"],
  },
  {
    title: "Cloud Loop Hoodie", category: "apparel", productType: "Hoodie", vendor: "Loom Theory",
    tags: ["new", "lounge"], price: 68, options: [TEE_SIZES, colour("Lilac", "Cream", "Black")], awkward: "hebrew",
    pitch: "Oversized, cloud-soft and made for doing absolutely nothing.",
    facts: ["Brushed cotton fleece, 400&nbsp;gsm", "Oversized fit &mdash; size down for a classic look", "Dropped shoulders"],
  },
  {
    title: "Varsity Arch Hoodie", category: "apparel", productType: "Hoodie", vendor: "Maple & Moss",
    tags: ["college"], price: 72, options: [TEE_SIZES, colour("Burgundy", "Navy")], status: "ARCHIVED",
    pitch: "Our campus classic with a cracked-print arch logo across the chest.",
    facts: ["80% cotton / 20% polyester, 330&nbsp;gsm", "Puff-print arch graphic", "Side-seam pockets"],
  },
  {
    title: "Merino Rib Crew Sweater", category: "apparel", productType: "Sweater", vendor: "Maple & Moss",
    tags: ["merino", "winter"], price: 120, options: [TEE_SIZES, colour("Oatmeal", "Navy")], photos: "portrait",
    pitch: "Extra-fine merino in a close rib that's warm without the bulk.",
    facts: ["100% extra-fine merino wool, 17.5&nbsp;micron", "Fully fashioned shoulders", "Naturally odour-resistant"],
    care: "Hand wash cold or use the wool cycle. Dry flat, away from direct heat.",
  },
  {
    title: "Fisherman Cable Knit Sweater", category: "apparel", productType: "Sweater", vendor: "Loom Theory",
    tags: ["winter", "heritage"], price: 135, options: [TEE_SIZES, colour("Ivory", "Forest Green")],
    pitch: "Knitted on vintage machines in the traditional Aran cable pattern.",
    facts: ["Undyed lambswool, 7-gauge knit", "Honeycomb and cable panels", "Weighs about 750&nbsp;g in size M"],
    care: "Hand wash in lukewarm water with wool detergent, reshape and dry flat.",
  },
  {
    title: "Boxy Cropped Sweater", category: "apparel", productType: "Sweater", vendor: "Saltwater Supply",
    tags: ["new", "spring"], price: 88, options: [TEE_SIZES, colour("Coral", "Sky Blue")], status: "DRAFT", photos: "none",
    pitch: "A cropped cotton knit for spring evenings on the pier.",
    facts: ["Organic cotton, 12-gauge knit", "Cropped length, hits at the natural waist", "Wide ribbed hem"],
  },
  // ── footwear ─────────────────────────────────────────────────────────────
  {
    title: "Aero Knit Runner", category: "footwear", productType: "Sneakers", vendor: "Stride Lab",
    tags: ["running", "bestseller"], price: 120, options: [SHOE_SIZES, colour("Black", "White")], photos: "two",
    pitch: "A featherweight knit runner with a responsive foam midsole for daily miles.",
    facts: ["Engineered knit upper, 240&nbsp;g per shoe (US 9)", "8&nbsp;mm heel-to-toe drop", "Recycled rubber outsole"],
  },
  {
    title: "Court Classic Low", category: "footwear", productType: "Sneakers", vendor: "Kinetic Kicks",
    tags: ["classic", "leather"], price: 95, options: [SHOE_SIZES, colour("White", "Navy")],
    pitch: "The clean leather court shoe, refined with a cushioned collar.",
    facts: ["Full-grain leather upper", "Stitched cupsole", "Removable OrthoLite&#8482; insole"],
  },
  {
    title: "Trail Grip Sneaker", category: "footwear", productType: "Sneakers", vendor: "Pebble & Path",
    tags: ["outdoor", "trail"], price: 135, options: [SHOE_SIZES, colour("Olive", "Charcoal")],
    pitch: "Aggressive 4&nbsp;mm lugs and a rock plate for technical trails.",
    facts: ["Ripstop mesh upper with TPU overlays", "4&nbsp;mm multi-directional lugs", "Gusseted tongue keeps grit out"],
  },
  {
    title: "Retro Volt Trainer", category: "footwear", productType: "Sneakers", vendor: "Kinetic Kicks",
    tags: ["new", "retro"], price: 110, options: [SHOE_SIZES, colour("Red", "Cobalt")], photos: "portrait",
    pitch: "An 80s track silhouette brought back with modern foam.",
    facts: ["Suede and nylon upper", "EVA wedge midsole", "Herringbone outsole"],
  },
  {
    title: "Kids' Light-Up Sneaker", category: "footwear", productType: "Sneakers", vendor: "Stride Lab",
    tags: ["kids"], price: 48, options: [{ name: "Size", values: ["11C", "12C", "13C", "1Y", "2Y"] }, colour("Pink", "Sky Blue")],
    pitch: "Every step flashes &mdash; and the battery lasts the whole school year.",
    facts: ["LED outsole, about 80&nbsp;hours of flashing", "Hook-and-loop strap plus elastic laces", "Machine washable (remove insole)"],
  },
  {
    title: "Heritage Lace-Up Boot", category: "footwear", productType: "Boots", vendor: "Ferro Boot Co.",
    tags: ["leather", "bestseller", "heritage"], price: 240, options: [SHOE_SIZES, colour("Cognac", "Black")], photos: "two",
    pitch: "Goodyear-welted and built to be resoled for decades.",
    facts: ["Oil-tanned full-grain leather, 2.2&nbsp;mm", "Goodyear welt, 360&deg; stitched", "Vibram&reg; lug sole"],
  },
  {
    title: "Summit Hiker Boot", category: "footwear", productType: "Boots", vendor: "Pebble & Path",
    tags: ["outdoor", "waterproof"], price: 185, options: [SHOE_SIZES, colour("Brown", "Charcoal")],
    pitch: "Waterproof, broken-in out of the box and happiest above the tree line.",
    facts: ["Waterproof breathable membrane", "Speed-lace hooks", "Shock-absorbing 6&nbsp;mm EVA footbed"],
  },
  {
    title: "City Chelsea Boot", category: "footwear", productType: "Boots", vendor: "Ferro Boot Co.",
    tags: ["leather", "autumn"], price: 210, options: [SHOE_SIZES, colour("Black", "Tan")],
    pitch: "A sleek pull-on Chelsea with elastic gussets and a stacked heel.",
    facts: ["Calf leather upper, leather lining", "Elastic side gussets and heel pull tab", "3&nbsp;cm stacked leather heel"],
  },
  {
    title: "Shearling Winter Boot", category: "footwear", productType: "Boots", vendor: "Pebble & Path",
    tags: ["winter"], price: 165, options: [SHOE_SIZES, colour("Sand", "Brown")], status: "ARCHIVED",
    pitch: "Genuine shearling lining that keeps toes toasty down to &minus;20&nbsp;&deg;C.",
    facts: ["Suede upper with water-repellent finish", "Genuine shearling lining", "Grippy winter rubber compound"],
  },
  {
    title: "Canvas Slip-On", category: "footwear", productType: "Slip-Ons", vendor: "Kinetic Kicks",
    tags: ["summer", "canvas"], price: 55, options: [SHOE_SIZES, colour("Navy", "Cream", "Black")],
    pitch: "Slip on, head out. A summer staple with a vulcanised sole.",
    facts: ["12&nbsp;oz cotton canvas upper", "Elastic side gores", "Vulcanised waffle sole"],
  },
  {
    title: "Woven Espadrille Slip-On", category: "footwear", productType: "Slip-Ons", vendor: "Pebble & Path",
    tags: ["summer", "handmade"], price: 65, options: [SHOE_SIZES, colour("Sand", "Terracotta")],
    pitch: "Hand-stitched jute soles made by a family workshop in La Rioja.",
    facts: ["Natural jute sole with rubber tread", "Cotton canvas upper", "Hand-stitched &mdash; slight variations are normal"],
  },
  {
    title: "Recovery Knit Slip-On", category: "footwear", productType: "Slip-Ons", vendor: "Stride Lab",
    tags: ["new", "recovery"], price: 70, options: [SHOE_SIZES, colour("Charcoal", "Mint")], status: "DRAFT", photos: "none",
    pitch: "Post-run recovery with a plush, rocker-shaped foam base.",
    facts: ["Stretch-knit upper", "Rocker-profile foam sole", "Antimicrobial footbed"],
  },
  // ── jewelry ──────────────────────────────────────────────────────────────
  {
    title: "Solitaire Promise Ring", category: "jewelry", productType: "Ring", vendor: "Aurelia Fine Jewelry",
    tags: ["bestseller", "gift", "diamond"], price: 89, options: [{ name: "Metal", values: ["Sterling Silver", "14k Gold", "Rose Gold"] }, RING_SIZES],
    surcharges: { "14k Gold": 120, "Rose Gold": 110 }, photos: "two",
    pitch: "A single brilliant-cut stone on a slim, comfort-fit band.",
    facts: ["925 sterling silver or solid 14k gold", "0.25&nbsp;ct lab-grown diamond, VS clarity", "Band width 1.8&nbsp;mm"],
  },
  {
    title: "Sapphire Halo Ring", category: "jewelry", productType: "Ring", vendor: "Aurelia Fine Jewelry",
    tags: ["sapphire", "engagement"], price: 640, options: [{ name: "Metal", values: ["14k Gold", "Platinum"] }, { name: "Size", values: ["5", "6", "7"] }],
    surcharges: { Platinum: 280 },
    pitch: "A deep-blue oval sapphire framed by a halo of pav&eacute; diamonds.",
    facts: ["1.1&nbsp;ct natural sapphire", "18 pav&eacute;-set diamonds, 0.2&nbsp;ct total", "Certificate of authenticity included"],
  },
  {
    title: "Stackable Twist Ring", category: "jewelry", productType: "Ring", vendor: "Lune Atelier",
    tags: ["stacking", "minimal"], price: 39, options: [{ name: "Metal", values: ["Sterling Silver", "Gold Vermeil"] }, RING_SIZES],
    pitch: "A twisted wire band designed to stack in threes.",
    facts: ["925 sterling silver, or 18k gold vermeil (2.5&nbsp;&micro;m)", "1.5&nbsp;mm twisted band", "Nickel-free"],
  },
  {
    title: "Emerald Cut Signet Ring", category: "jewelry", productType: "Ring", vendor: "Kestrel & Co.",
    tags: ["signet", "vintage"], price: 120, options: [{ name: "Metal", values: ["Gold Vermeil", "Sterling Silver"] }, RING_SIZES],
    awkward: "unclosed-tags",
    pitch: "An emerald-cut green stone set into a chunky signet face.",
    facts: ["Lab-created emerald, 8&nbsp;&times;&nbsp;6&nbsp;mm", "Solid 925 silver base", "Face 12&nbsp;mm wide"],
  },
  {
    title: "Custom Arabic Name Necklace", category: "jewelry", productType: "Necklace", vendor: "Opaline",
    tags: ["personalised", "gift"], price: 58, options: [{ name: "Metal", values: ["Gold", "Silver"] }, { name: "Length", values: ["16 in", "18 in"] }],
    awkward: "arabic",
    pitch: "Your name in flowing Arabic calligraphy, cut by hand.",
    facts: ["18k gold plated or 925 sterling silver", "Nameplate up to 35&nbsp;mm wide", "Made to order in 5&ndash;7 business days"],
  },
  {
    title: "Pearl Drop Pendant Necklace", category: "jewelry", productType: "Necklace", vendor: "Lune Atelier",
    tags: ["pearl", "bridal"], price: 75, options: [{ name: "Metal", values: ["Gold Vermeil", "Sterling Silver"] }],
    pitch: "A single freshwater pearl that catches the light at the collarbone.",
    facts: ["8&ndash;9&nbsp;mm freshwater pearl", "Adjustable 16&ndash;18&Prime; cable chain", "Lobster clasp"],
  },
  {
    title: "Birthstone Charm Necklace", category: "jewelry", productType: "Necklace", vendor: "Opaline",
    tags: ["gift", "birthstone"], price: 49,
    options: [{ name: "Birthstone", values: ["Garnet", "Amethyst", "Aquamarine", "Diamond", "Emerald", "Pearl", "Ruby", "Peridot", "Sapphire", "Opal", "Topaz", "Turquoise"] }],
    pitch: "One tiny stone for the month that matters most.",
    facts: ["Gold vermeil bezel charm", "3&nbsp;mm genuine or lab-created stone", "Chain 45&nbsp;cm with 5&nbsp;cm extender"],
  },
  {
    title: "Hoop Drop Earrings", category: "jewelry", productType: "Earrings", vendor: "Kestrel & Co.",
    tags: ["everyday"], price: 68, options: [{ name: "Metal", values: ["14k Gold", "Sterling Silver"] }], surcharges: { "14k Gold": 60 },
    pitch: "Classic huggie hoops with a detachable teardrop charm.",
    facts: ["Hoop diameter 12&nbsp;mm", "Detachable charm, 9&nbsp;mm", "Hinged click closure"],
  },
  {
    title: "Opal Huggie Earrings", category: "jewelry", productType: "Earrings", vendor: "Opaline",
    tags: ["opal", "new"], price: 45, options: [],
    pitch: "Lab-grown opals with real fire, set in tiny huggie hoops.",
    facts: ["Lab-grown opal, 4&nbsp;mm", "Gold vermeil over 925 silver", "Sold as a pair"],
  },
  {
    title: "Tennis Bracelet", category: "jewelry", productType: "Bracelet", vendor: "Aurelia Fine Jewelry",
    tags: ["diamond", "luxury"], price: 1250, options: [{ name: "Metal", values: ["Sterling Silver", "14k Gold"] }], surcharges: { "14k Gold": 900 },
    pitch: "A continuous line of lab-grown diamonds with a hidden box clasp.",
    facts: ["2.0&nbsp;ct total lab-grown diamonds", "Four-prong settings", "Length 17.5&nbsp;cm (7&Prime;)"],
  },
  {
    title: "Hammered Cuff Bracelet", category: "jewelry", productType: "Bracelet", vendor: "Lune Atelier",
    tags: ["handmade"], price: 54, options: [], status: "ARCHIVED", awkward: "plain-text",
    pitch: "Hand-hammered open cuff.",
    facts: ["Brass", "Adjustable"],
  },
  {
    title: "Moonstone Stud Earrings", category: "jewelry", productType: "Earrings", vendor: "Lune Atelier",
    tags: ["moonstone", "new"], price: 42, options: [{ name: "Metal", values: ["Sterling Silver", "Gold Vermeil"] }], status: "DRAFT", photos: "none",
    pitch: "Rainbow moonstone cabochons in a simple bezel.",
    facts: ["6&nbsp;mm rainbow moonstone", "925 sterling silver posts", "Butterfly backs"],
  },
  // ── home ─────────────────────────────────────────────────────────────────
  {
    title: "Speckled Stoneware Mug", category: "home", productType: "Mug", vendor: "Clayborne Studio",
    tags: ["handmade", "bestseller", "kitchen"], price: 28, options: [colour("Oatmeal", "Sage", "Midnight")], photos: "two",
    pitch: "Wheel-thrown in our studio and glazed in small batches.",
    facts: ["Holds 12&nbsp;oz (350&nbsp;ml)", "Speckled stoneware, fired to 1240&nbsp;&deg;C", "Dishwasher and microwave safe"],
  },
  {
    title: "Campfire Enamel Mug", category: "home", productType: "Mug", vendor: "Hearth & Hollow",
    tags: ["outdoor", "camping"], price: 18, options: [colour("Cream", "Forest Green", "Cobalt")], emptyAlt: true,
    pitch: "Tough enamel-on-steel for coffee by the fire.",
    facts: ["Holds 10&nbsp;oz", "Enamel on steel, rolled stainless rim", "Not for microwave use"],
  },
  {
    title: "Blush Latte Mug", category: "home", productType: "Mug", vendor: "Ostra Home",
    tags: ["kitchen", "gift"], price: 24, options: [],
    pitch: "A wide, low mug sized for a proper flat white.",
    facts: ["Holds 8&nbsp;oz", "Porcelain with satin glaze", "Dishwasher safe"],
  },
  {
    title: "Double-Walled Glass Mug", category: "home", productType: "Mug", vendor: "Ostra Home",
    tags: ["kitchen", "glass"], price: 22, options: [{ name: "Size", values: ["8 oz", "12 oz"] }], surcharges: { "12 oz": 4 },
    pitch: "Borosilicate glass that keeps tea hot and hands cool.",
    facts: ["Double-walled borosilicate glass", "Holds 8&nbsp;oz or 12&nbsp;oz", "Hand wash recommended"],
  },
  {
    title: "Terracotta Bud Vase", category: "home", productType: "Vase", vendor: "Clayborne Studio",
    tags: ["handmade", "decor"], price: 36, options: [], awkward: "word-paste",
    pitch: "An unglazed terracotta bud vase for a single stem.",
    facts: ["Height 15&nbsp;cm", "Glazed inside, watertight", "Made in Portugal"],
  },
  {
    title: "Ribbed Ceramic Vase", category: "home", productType: "Vase", vendor: "Ostra Home",
    tags: ["decor", "new"], price: 48, options: [{ name: "Size", values: ["Small", "Large"] }, colour("White", "Sand")],
    surcharges: { Large: 20 }, photos: "portrait",
    pitch: "Fine vertical ribs give this vase a soft, sculptural shadow.",
    facts: ["Small 20&nbsp;cm / Large 30&nbsp;cm tall", "Matte glazed ceramic", "Wipe clean with a damp cloth"],
  },
  {
    title: "Sea Glass Bottle Vase", category: "home", productType: "Vase", vendor: "Hearth & Hollow",
    tags: ["recycled", "decor"], price: 42, options: [],
    pitch: "Mouth-blown from recycled glass in a soft sea-glass tint.",
    facts: ["100% recycled glass", "Height 24&nbsp;cm, opening 3&nbsp;cm", "Small bubbles are part of its charm"],
  },
  {
    title: "Amphora Floor Vase", category: "home", productType: "Vase", vendor: "Clayborne Studio",
    tags: ["decor", "statement"], price: 185, options: [colour("Charcoal", "Rust")], photos: "large",
    pitch: "A statement floor vase inspired by ancient amphorae.",
    facts: ["Height 60&nbsp;cm", "Reactive glaze &mdash; each piece is unique", "Ships in a custom crate"],
  },
  {
    title: "Fig & Cedar Soy Candle", category: "home", productType: "Candle", vendor: "Wickwright",
    tags: ["organic", "bestseller", "fragrance"], price: 32, options: [{ name: "Size", values: ["8 oz", "14 oz"] }], surcharges: { "14 oz": 14 },
    pitch: "Ripe fig and cedarwood over a soft base of vanilla musk.",
    facts: ["100% soy wax, cotton wick", "Burn time: 50&nbsp;h (8&nbsp;oz) / 90&nbsp;h (14&nbsp;oz)", "Phthalate-free fragrance"],
  },
  {
    title: "Sea Salt & Sage Candle", category: "home", productType: "Candle", vendor: "Wickwright",
    tags: ["fragrance", "summer"], price: 28, options: [],
    pitch: "Coastal air and wild sage in a reusable glass tumbler.",
    facts: ["Coconut-soy wax blend", "Burn time about 45&nbsp;hours", "Reusable glass tumbler"],
  },
  {
    title: "Amber Noir Three-Wick Candle", category: "home", productType: "Candle", vendor: "Hearth & Hollow",
    tags: ["fragrance", "luxury"], price: 58, options: [],
    pitch: "Smoky amber, tonka and black pepper for long winter evenings.",
    facts: ["Three cotton wicks", "Burn time about 60&nbsp;hours", "Amber glass vessel, 16&nbsp;oz"],
  },
  {
    title: "Pumpkin Spice Candle", category: "home", productType: "Candle", vendor: "Wickwright",
    tags: ["seasonal", "autumn"], price: 26, options: [], status: "ARCHIVED",
    pitch: "Our autumn limited edition: pumpkin, clove and warm cinnamon.",
    facts: ["Soy wax", "Burn time about 40&nbsp;hours", "Limited edition 2025"],
  },
  // ── beauty ───────────────────────────────────────────────────────────────
  {
    title: "Velvet Matte Lipstick", category: "beauty", productType: "Lipstick", vendor: "Velour Beauty",
    tags: ["bestseller", "vegan", "cruelty-free"], price: 24, options: [{ name: "Shade", values: ["Ruby", "Nude", "Mauve", "Coral"] }], photos: "two",
    pitch: "Full-coverage matte colour that never feels dry.",
    facts: ["Net wt. 3.5&nbsp;g / 0.12&nbsp;oz", "Enriched with jojoba and vitamin&nbsp;E", "Vegan &amp; cruelty-free"],
  },
  {
    title: "Satin Glow Lipstick", category: "beauty", productType: "Lipstick", vendor: "Maison Éclat",
    tags: ["luxury", "refillable"], price: 32, options: [{ name: "Shade", values: ["Rosewood", "Berry", "Peach"] }],
    pitch: "A satin finish in a refillable metal case, made in France.",
    facts: ["Refillable case &mdash; refills sold separately", "Net wt. 3.8&nbsp;g", "Hyaluronic acid spheres for plumper lips"],
  },
  {
    title: "Hydrating Lip Tint", category: "beauty", productType: "Lipstick", vendor: "Dewdrop Skin",
    tags: ["new", "vegan"], price: 18, options: [{ name: "Shade", values: ["Cherry", "Petal"] }],
    pitch: "A sheer wash of colour with the comfort of a balm.",
    facts: ["Sheer, buildable colour", "Shea butter &amp; squalane", "Net wt. 3&nbsp;g"],
  },
  {
    title: "Classic Red Bullet Lipstick", category: "beauty", productType: "Lipstick", vendor: "Velour Beauty",
    tags: ["classic"], price: 22, options: [], status: "ARCHIVED",
    pitch: "The blue-based red that flatters every skin tone.",
    facts: ["Creamy matte finish", "Net wt. 3.5&nbsp;g", "Discontinued &mdash; see Velvet Matte in Ruby"],
  },
  {
    title: "Vitamin C Brightening Serum", category: "beauty", productType: "Serum", vendor: "Botanica Lab",
    tags: ["skincare", "bestseller", "vitamin-c"], price: 38, options: [{ name: "Size", values: ["30 ml", "50 ml"] }], surcharges: { "50 ml": 16 },
    awkward: "img-onerror",
    pitch: "15% stabilised vitamin C for brighter, more even skin in four weeks.",
    facts: ["15% ethyl ascorbic acid", "Amber glass dropper bottle", "Fragrance-free"],
  },
  {
    title: "Hyaluronic Dew Serum", category: "beauty", productType: "Serum", vendor: "Dewdrop Skin",
    tags: ["skincare", "hydration"], price: 29, options: [],
    pitch: "Three weights of hyaluronic acid for bouncy, dewy skin.",
    facts: ["30&nbsp;ml / 1&nbsp;fl&nbsp;oz", "Multi-weight hyaluronic acid 2%", "Suitable for sensitive skin"],
  },
  {
    title: "Retinol Night Serum", category: "beauty", productType: "Serum", vendor: "Maison Éclat",
    tags: ["skincare", "anti-aging"], price: 54, options: [{ name: "Size", values: ["15 ml", "30 ml"] }], surcharges: { "30 ml": 30 },
    photos: "portrait",
    pitch: "Encapsulated retinol that works overnight without the sting.",
    facts: ["0.3% encapsulated retinol", "With bakuchiol &amp; ceramides", "Use at night only; wear SPF by day"],
  },
  {
    title: "Rosehip Face Oil", category: "beauty", productType: "Serum", vendor: "Botanica Lab",
    tags: ["organic", "skincare"], price: 34, options: [],
    pitch: "Cold-pressed rosehip seed oil, certified organic.",
    facts: ["100% cold-pressed rosehip seed oil", "30&nbsp;ml glass dropper", "Certified organic (COSMOS)"],
  },
  {
    title: "Whipped Shea Body Butter", category: "beauty", productType: "Moisturizer", vendor: "Botanica Lab",
    tags: ["organic", "body"], price: 26, options: [{ name: "Size", values: ["100 ml", "200 ml"] }], surcharges: { "200 ml": 12 },
    pitch: "Whipped until cloud-light, melts in without a greasy finish.",
    facts: ["Fair-trade shea butter", "Lightly scented with orange blossom", "Recyclable aluminium jar"],
  },
  {
    title: "Barrier Repair Night Cream", category: "beauty", productType: "Moisturizer", vendor: "Dewdrop Skin",
    tags: ["skincare", "sensitive"], price: 42, options: [],
    pitch: "Ceramides and niacinamide to rebuild a stressed skin barrier overnight.",
    facts: ["5% niacinamide, 3 ceramides", "50&nbsp;ml glass jar", "Dermatologist tested"],
  },
  {
    title: "Gel Cream Moisturizer", category: "beauty", productType: "Moisturizer", vendor: "Velour Beauty",
    tags: ["skincare", "oil-free"], price: 36, options: [], photos: "portrait",
    pitch: "A weightless gel-cream that hydrates for 72 hours.",
    facts: ["Oil-free, non-comedogenic", "50&nbsp;ml", "With green tea &amp; aloe"],
  },
  {
    title: "Overnight Lip Mask", category: "beauty", productType: "Moisturizer", vendor: "Dewdrop Skin",
    tags: ["lips", "new"], price: 16, options: [{ name: "Flavour", values: ["Berry", "Vanilla"] }],
    pitch: "Wake up to soft, smooth lips.",
    facts: ["Net wt. 20&nbsp;g", "Shea &amp; murumuru butter", "Comes with a silicone applicator"],
  },
  // ── electronics ──────────────────────────────────────────────────────────
  {
    title: "Pulse ANC Over-Ear Headphones", category: "electronics", productType: "Headphones", vendor: "Pulse Audio",
    tags: ["bestseller", "wireless", "noise-cancelling"], price: 249, options: [colour("Black", "Sand", "Midnight")], photos: "two",
    awkward: "very-long",
    pitch: "Adaptive noise cancelling, 40-hour battery and a sound stage that feels like a live room.",
    facts: ["Hybrid ANC with 6 microphones", "40&nbsp;h battery (ANC on), USB-C fast charge", "40&nbsp;mm beryllium-coated drivers"],
  },
  {
    title: "Studio Monitor Headphones", category: "electronics", productType: "Headphones", vendor: "Arcline",
    tags: ["studio", "wired"], price: 179, options: [],
    pitch: "Flat, honest monitoring for mixing and mastering.",
    facts: ["Closed-back, 50&nbsp;mm drivers", "Impedance 38&nbsp;&Omega;", "Detachable 3&nbsp;m coiled cable"],
  },
  {
    title: "Kids' Volume-Safe Headphones", category: "electronics", productType: "Headphones", vendor: "Volt & Vibe",
    tags: ["kids", "wireless"], price: 39, options: [color("Pink", "Sky Blue", "Mint")],
    pitch: "Volume limited to 85&nbsp;dB to protect little ears.",
    facts: ["85&nbsp;dB volume limit", "Bendable, nearly unbreakable headband", "20&nbsp;h battery"],
  },
  {
    title: "Retro Wired Headphones", category: "electronics", productType: "Headphones", vendor: "Arcline",
    tags: ["retro", "wired"], price: 89, options: [colour("Cream", "Tan")], status: "ARCHIVED",
    pitch: "70s styling with modern 40&nbsp;mm drivers.",
    facts: ["Vegan leather cushions", "3.5&nbsp;mm jack with 6.35&nbsp;mm adapter", "Folding design"],
  },
  {
    title: "Clear Magnetic Phone Case", category: "electronics", productType: "Phone Case", vendor: "Cove Cases",
    tags: ["bestseller", "magnetic"], price: 35, options: [PHONES, color("Clear", "Frost Black")],
    pitch: "Crystal-clear protection that won't yellow, with a built-in magnet ring.",
    facts: ["Anti-yellowing polycarbonate", "Built-in magnet ring for wireless chargers", "Tested to 2&nbsp;m drops"],
  },
  {
    title: "Silicone Phone Case", category: "electronics", productType: "Phone Case", vendor: "Cove Cases",
    tags: ["soft-touch"], price: 29, options: [PHONES, color("Lilac", "Sage", "Midnight")], photos: "portrait",
    pitch: "Soft-touch silicone outside, microfibre lining inside.",
    facts: ["Liquid silicone rubber", "Microfibre lining", "Raised lip protects the camera"],
  },
  {
    title: "Leather Folio Phone Case", category: "electronics", productType: "Phone Case", vendor: "Arcline",
    tags: ["leather", "wallet"], price: 59, options: [{ name: "Model", values: ["iPhone 16", "Pixel 9", "Galaxy S25"] }, colour("Cognac", "Black")],
    photos: "portrait",
    pitch: "A full-grain leather folio with three card slots.",
    facts: ["Full-grain vegetable-tanned leather", "Three card slots and a cash pocket", "Magnetic closure"],
  },
  {
    title: "Rugged Armor Phone Case", category: "electronics", productType: "Phone Case", vendor: "Volt & Vibe",
    tags: ["rugged", "outdoor"], price: 39, options: [PHONES, colour("Black", "Olive")], emptyAlt: true,
    pitch: "Military-grade drop protection without the brick.",
    facts: ["MIL-STD-810H drop tested", "Air-cushion corners", "Textured grip sides"],
  },
  {
    title: "Boom Go Portable Speaker", category: "electronics", productType: "Speaker", vendor: "Volt & Vibe",
    tags: ["wireless", "summer", "bestseller"], price: 79, options: [colour("Teal", "Black", "Coral")], awkward: "script-tag",
    pitch: "Big sound that fits in a bottle holder.",
    facts: ["IP67 waterproof and dustproof", "12&nbsp;h battery", "Pair two for stereo"],
  },
  {
    title: "Roam Waterproof Speaker", category: "electronics", productType: "Speaker", vendor: "Pulse Audio",
    tags: ["wireless", "outdoor"], price: 129, options: [colour("Orange", "Charcoal")],
    pitch: "Floats, survives sand and plays for a full day.",
    facts: ["IP67, floats in water", "24&nbsp;h battery", "360&deg; sound"],
  },
  {
    title: "Hearth Smart Speaker", category: "electronics", productType: "Speaker", vendor: "Arcline",
    tags: ["smart-home"], price: 99, options: [colour("Charcoal", "Heather Grey")],
    pitch: "Room-filling sound wrapped in recycled fabric.",
    facts: ["Wi-Fi and Bluetooth 5.3", "Recycled fabric cover", "Far-field microphones with mute switch"],
  },
  {
    title: "Mini Cube Speaker", category: "electronics", productType: "Speaker", vendor: "Volt & Vibe",
    tags: ["new"], price: 29, options: [], status: "DRAFT", photos: "none", awkward: "empty",
    pitch: "", facts: [],
  },
];
