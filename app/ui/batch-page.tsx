import { useEffect, useState } from "react";
import { useAppBridge } from "@shopify/app-bridge-react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, List, Page, ProgressBar, Text } from "@shopify/polaris";
import type { BatchProgress, ItemState } from "~/batches/progress.server";
import { formatMoney } from "~/generation/estimate/money";

export type BatchIntent = "pause" | "resume" | "cancel" | "retry";

interface Props {
  initial: BatchProgress;
  presetNames: Record<string, string>;
  busy: boolean;
  error: string | null;
  onIntent: (intent: BatchIntent) => void;
  /** Asks the server for a fresh snapshot; used when the live stream is unavailable. */
  onRevalidate: () => void;
}

const OPEN_STATUSES = new Set(["queued", "running"]);
const STATUS_TONE: Record<string, "info" | "success" | "attention" | "critical" | undefined> = {
  queued: "info",
  running: "info",
  completed: "success",
  paused: "attention",
  canceled: undefined,
};
const STATE_LABELS: Record<ItemState, string> = {
  queued: "Waiting",
  running: "Making",
  succeeded: "Done",
  failed: "Failed",
  blocked: "Blocked",
  canceled: "Canceled",
};
/** Fallback polling when server-sent events cannot be opened. */
const REVALIDATE_MS = 5_000;
/** Session tokens live a minute; a fresh stream with a fresh token before the proxy or token gives up. */
const STREAM_RENEW_MS = 50_000;

function duration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 60 ? `${minutes} min` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * Follows the batch over server-sent events while it runs; the page's own
 * loader data is the fallback (revalidated on a timer) when the stream fails.
 */
function useLiveProgress(initial: BatchProgress, onRevalidate: () => void): BatchProgress {
  const shopify = useAppBridge();
  const [live, setLive] = useState<BatchProgress | null>(null);
  const open = OPEN_STATUSES.has((live ?? initial).status);
  useEffect(() => setLive(null), [initial]);
  useEffect(() => {
    if (!open) return;
    let source: EventSource | null = null;
    let fallback: ReturnType<typeof setInterval> | null = null;
    let renew: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    const connect = async () => {
      const params = new URLSearchParams(window.location.search);
      params.set("id_token", await shopify.idToken());
      if (stopped) return;
      source = new EventSource(`/app/batches/${initial.id}/events?${params.toString()}`);
      source.onmessage = (event: MessageEvent<string>) => setLive(JSON.parse(event.data) as BatchProgress);
      source.onerror = () => {
        source?.close();
        fallback ??= setInterval(onRevalidate, REVALIDATE_MS);
      };
      renew = setTimeout(() => {
        source?.close();
        void connect();
      }, STREAM_RENEW_MS);
    };
    void connect().catch(() => (fallback ??= setInterval(onRevalidate, REVALIDATE_MS)));
    return () => {
      stopped = true;
      source?.close();
      if (fallback) clearInterval(fallback);
      if (renew) clearTimeout(renew);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [initial.id, open]);
  return live ?? initial;
}

export function BatchPage({ initial, presetNames, busy, error, onIntent, onRevalidate }: Props) {
  const progress = useLiveProgress(initial, onRevalidate);
  const { counts } = progress;
  const open = OPEN_STATUSES.has(progress.status);
  const failedCount = counts.failed;

  const rows = progress.products.map((product) => [
    product.title,
    String(product.counts.succeeded),
    String(product.counts.queued + product.counts.running),
    String(product.counts.failed + product.counts.blocked),
  ]);
  const errors = progress.products.flatMap((product) =>
    product.errors.map((e) => ({ ...e, title: product.title })),
  );

  return (
    <Page
      title="Image batch"
      backAction={{ content: "Batches", url: "/app/batches" }}
      titleMetadata={<Badge tone={STATUS_TONE[progress.status]}>{progress.status}</Badge>}
      primaryAction={
        progress.status === "paused"
          ? { content: "Resume", onAction: () => onIntent("resume"), loading: busy }
          : open
            ? { content: "Pause", onAction: () => onIntent("pause"), loading: busy }
            : counts.succeeded > 0
              ? { content: "Review images", url: "/app/review" }
              : undefined
      }
      secondaryActions={[
        ...(open || progress.status === "paused" ? [{ content: "Cancel batch", destructive: true, onAction: () => onIntent("cancel"), disabled: busy }] : []),
        ...(failedCount > 0 && progress.status !== "canceled"
          ? [{ content: `Retry ${failedCount} failed`, onAction: () => onIntent("retry"), disabled: busy }]
          : []),
      ]}
    >
      <BlockStack gap="400">
        {error && <Banner tone="critical" title={error} />}
        {progress.pausedMessage && <Banner tone="warning" title={progress.pausedMessage} />}
        <Card>
          <BlockStack gap="300">
            <ProgressBar progress={Math.round(progress.fraction * 100)} tone={progress.status === "paused" ? "critical" : "highlight"} />
            <InlineStack gap="300" wrap>
              {(Object.keys(STATE_LABELS) as ItemState[]).map((state) => (
                <Text as="span" key={state}>
                  {STATE_LABELS[state]}: <Text as="span" fontWeight="bold">{counts[state]}</Text>
                </Text>
              ))}
              <Text as="span" tone="subdued">
                of {progress.total} images
              </Text>
            </InlineStack>
            <InlineStack gap="400" wrap>
              <Text as="span">
                Spent {formatMoney(progress.spentMicros)} of an estimated {formatMoney(progress.estimatedMicros)}
              </Text>
              {progress.itemsPerMinute !== null && <Text as="span">{progress.itemsPerMinute.toFixed(1)} images/min</Text>}
              {progress.etaSeconds !== null && open && <Text as="span">About {duration(progress.etaSeconds)} left</Text>}
            </InlineStack>
          </BlockStack>
        </Card>
        <Card padding="0">
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric"]}
            headings={["Product", "Done", "Waiting", "Problems"]}
            rows={rows}
          />
        </Card>
        {errors.length > 0 && (
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingSm">
                Problems
              </Text>
              <List>
                {errors.map((e) => (
                  <List.Item key={e.itemId}>
                    <Text as="span" fontWeight="semibold">
                      {e.title} · {presetNames[e.presetId] ?? e.presetId} #{e.candidateIndex + 1}
                    </Text>{" "}
                    <Badge tone={e.state === "queued" ? "info" : "critical"}>{e.state === "queued" ? "will retry" : e.state}</Badge> {e.reason}
                    {e.paidMicros > 0 && (
                      <Text as="span" tone="subdued">
                        {" "}
                        Paid {formatMoney(e.paidMicros)}, image not saved.
                      </Text>
                    )}
                  </List.Item>
                ))}
              </List>
            </BlockStack>
          </Card>
        )}
        <Button url="/app" variant="plain">
          Back to products
        </Button>
      </BlockStack>
    </Page>
  );
}
