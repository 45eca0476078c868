import { Badge, Card, EmptyState, IndexTable, Link, Page, Text } from "@shopify/polaris";
import type { BatchSummary } from "~/batches/list.server";
import { formatMoney } from "~/generation/estimate/money";

const STATUS_TONE: Record<string, "info" | "success" | "attention" | undefined> = {
  queued: "info",
  running: "info",
  completed: "success",
  paused: "attention",
};

export function BatchList({ batches }: { batches: BatchSummary[] }) {
  return (
    <Page title="Image batches" backAction={{ content: "Products", url: "/app" }}>
      <Card padding="0">
        <IndexTable
          resourceName={{ singular: "batch", plural: "batches" }}
          itemCount={batches.length}
          selectable={false}
          emptyState={
            <EmptyState heading="No batches yet" image="">
              <p>Select products on the Products page and choose “Generate images”.</p>
            </EmptyState>
          }
          headings={[{ title: "Started" }, { title: "Status" }, { title: "Provider" }, { title: "Progress", alignment: "end" }, { title: "Problems", alignment: "end" }, { title: "Estimate", alignment: "end" }]}
        >
          {batches.map((batch, index) => (
            <IndexTable.Row id={batch.id} key={batch.id} position={index}>
              <IndexTable.Cell>
                <Link url={`/app/batches/${batch.id}`} removeUnderline>
                  {new Date(batch.createdAt).toLocaleString()}
                </Link>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Badge tone={STATUS_TONE[batch.status]}>{batch.status}</Badge>
              </IndexTable.Cell>
              <IndexTable.Cell>
                {batch.providerId} · {batch.model}
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {batch.settled} / {batch.total}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {batch.failed}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {formatMoney(batch.estimatedMicros)}
                </Text>
              </IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </Card>
    </Page>
  );
}
