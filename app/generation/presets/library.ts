import type { LightDirection, OnModelSetup, Preset, SceneKind, StudioScene } from "./types";

const PRODUCT_ANGLES = [
  "straight-on front view at eye level",
  "three-quarter view from slightly above",
  "slightly elevated 30-degree view",
  "low three-quarter view that gives the product presence",
];
const TOP_DOWN = ["directly overhead, top-down view", "overhead view with the camera rotated a few degrees"];
const STUDIO_LIGHT = [
  "soft diffused studio light from a large softbox",
  "crisp key light with a gentle fill and soft shadows",
  "even wrap-around light with a subtle rim highlight",
];
const NATURAL_LIGHT = [
  "soft diffused daylight from a nearby window",
  "warm late-afternoon sunlight with long soft shadows",
  "bright, even overcast daylight",
];

/** Fields every catalogue preset shares unless it says otherwise. */
function scenePreset(
  fields: Pick<Preset, "id" | "name" | "category" | "template" | "scenes"> &
    Partial<Omit<Preset, "studioScene">> & {
      scene: [SceneKind, string[], LightDirection?];
      sceneOverrides?: Partial<StudioScene>;
    },
): Preset {
  const { scene, sceneOverrides, ...rest } = fields;
  const [kind, palette, light = "top-left"] = scene;
  return {
    size: "1024x1024",
    quality: "high",
    background: "opaque",
    requires: ["editWithReferences"],
    productPreserving: true,
    angles: PRODUCT_ANGLES,
    lighting: NATURAL_LIGHT,
    avoid: ["text", "watermarks", "logos other than the product's own"],
    studioScene: { kind, palette, light, vignette: 0.15, reflection: 0, ...sceneOverrides },
    ...rest,
  };
}

const SCENE_TEMPLATE =
  "Photograph of {product} in {scene}. Camera: {angle}. Lighting: {lighting}. The product is the clear focal point, at true-to-life scale, with realistic contact shadows and a softly blurred background.";

const PACKSHOTS: Preset[] = [
  scenePreset({
    id: "packshot-white",
    name: "White background packshot",
    category: "packshot",
    template:
      "Professional e-commerce packshot of {product} on a pure white (#FFFFFF) seamless background. Camera: {angle}. Lighting: {lighting}. The product is centred and fills about 80% of the frame, with a soft natural contact shadow.",
    scenes: ["a pure white seamless studio sweep"],
    lighting: STUDIO_LIGHT,
    avoid: ["props", "text", "watermarks", "coloured backgrounds", "reflections that hide the product"],
    scene: ["paper", ["#ffffff"], "front"],
    sceneOverrides: { vignette: 0, reflection: 0.12 },
  }),
  scenePreset({
    id: "packshot-transparent",
    name: "Transparent cut-out",
    category: "packshot",
    template:
      "Clean cut-out of {product} on a fully transparent background, centred, filling about 85% of the frame. Camera: {angle}. Lighting: {lighting}.",
    scenes: ["no background at all"],
    lighting: STUDIO_LIGHT,
    background: "transparent",
    requires: ["editWithReferences", "transparentBackground"],
    avoid: ["shadows on the background", "props", "text", "watermarks"],
    scene: ["paper", ["#ffffff"], "front"],
  }),
];

const STUDIO_COLOURS: [id: string, name: string, backdrop: string, palette: string[]][] = [
  ["blush", "Blush pink", "a soft blush-pink seamless paper backdrop", ["#f2d4d0", "#e8bcb6"]],
  ["sage", "Sage green", "a muted sage-green seamless paper backdrop", ["#c9d3c0", "#aebb9f"]],
  ["sand", "Warm sand", "a warm sand-beige seamless paper backdrop", ["#e6d8c3", "#d4c0a1"]],
  ["sky", "Sky blue", "a pale sky-blue seamless paper backdrop", ["#cfe0ec", "#b3cde0"]],
  ["charcoal", "Charcoal", "a deep charcoal-grey seamless backdrop with a gentle gradient", ["#3a3d42", "#24262a"]],
  ["terracotta", "Terracotta", "a sun-baked terracotta seamless backdrop", ["#c9775a", "#a95f45"]],
];

