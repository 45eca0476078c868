import { useEffect, useState } from "react";
import {
  Badge,
  Banner,
  BlockStack,
  Card,
  ChoiceList,
  EmptySearchResult,
  Filters,
  IndexTable,
  Page,
  Text,
  Thumbnail,
  useIndexResourceState,
} from "@shopify/polaris";
import { ImageIcon } from "@shopify/polaris-icons";
import type { CatalogPageData } from "~/catalog/catalog-page.server";

const STATUS_TONE = { ACTIVE: "success", DRAFT: "info", ARCHIVED: undefined } as const;

interface Props {
  data: CatalogPageData;
  loading: boolean;
  searchParams: URLSearchParams;
  onSearchParamsChange: (next: URLSearchParams) => void;
  /** Opens the batch launch form for the selected products. */
  onGenerate: (productIds: string[]) => void;
}

/** The merchant's catalog: search, filter, page through and select products. */
export function ProductsIndex({ data, loading, searchParams, onSearchParamsChange, onGenerate }: Props) {
  const [queryValue, setQueryValue] = useState(searchParams.get("q") ?? "");
  const products = data.ok ? data.page.products : [];
  const selection = useIndexResourceState(products.map((p) => ({ id: p.id })));

  // Debounce typing into the search box so each keystroke is not a Shopify query.
  useEffect(() => {
    if ((searchParams.get("q") ?? "") === queryValue) return;
    const timer = setTimeout(() => update({ q: queryValue || null }), 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [queryValue]);

  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(searchParams);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    // A new filter starts again from the first page.
    if (!("after" in changes) && !("before" in changes)) {
      next.delete("after");
      next.delete("before");
    }
    onSearchParamsChange(next);
  }

  const filterDefs = data.ok
    ? ([
        ["type", "Product type", data.filters.productTypes],
        ["vendor", "Vendor", data.filters.vendors],
        ["tag", "Tag", data.filters.tags],
      ] as const)
    : [];

  const filters = filterDefs.map(([key, label, values]) => ({
    key,
    label,
    filter: (
      <ChoiceList
        title={label}
        titleHidden
        choices={values.map((v) => ({ label: v, value: v }))}
        selected={searchParams.get(key) ? [searchParams.get(key)!] : []}
        onChange={(selected) => update({ [key]: selected[0] ?? null })}
      />
    ),
    shortcut: true,
  }));

  const appliedFilters = filterDefs
    .filter(([key]) => searchParams.get(key))
    .map(([key, label]) => ({ key, label: `${label}: ${searchParams.get(key)}`, onRemove: () => update({ [key]: null }) }));

  const rows = products.map((product, index) => (
    <IndexTable.Row
      id={product.id}
      key={product.id}
      position={index}
      selected={selection.selectedResources.includes(product.id)}
    >
      <IndexTable.Cell>
        <Thumbnail source={product.thumbnailUrl ?? product.featuredImageUrl ?? ImageIcon} alt={product.media[0]?.alt || product.title} size="small" />
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" variant="bodyMd" fontWeight="semibold">
          {product.title}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>{product.productType || "—"}</IndexTable.Cell>
      <IndexTable.Cell>{product.vendor}</IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" numeric>
          {product.mediaCount}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Badge tone={STATUS_TONE[product.status as keyof typeof STATUS_TONE]}>{product.status.toLowerCase()}</Badge>
      </IndexTable.Cell>
    </IndexTable.Row>
  ));

  return (
    <Page title="Products" subtitle="Choose products to create new imagery for.">
      <BlockStack gap="400">
        {!data.ok && (
          <Banner tone="critical" title="Products could not be loaded">
            <p>{data.message}</p>
          </Banner>
        )}
        <Card padding="0">
          <div style={{ padding: "var(--p-space-300)" }}>
            <Filters
              queryValue={queryValue}
              queryPlaceholder="Search products"
              filters={filters}
              appliedFilters={appliedFilters}
              onQueryChange={setQueryValue}
              onQueryClear={() => setQueryValue("")}
              onClearAll={() => {
                setQueryValue("");
                onSearchParamsChange(new URLSearchParams());
              }}
              loading={loading}
            />
          </div>
          <IndexTable
            resourceName={{ singular: "product", plural: "products" }}
            itemCount={products.length}
            selectedItemsCount={selection.allResourcesSelected ? "All" : selection.selectedResources.length}
            onSelectionChange={selection.handleSelectionChange}
            promotedBulkActions={[{ content: "Generate images", onAction: () => onGenerate(selection.selectedResources) }]}
            loading={loading}
            emptyState={
              <EmptySearchResult
                title="No products found"
                description={data.ok ? "Try changing the filters or search term." : "Reload the page to try again."}
                withIllustration
              />
            }
            headings={[
              { title: "Image", hidden: true },
              { title: "Product" },
              { title: "Type" },
              { title: "Vendor" },
              { title: "Media", alignment: "end" },
              { title: "Status" },
            ]}
            pagination={
              data.ok
                ? {
                    hasNext: data.page.pageInfo.hasNextPage,
                    hasPrevious: data.page.pageInfo.hasPreviousPage,
                    onNext: () => update({ after: data.page.pageInfo.endCursor, before: null }),
                    onPrevious: () => update({ before: data.page.pageInfo.startCursor, after: null }),
                  }
                : undefined
            }
          >
            {rows}
          </IndexTable>
        </Card>
      </BlockStack>
    </Page>
  );
}
