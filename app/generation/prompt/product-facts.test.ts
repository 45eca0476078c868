import { describe, expect, it } from "vitest";
import { descriptionToText } from "./description-to-text";
import { extractProductFacts } from "./product-facts";

describe("extractProductFacts", () => {
  it("reads an apparel listing: options, bullets, tags", () => {
    const text = descriptionToText(`<p>Our <strong>Everyday Linen Shirt</strong> is cut from 100% European flax linen, stonewashed for a soft, lived-in feel.</p>
<ul><li>Relaxed fit with dropped shoulders</li><li>Corozo buttons</li><li>Breathable and perfect for travel or the beach</li></ul>
<p>Machine wash cold. Not suitable for tumble drying.</p>`);
    const facts = extractProductFacts(text, {
      productType: "Shirts",
      tags: ["summer", "material:linen", "colour_sage"],
      options: [
        { name: "Colour", values: ["Sage", "Oat"] },
        { name: "Size", values: ["XS", "S", "M", "L", "XL"] },
      ],
    });
    expect(facts).toEqual({
      productType: "Shirts",
      materials: ["linen"],
      colours: ["Sage", "Oat"],
      sizes: ["XS", "S", "M", "L", "XL"],
      dimensions: [],
      uses: ["everyday", "travel", "beach"],
      finishes: ["stonewashed"],
      features: [
        "Relaxed fit with dropped shoulders",
        "Corozo buttons",
        "Breathable and perfect for travel or the beach",
        "machine washable",
      ],
    });
  });

  it("reads a homeware listing: capacity, dimensions, finishes, negations", () => {
    const text = descriptionToText(`<p>Hand-thrown stoneware mug with a speckled matte glaze and a glossy interior. Holds 350&nbsp;ml — ideal for your morning coffee.</p>
<p>Dimensions: 9 cm tall, 8.5 cm diameter</p><p>Dishwasher safe. Not microwave safe.</p>`);
    const facts = extractProductFacts(text, { productType: "Mugs", tags: ["Kitchen", "gift"], options: [] });
    expect(facts.materials).toEqual(["stoneware"]);
    expect(facts.finishes).toEqual(["matte", "glossy"]);
    expect(facts.dimensions).toEqual(["350 ml", "9 cm tall, 8.5 cm diameter"]);
    expect(facts.uses).toEqual(["coffee", "kitchen", "gift"]);
    expect(facts.features).toEqual(["handmade", "dishwasher safe"]);
    expect(facts.features).not.toContain("microwave safe");
  });

  it("reads jewelry: metal option, karat gold, sizes line; silver inside 'sterling silver' is no colour", () => {
    const text = descriptionToText(
      "<p>A delicate band in 14k gold with a single lab-grown diamond. Nickel-free and hypoallergenic.</p><p>Size: US 5–9</p>",
    );
    const facts = extractProductFacts(text, {
      productType: "Rings",
      tags: ["sterling silver"],
      options: [{ name: "Metal", values: ["14k Yellow Gold", "Sterling Silver"] }],
    });
    expect(facts.materials).toEqual(["14k Yellow Gold", "Sterling Silver", "14k gold", "diamond"]);
    expect(facts.colours).toEqual([]);
    expect(facts.sizes).toEqual(["US 5–9"]);
    expect(facts.features).toEqual(["nickel-free", "hypoallergenic"]);
  });

  it("reads furniture dimensions in several notations", () => {
    const text = descriptionToText(
      "<p>Solid oak side table with an oiled finish, 45 x 45 x 55 cm. The drawer is 30cm wide.</p><p>Also in walnut.</p>",
    );
    const facts = extractProductFacts(text, { productType: "Tables", tags: ["living room"], options: [] });
    expect(facts.materials).toEqual(["oak", "walnut"]);
    expect(facts.finishes).toEqual(["oiled"]);
    expect(facts.dimensions).toEqual(["45 x 45 x 55 cm", "30cm wide"]);
    expect(facts.uses).toEqual(["living room"]);
  });

  it("bounds every list and every entry", () => {
    const long = "x".repeat(500);
    const facts = extractProductFacts(`- ${long}\n- a\n- b\n- c\n- d\n- e\n- f\n- g`, { productType: "", tags: [], options: [] });
    expect(facts.productType).toBeNull();
    expect(facts.features).toHaveLength(6);
    expect(facts.features[0]).toHaveLength(100);
  });
});
