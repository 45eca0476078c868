import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider as PolarisAppProvider, Banner, Page } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";

/**
 * The one error boundary every route uses. Shopify's auth answers (redirects,
 * bounce pages) travel as thrown responses that boundary.error must render;
 * anything else becomes a merchant-readable banner without internals.
 */
export function RouteErrorBoundary() {
  const error = useRouteError();
  if (isShopifyAuthResponse(error)) return boundary.error(error);
  const { title, detail } = describe(error);
  // The layout (and its providers) is gone when a boundary renders.
  return (
    <PolarisAppProvider i18n={en}>
      <Page title={title}>
        <Banner tone="critical" title={title}>
          <p>{detail}</p>
        </Banner>
      </Page>
    </PolarisAppProvider>
  );
}

function isShopifyAuthResponse(error: unknown): boolean {
  // authenticate.admin throws HTML bodies (bounce page, App Bridge redirects);
  // our own code only ever throws JSON bodies via jsonError().
  return isRouteErrorResponse(error) && typeof error.data === "string";
}

function describe(error: unknown): { title: string; detail: string } {
  if (isRouteErrorResponse(error)) {
    const message = typeof error.data === "object" && error.data && "message" in error.data ? String((error.data as { message: unknown }).message) : error.statusText;
    return { title: error.status === 400 ? "That request was not valid" : `Something went wrong (${error.status})`, detail: message || "Please try again." };
  }
  return { title: "Something went wrong", detail: "The page could not be shown. Reload to try again; if it keeps happening, contact support." };
}