const STUDIO: Preset[] = STUDIO_COLOURS.map(([id, name, backdrop, palette]) =>
  scenePreset({
    id: `studio-${id}`,
    name: `Studio backdrop: ${name}`,
    category: "studio",
    template:
      "Studio product photograph of {product} on {scene}. Camera: {angle}. Lighting: {lighting}. Minimal styling, the product centred with a soft shadow.",
    scenes: [backdrop, `${backdrop} with a simple geometric plinth`, `${backdrop} with a low curved sweep`],
    lighting: STUDIO_LIGHT,
    avoid: ["clutter", "text", "watermarks"],
    scene: ["gradient", palette, "top-left"],
  }),
);

const LIFESTYLE: Preset[] = [
  scenePreset({
    id: "lifestyle-living-room",
    name: "Living room",
    category: "lifestyle",
    template: SCENE_TEMPLATE,
    scenes: [
      "a bright Scandinavian living room, on a light oak sideboard",
      "a cosy living room with a linen sofa, on a low coffee table",
      "a mid-century living room, on a walnut console beside a plant",
    ],
    productTypes: ["home decor", "candles", "vases", "cushions", "throws", "lighting", "art", "books"],
    scene: ["wood", ["#e9e2d6", "#b08a5e"], "left"],
  }),
  scenePreset({
    id: "lifestyle-kitchen",
    name: "Kitchen counter",
    category: "lifestyle",
    template: SCENE_TEMPLATE,
    scenes: [
      "a sunlit kitchen, on a white marble countertop",
      "a rustic kitchen, on a worn wooden chopping board",
      "a modern kitchen, on a matte concrete worktop",
    ],
    productTypes: ["mugs", "kitchenware", "cookware", "tableware", "food", "drinkware", "coffee", "tea"],
    scene: ["marble", ["#f2f0ec", "#d9d5cf"], "left"],
  }),
  scenePreset({
    id: "lifestyle-bathroom-shelf",
    name: "Bathroom shelf",
    category: "lifestyle",
    template: SCENE_TEMPLATE,
    scenes: [
      "a calm bathroom, on a floating oak shelf above a basin",
      "a spa-like bathroom, on a travertine ledge with a folded towel",
      "a bright tiled bathroom, on a glass shelf near a window",
    ],
    productTypes: ["skincare", "beauty", "cosmetics", "soap", "bath", "fragrance", "haircare"],
    scene: ["concrete", ["#e7e4df", "#c8c3bb"], "right"],
  }),
  scenePreset({
    id: "lifestyle-desk",
    name: "Desk",
    category: "lifestyle",
    template: SCENE_TEMPLATE,
    scenes: [
      "a tidy home-office desk in light oak, beside a notebook",
      "a creative studio desk with a few sketches, softly out of focus",
      "a minimalist white desk by a window",
    ],
    productTypes: ["stationery", "electronics", "accessories", "office", "tech", "bags"],
    scene: ["wood", ["#efe9df", "#c4a27a"], "left"],
  }),
  scenePreset({
    id: "lifestyle-cafe",
    name: "Café table",
    category: "lifestyle",
    template: SCENE_TEMPLATE,
    scenes: [
      "a neighbourhood café, on a small marble bistro table",
      "a busy espresso bar, on a wooden counter, background softly blurred",
      "a sunny café terrace table",
    ],
    productTypes: ["mugs", "drinkware", "coffee", "tea", "food", "books", "bags"],
    scene: ["marble", ["#ece7e1", "#8a6a4f"], "right"],
  }),
  scenePreset({
    id: "lifestyle-outdoor",
    name: "Outdoors",
    category: "lifestyle",
    template: SCENE_TEMPLATE,
    scenes: [
      "a garden patio on a weathered teak table",
      "a forest trail, resting on a mossy rock",
      "a mountain viewpoint at golden hour, on a flat boulder",
    ],
    productTypes: ["outdoor", "camping", "bags", "drinkware", "footwear", "garden"],
    scene: ["wood", ["#d9e3d0", "#6f7f5e"], "top-right"],
  }),
  scenePreset({
    id: "lifestyle-beach",
    name: "Beach",
    category: "lifestyle",
    template: SCENE_TEMPLATE,
    scenes: [
      "a sunny beach, on pale sand with gentle waves behind",
      "a beach towel on warm sand beside a straw hat",
      "a rocky cove at sunset, on a smooth flat stone",
    ],
    productTypes: ["swimwear", "sunglasses", "sunscreen", "towels", "bags", "sandals"],
    scene: ["linen", ["#f1e4c8", "#8fc1d4"], "top"],
  }),
  scenePreset({
    id: "lifestyle-gym",
    name: "Gym",
    category: "lifestyle",
    template: SCENE_TEMPLATE,
    scenes: [
      "a modern gym, on a rubber floor beside dumbbells",
      "a bright yoga studio, on a rolled-up mat",
      "a locker room bench, background softly blurred",
    ],
    productTypes: ["fitness", "sportswear", "supplements", "drinkware", "yoga", "activewear"],
    scene: ["concrete", ["#d5d6d8", "#3c3f44"], "top"],
  }),
];

