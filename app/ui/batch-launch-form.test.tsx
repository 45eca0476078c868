/** The launch form opens with the shop's default presets (settings page) chosen. */
import { AppProvider } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PRESET_LIBRARY } from "~/generation/presets/library";
import { createProviderRegistry } from "~/providers/registry.server";
import { BatchLaunchForm } from "./batch-launch-form";

function checkedPresets(defaultPresetIds: string[]): string[] {
  const html = renderToString(
    <AppProvider i18n={en}>
      <BatchLaunchForm
        products={[{ id: "gid://shopify/Product/1", title: "Bottle" }]}
        presets={PRESET_LIBRARY.map(({ id, name, category, requires }) => ({ id, name, category, requires }))}
        providers={createProviderRegistry({}).options()}
        defaultPresetIds={defaultPresetIds}
        maxCandidates={4}
        estimate={null}
        estimating={false}
        launching={false}
        error={null}
        onEstimate={() => undefined}
        onLaunch={() => undefined}
      />
    </AppProvider>,
  );
  const inputs = html.match(/<input[^>]*type="checkbox"[^>]*>/g) ?? [];
  return inputs.filter((input) => /\schecked=""/.test(input)).flatMap((input) => /value="([^"]+)"/.exec(input)?.[1] ?? []);
}

describe("BatchLaunchForm", () => {
  it("preselects the shop's default presets, and nothing else", () => {
    const ids = PRESET_LIBRARY.map((p) => p.id);
    const chosen = ids.filter((id) => id !== "packshot-white").slice(0, 2);
    expect(checkedPresets(chosen).sort()).toEqual([...chosen].sort());
    expect(checkedPresets(["packshot-white"])).toEqual(["packshot-white"]);
  });
});
