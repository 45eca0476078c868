import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getCatalogPage } from "~/catalog/catalog-page.server";
import { authenticate } from "~/shopify.server";
import { jsonError } from "~/ui/json-error.server";
import { ProductsIndex } from "~/ui/products-index";

const searchSchema = z.object({
  q: z.string().trim().max(200).optional(),
  type: z.string().max(255).optional(),
  vendor: z.string().max(255).optional(),
  tag: z.string().max(255).optional(),
  status: z.enum(["ACTIVE", "DRAFT", "ARCHIVED"]).optional(),
  after: z.string().max(1024).optional(),
  before: z.string().max(1024).optional(),
});

export const PAGE_SIZE = 25;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin, session } = await authenticate.admin(request);
  const parsed = searchSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) throw jsonError(400, "Those filters are not valid.", { issues: parsed.error.flatten().fieldErrors });
  const { q, type, vendor, tag, status, after, before } = parsed.data;
  return getCatalogPage(
    { shop: session.shop, graphql: admin.graphql },
    { text: q, productType: type, vendor, tag, status, after, before, pageSize: PAGE_SIZE },
  );
};

export default function ProductsPage() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [searchParams, setSearchParams] = useSearchParams();
  const navigate = useNavigate();
  return (
    <ProductsIndex
      data={data}
      loading={navigation.state === "loading"}
      searchParams={searchParams}
      onSearchParamsChange={(next) => setSearchParams(next)}
      onGenerate={(ids) => navigate(`/app/batches/new?${new URLSearchParams(ids.map((id) => ["product", id])).toString()}`)}
    />
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/route-error-boundary";
