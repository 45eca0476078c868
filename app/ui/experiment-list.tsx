import { Badge, Card, EmptyState, IndexTable, Link, Page, Text } from "@shopify/polaris";

export interface ExperimentRow {
  id: string;
  productTitle: string;
  status: string;
  pendingAction: string | null;
  arms: number;
  visitors: number;
  startedAt: string | null;
}

export const EXPERIMENT_STATUS: Record<string, { label: string; tone?: "info" | "success" | "attention" }> = {
  draft: { label: "Draft" },
  running: { label: "Running", tone: "info" },
  paused: { label: "Paused", tone: "attention" },
  stopped: { label: "Stopped" },
  winner_applied: { label: "Winner applied", tone: "success" },
};

/** The status as the list shows it: a start or apply the worker is still running says so, not the state it leaves. */
export function listStatus(row: Pick<ExperimentRow, "status" | "pendingAction">): { label: string; tone?: "info" | "success" | "attention" } {
  if (row.pendingAction === "start") return { label: row.status === "paused" ? "Resuming…" : "Starting…", tone: "info" };
  if (row.pendingAction === "apply") return { label: "Applying the winner…", tone: "info" };
  return EXPERIMENT_STATUS[row.status] ?? { label: row.status };
}

export function ExperimentList({ experiments }: { experiments: ExperimentRow[] }) {
  return (
    <Page title="Image A/B tests" primaryAction={{ content: "New test", url: "/app/experiments/new" }}>
      <Card padding="0">
        <IndexTable
          resourceName={{ singular: "test", plural: "tests" }}
          itemCount={experiments.length}
          selectable={false}
          emptyState={
            <EmptyState heading="No A/B tests yet" image="">
              <p>Mark generated images as A/B candidates while reviewing, then start a test from them here.</p>
            </EmptyState>
          }
          headings={[{ title: "Product" }, { title: "Status" }, { title: "Arms", alignment: "end" }, { title: "Visitors", alignment: "end" }, { title: "Started" }]}
        >
          {experiments.map((e, index) => (
            <IndexTable.Row id={e.id} key={e.id} position={index}>
              <IndexTable.Cell>
                <Link url={`/app/experiments/${e.id}`} removeUnderline>
                  {e.productTitle}
                </Link>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Badge tone={listStatus(e).tone}>{listStatus(e).label}</Badge>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {e.arms}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>
                <Text as="span" alignment="end" numeric>
                  {e.visitors.toLocaleString("en-US")}
                </Text>
              </IndexTable.Cell>
              <IndexTable.Cell>{e.startedAt ? new Date(e.startedAt).toLocaleDateString() : "—"}</IndexTable.Cell>
            </IndexTable.Row>
          ))}
        </IndexTable>
      </Card>
    </Page>
  );
}
