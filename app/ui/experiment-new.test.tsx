/** The create form opens with the shop's split and the default lift, answers bad input on its field, and sizes the test in words. */
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { ExperimentNewForm, sampleSizeGuidance, type ExperimentFormDefaults } from "./experiment-new";

const products = [{ productGid: "gid://shopify/Product/1", title: "Bottle", candidates: [{ id: "c1", label: "Packshot" }] }];
const defaults: ExperimentFormDefaults = { trafficPercent: 30, relativeMde: 0.1, alpha: 0.05, baseline: null };

async function render(fieldErrors?: { controlPercent?: string; mdePercent?: string }): Promise<string> {
  // Remix's Form needs a data router around it.
  const routes = [
    {
      path: "/",
      element: (
        <AppProvider i18n={en}>
          <ExperimentNewForm products={products} maxVariants={3} defaults={defaults} fieldErrors={fieldErrors} />
        </AppProvider>
      ),
    },
  ];
  const context = await createStaticHandler(routes).query(new Request("http://app.test/"));
  if (context instanceof Response) throw new Error("the route answered with a response");
  return renderToString(<StaticRouterProvider router={createStaticRouter(routes, context)} context={context} />);
}

const inputValue = (html: string, name: string) => new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0].match(/value="([^"]*)"/)?.[1];

describe("ExperimentNewForm", () => {
  it("opens with the control keeping what the shop's default leaves it, and a 10% lift", async () => {
    const html = await render();
    expect(inputValue(html, "controlPercent")).toBe("70");
    expect(inputValue(html, "mdePercent")).toBe("10");
    expect(html).not.toContain("traffic is split evenly");
  });

  it("shows the server's field error beside the field, marking it invalid", async () => {
    const html = await render({ controlPercent: "Enter a whole percent from 1 to 99: each variant needs at least 1%." });
    expect(html).toContain("Enter a whole percent from 1 to 99: each variant needs at least 1%.");
    expect(/<input[^>]*name="controlPercent"[^>]*>/.exec(html)?.[0]).toContain('aria-invalid="true"');
    expect(/<input[^>]*name="mdePercent"[^>]*>/.exec(html)?.[0]).toContain('aria-invalid="false"');
  });
});

describe("sampleSizeGuidance", () => {
  const baseline = { rate: 0.02, visitors: 12_000 };

  it("says the classical sample size per arm at the measured rate, and the visitors in all at the split", () => {
    expect(sampleSizeGuidance(baseline, 10, [50, 50], 0.05)).toBe(
      "At your earlier tests' 2.0% add-to-cart rate (control images, 12,000 visitors), detecting a 10% lift needs about 80,682 visitors per arm: about 161,364 product visitors in all at this split.",
    );
    // A 90/10 split fills the variant arm ten times slower.
    expect(sampleSizeGuidance(baseline, 10, [90, 10], 0.05)).toContain("about 806,820 product visitors in all");
    // Two variants are each compared at 2.5%, so each arm needs more.
    expect(sampleSizeGuidance(baseline, 10, [50, 25, 25], 0.05)).toMatch(/needs about 9\d,\d{3} visitors per arm/);
  });

  it("says nothing without a measured rate or with a lift out of range", () => {
    expect(sampleSizeGuidance(null, 10, [50, 50], 0.05)).toBeNull();
    expect(sampleSizeGuidance(baseline, 0, [50, 50], 0.05)).toBeNull();
    expect(sampleSizeGuidance(baseline, Number.NaN, [50, 50], 0.05)).toBeNull();
  });
});
