import { describe, expect, it } from "vitest";
import { parseNewExperimentForm } from "./new-experiment-form.server";

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) data.append(key, v);
  return data;
}

const product = "gid://shopify/Product/7";

describe("parseNewExperimentForm", () => {
  it("gives the control its share, splits the rest evenly between the variants, and keeps the lift as a fraction", () => {
    expect(parseNewExperimentForm(form({ productGid: product, candidateId: ["x", "y", "z"], controlPercent: "70", mdePercent: "5" }))).toEqual({
      ok: true,
      input: { productGid: product, candidateIds: ["x", "y", "z"], weights: [70, 10, 10, 10], relativeMde: 0.05 },
    });
    const uneven = parseNewExperimentForm(form({ productGid: product, candidateId: ["x", "y"], controlPercent: "33", mdePercent: "20" }));
    expect(uneven.ok && uneven.input.weights).toEqual([33, 34, 33]);
  });

  it("answers a share that leaves a variant less than 1% on its field", () => {
    expect(parseNewExperimentForm(form({ productGid: product, candidateId: ["x", "y", "z"], controlPercent: "98", mdePercent: "10" }))).toEqual({
      ok: false,
      fieldErrors: { controlPercent: "Enter a whole percent from 1 to 97: each variant needs at least 1%." },
    });
    expect(parseNewExperimentForm(form({ productGid: product, candidateId: "x", controlPercent: "99", mdePercent: "10" })).ok).toBe(true);
  });

  it.each([["0"], ["12.5"], ["abc"], [""], ["100"]])("refuses the control share %j on its field", (controlPercent) => {
    const parsed = parseNewExperimentForm(form({ productGid: product, candidateId: "x", controlPercent, mdePercent: "10" }));
    expect(parsed).toEqual({ ok: false, fieldErrors: { controlPercent: expect.stringContaining("from 1 to 99") } });
  });

  it.each([["0"], ["0.5"], ["101"], ["ten"], [""]])("refuses the lift %j on its field", (mdePercent) => {
    const parsed = parseNewExperimentForm(form({ productGid: product, candidateId: "x", controlPercent: "50", mdePercent }));
    expect(parsed).toEqual({ ok: false, fieldErrors: { mdePercent: "Enter a lift from 1% to 100%." } });
  });

  it("says what to choose when the product or candidates are missing", () => {
    const parsed = parseNewExperimentForm(form({ productGid: "not-a-gid", controlPercent: "50", mdePercent: "10" }));
    expect(parsed).toEqual({ ok: false, error: "Choose a product and 1 to 3 of its A/B candidates.", fieldErrors: {} });
  });
});