const FLAT_LAY: Preset[] = [
  scenePreset({
    id: "flat-lay",
    name: "Flat lay",
    category: "flat-lay",
    template:
      "Flat-lay photograph of {product} arranged on {scene}. Camera: {angle}. Lighting: {lighting}. A few small complementary props at the edges; the product is centred and unobstructed.",
    scenes: ["natural washed linen", "a pale terrazzo surface", "a textured paper backdrop in a warm neutral"],
    angles: TOP_DOWN,
    scene: ["linen", ["#ece6dc", "#d8cfc1"], "top"],
  }),
];

const SEASONAL: Preset[] = [
  scenePreset({
    id: "seasonal-holiday",
    name: "Holiday season",
    category: "seasonal",
    template: SCENE_TEMPLATE,
    scenes: [
      "a festive table with pine sprigs and warm fairy lights, softly out of focus",
      "a cosy fireside setting with wrapped gifts in kraft paper",
      "a snowy windowsill with candlelight",
    ],
    lighting: ["warm candle-like glow", "soft evening light with warm bokeh"],
    scene: ["wood", ["#2f4a3a", "#b8322e", "#e9d8b4"], "left"],
  }),
  scenePreset({
    id: "seasonal-summer",
    name: "Summer",
    category: "seasonal",
    template: SCENE_TEMPLATE,
    scenes: [
      "a sun-drenched terrace with lemons and dappled leaf shadows",
      "a poolside table with bright towels",
      "a picnic blanket on summer grass",
    ],
    lighting: ["bright midday sun with crisp shadows", "warm golden-hour sunlight"],
    scene: ["linen", ["#fbefc9", "#7cc3d8"], "top-right"],
  }),
  scenePreset({
    id: "seasonal-autumn",
    name: "Autumn",
    category: "seasonal",
    template: SCENE_TEMPLATE,
    scenes: [
      "a rustic wooden table scattered with fallen leaves and small pumpkins",
      "a cosy window seat with a knitted throw and autumn light",
      "a forest floor of golden leaves",
    ],
    lighting: ["low warm autumn sunlight", "soft overcast autumn light"],
    scene: ["wood", ["#c46f2c", "#7a4a2a", "#e8cfa6"], "left"],
  }),
];

