import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { newAutomationCandidates } from "~/automation/badge.server";
import { shopIdFor } from "~/batches/services.server";
import { requireEnv } from "~/config/env.server";
import { db } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { RouteErrorBoundary } from "~/ui/route-error-boundary";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const newCandidates = await newAutomationCandidates(db, await shopIdFor(session.shop));
  // The API key is public (App Bridge needs it in the page); the secret never leaves the server.
  return { apiKey: requireEnv().SHOPIFY_API_KEY, newCandidates };
};

export default function App() {
  const { apiKey, newCandidates } = useLoaderData<typeof loader>();
  return (
    <AppProvider isEmbeddedApp apiKey={apiKey}>
      <NavMenu>
        <Link to="/app" rel="home">
          Products
        </Link>
        <Link to="/app/batches">Batches</Link>
        <Link to="/app/review">{newCandidates > 0 ? `Review (${newCandidates} new)` : "Review"}</Link>
        <Link to="/app/experiments">A/B tests</Link>
        <Link to="/app/settings">Settings</Link>
      </NavMenu>
      <Outlet />
    </AppProvider>
  );
}

export const ErrorBoundary = RouteErrorBoundary;

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
