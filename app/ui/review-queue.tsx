import { Badge, Card, EmptyState, IndexTable, Link, Page, Pagination, Tabs, Text, Thumbnail } from "@shopify/polaris";
import { ImageIcon } from "@shopify/polaris-icons";
import type { QueueTab, ReviewQueue } from "~/review/queue.server";

const TABS: { id: QueueTab; label: string; empty: string }[] = [
  { id: "needs-review", label: "Needs review", empty: "Nothing waiting. Generate images from the Products page and they appear here." },
  { id: "approved", label: "Approved, not published", empty: "No approved images waiting to go on a product." },
  { id: "published", label: "Published", empty: "No generated image is on a product yet." },
  { id: "ab", label: "A/B candidates", empty: "No image is marked for an A/B test yet." },
];

interface Props {
  queue: ReviewQueue;
  loading: boolean;
  onTab: (tab: QueueTab) => void;
  onPage: (page: number) => void;
}

/** Products with generated images, by where their images stand. */
export function ReviewQueueView({ queue, loading, onTab, onPage }: Props) {
  const selected = Math.max(0, TABS.findIndex((t) => t.id === queue.tab));
  const tab = TABS[selected] ?? TABS[0]!;
  return (
    <Page title="Review" subtitle="Every generated image, by where it stands">
      <Card padding="0">
        <Tabs
          tabs={TABS.map((t) => ({ id: t.id, content: t.label, badge: String(queue.counts[t.id]), accessibilityLabel: `${t.label}: ${queue.counts[t.id]} images` }))}
          selected={selected}
          onSelect={(index) => onTab(TABS[index]!.id)}
        />
        <IndexTable
          resourceName={{ singular: "product", plural: "products" }}
          itemCount={queue.rows.length}
          selectable={false}
          loading={loading}
          emptyState={
            <EmptyState heading={`${tab.label}: nothing here`} image="">
              <p>{tab.empty}</p>
            </EmptyState>
          }
          headings={[{ title: "" }, { title: "Product" }, { title: "Images", alignment: "end" }, { title: "Latest" }]}
        >
          {queue.rows.map((row, index) => (
            <IndexTable.Row id={row.productGid} key={row.productGid} position={index}>
              <IndexTable.Cell>
                <Thumbnail source={row.featuredImageUrl ?? ImageIcon} alt="" size="small" />
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Link url={`/app/review/${row.productGid.split("/").pop()}`} removeUnderline dataPrimaryLink>
                  {row.title}
                </Link>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  <Badge>{String(row.images)}</Badge>
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{new Date(row.latestAt).toLocaleString()}</IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
        {(queue.page > 0 || queue.hasNext) && (
          <div style={{ display: "flex", justifyContent: "center", padding: "12px" }}>
            <Pagination hasPrevious={queue.page > 0} onPrevious={() => onPage(queue.page - 1)} hasNext={queue.hasNext} onNext={() => onPage(queue.page + 1)} />
          </div>
        )}
      </Card>
    </Page>
  );
}