function onModelPreset(id: string, name: string, setup: OnModelSetup, scenes: string[], productTypes: string[]): Preset {
  return {
    id,
    name,
    category: "on-model",
    template:
      "Fashion e-commerce photograph of {model} wearing {product}. Pose: {pose}. Setting: {scene}. Camera: {angle}. Lighting: {lighting}. Realistic skin texture and proportions; the product fits naturally and is fully visible.",
    size: "1024x1536",
    quality: "high",
    background: "opaque",
    requires: ["onModel", "editWithReferences"],
    productTypes,
    studioScene: { kind: "gradient", palette: ["#ecebe8", "#d6d3ce"], light: "top-left", vignette: 0.1, reflection: 0 },
    productPreserving: false,
    scenes,
    angles: [setup.framing],
    lighting: STUDIO_LIGHT,
    avoid: ["distorted hands", "extra fingers", "text", "watermarks", "other garments covering the product"],
    onModel: setup,
  };
}

const ON_MODEL: Preset[] = [
  onModelPreset(
    "on-model-apparel",
    "On model: apparel",
    {
      subject: "apparel",
      framing: "full-length, eye-level framing",
      poses: ["standing relaxed, facing the camera", "mid-stride walking", "three-quarter turn, hand in pocket", "seated on a simple stool"],
    },
    ["a light grey studio sweep", "a sunlit city street", "a minimal concrete interior"],
    ["apparel", "clothing", "shirts", "t-shirts", "dresses", "knitwear", "outerwear", "pants", "activewear"],
  ),
  onModelPreset(
    "on-model-footwear",
    "On model: footwear",
    {
      subject: "footwear",
      framing: "cropped at the knee, low camera close to the ground, shoes sharp",
      poses: ["standing with feet slightly apart", "mid-step", "one foot forward on its heel", "sitting with legs crossed at the ankle"],
    },
    ["a light grey studio floor", "a city pavement", "a wooden boardwalk"],
    ["footwear", "shoes", "sneakers", "boots", "sandals", "socks"],
  ),
  onModelPreset(
    "on-model-jewelry",
    "On model: jewelry",
    {
      subject: "jewelry",
      framing: "close-up beauty framing on the neck, ear or hand wearing the piece, jewelry in sharp focus",
      poses: ["hand resting near the collarbone", "head turned in profile", "chin lightly resting on the hand", "hands gently clasped"],
    },
    ["a soft neutral studio backdrop", "warm window light in a calm interior"],
    ["jewelry", "jewellery", "rings", "necklaces", "earrings", "bracelets", "watches"],
  ),
];

const ART_STYLES: [id: string, name: string, style: string, scene: [SceneKind, string[]]][] = [
  ["minimalist", "Minimalist", "a minimalist composition with generous negative space and a single pastel plane", ["paper", ["#f3f1ee"]]],
  ["editorial", "Editorial", "a high-fashion magazine editorial set with bold graphic shadows", ["gradient", ["#d8d2c8", "#3b3631"]]],
  ["cyberpunk", "Cyberpunk", "a rain-soaked cyberpunk street at night with neon magenta and cyan reflections", ["concrete", ["#1b1230", "#ff2fa0", "#20e3ff"]]],
  ["oil-painting", "Oil painting", "a classical still-life oil painting with visible brushstrokes and chiaroscuro", ["linen", ["#3a2a1c", "#c7a26b"]]],
  ["watercolour", "Watercolour", "a loose watercolour illustration on textured paper with soft bleeding washes", ["paper", ["#fbf8f1", "#a9c7d9"]]],
];

const ART: Preset[] = ART_STYLES.map(([id, name, style, [kind, palette]]) =>
  scenePreset({
    id: `art-${id}`,
    name: `Art style: ${name}`,
    category: "art-style",
    template: `Artwork of {product} rendered as {scene}. Camera: {angle}. Lighting: {lighting}. The product remains recognisable and accurate in the style.`,
    scenes: [style],
    lighting: STUDIO_LIGHT,
    avoid: ["text", "watermarks", "signatures"],
    scene: [kind, palette, "left"],
  }),
);

export const PRESET_LIBRARY: readonly Preset[] = [
  ...PACKSHOTS,
  ...STUDIO,
  ...LIFESTYLE,
  ...FLAT_LAY,
  ...SEASONAL,
  ...ON_MODEL,
  ...ART,
];
