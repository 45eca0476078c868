/**
 * Admin action on a product's page: a small modal that sends the merchant to
 * the app's launch form with this product already chosen, so presets, options,
 * the cost and time estimate and the launch itself live in one place (the app).
 *
 * Written against the extension's DOM (Polaris web components) without a UI
 * library, so it needs no dependency beyond what Shopify's runtime provides.
 */
import { launchHref } from "./launch-url";

/** The part of the Action Extension API this uses (`shopify` global of admin UI extensions). */
interface ActionExtensionApi {
  data: { selected: { id: string }[] };
  close(): void;
}

function element(tag: string, attributes: Record<string, string> = {}, text?: string): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

export default async function extension(): Promise<void> {
  const api = (globalThis as unknown as { shopify: ActionExtensionApi }).shopify;
  const productId = api.data.selected[0]?.id;
  const action = element("s-admin-action", { heading: "Generate images" });
  const stack = element("s-stack", { gap: "base" });
  action.append(stack);

  if (productId) {
    stack.append(
      element("s-paragraph", {}, "Make new photos of this product: choose presets and options, see the cost and time, then launch."),
      element("s-paragraph", {}, "Nothing changes on the product until you approve and publish an image."),
    );
    action.append(element("s-button", { slot: "primary-action", variant: "primary", href: launchHref(productId) }, "Choose presets"));
  } else {
    stack.append(element("s-banner", { tone: "warning" }, "Open this from a product's page to generate images for it."));
  }
  const cancel = element("s-button", { slot: "secondary-actions" }, "Cancel");
  cancel.addEventListener("click", () => api.close());
  action.append(cancel);
  document.body.append(action);
}
