/**
 * The app page an admin action opens: the batch launch form with the product
 * preselected. Kept apart from the extension's UI so the app's tests can hold
 * it to what the launch route accepts.
 */
const PRODUCT_GID = /^gid:\/\/shopify\/Product\/\d+$/;

export function launchPath(productGid: string): string {
  if (!PRODUCT_GID.test(productGid)) throw new Error(`Not a product id: ${productGid}`);
  return `/app/batches/new?${new URLSearchParams({ product: productGid })}`;
}

/** `app:` links navigate inside the embedded app from an admin extension. */
export function launchHref(productGid: string): string {
  return `app:${launchPath(productGid)}`;
}
