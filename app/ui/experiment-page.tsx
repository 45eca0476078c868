import { Badge, Banner, BlockStack, Button, Card, Checkbox, DataTable, InlineStack, Page, Select, Spinner, Text } from "@shopify/polaris";
import { Form } from "@remix-run/react";
import { lazy, Suspense, useEffect, useState } from "react";
import type { Analysis } from "~/experiments/analysis";
import type { ArmLine } from "./cumulative-conversion-chart.client";
import { EXPERIMENT_STATUS } from "./experiment-list";

export interface ExperimentView {
  id: string;
  productTitle: string;
  status: string;
  startedAt: string | null;
  stoppedAt: string | null;
  lastError: string | null;
  /** A start or apply-winner the merchant asked for, running in its job; the page reloads until it ends. */
  pendingAction: string | null;
  pendingArmKey: string | null;
  pendingDeleteLosers: boolean;
  /** Nothing has been heard of its job for long: the page offers to ask again. */
  pendingStale: boolean;
  winnerArmKey: string | null;
  /** "max_days" when the worker stopped it at the shop's longest test duration; null otherwise. */
  stopReason: string | null;
  controlImageUrl: string;
  arms: Array<{ key: string; label: string; isControl: boolean; weight: number; imageUrl: string | null; fileStatus: string }>;
}

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;
const DECISION_TONE = { srm: "critical", variant_better: "success", control_better: "warning", collecting: "info" } as const;
const CHART_HEIGHT = 260;

function Action({ intent, label, primary, destructive, fields = {} }: { intent: string; label: string; primary?: boolean; destructive?: boolean; fields?: Record<string, string> }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button submit variant={primary ? "primary" : undefined} tone={destructive ? "critical" : undefined}>
        {label}
      </Button>
    </Form>
  );
}

/** Make one arm's image the product's featured image; optionally delete the losing variants' Files. */
function ApplyWinner({ arms, suggested }: { arms: ExperimentView["arms"]; suggested: string | null }) {
  const [arm, setArm] = useState(suggested ?? arms[0]?.key ?? "a");
  const [deleteLosers, setDeleteLosers] = useState(false);
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="apply" />
      <input type="hidden" name="deleteLosers" value={deleteLosers ? "yes" : "no"} />
      <InlineStack gap="300" blockAlign="end">
        <Select label="Winner" name="arm" options={arms.map((a) => ({ label: a.label, value: a.key }))} value={arm} onChange={setArm} />
        <Checkbox label="Delete the losing variant images from Files" checked={deleteLosers} onChange={setDeleteLosers} />
        <Button submit>Apply winner</Button>
      </InlineStack>
    </Form>
  );
}

// polaris-viz is large and needs the browser: a chunk of its own, loaded after hydration. If that
// chunk cannot load (a deploy since the page was opened, a dropped connection), the table stays.
const CumulativeConversionChart = lazy(() => import("./cumulative-conversion-chart.client").catch(() => ({ default: ChartUnavailable })));

const formatDay = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

/** The same numbers as the chart, for the server render and until the chart's code has loaded. */
function CumulativeTable({ lines }: { lines: ArmLine[] }) {
  return (
    <DataTable
      increasedTableDensity
      columnContentTypes={["text", ...lines.map(() => "numeric" as const)]}
      headings={["Day", ...lines.map((line) => line.name)]}
      rows={(lines[0]?.data ?? []).map(({ key }, day) => [formatDay(key), ...lines.map((line) => (line.data[day]?.value == null ? "—" : pct(line.data[day].value)))])}
    />
  );
}

function ChartUnavailable({ lines }: { lines: ArmLine[] }) {
  return (
    <BlockStack gap="100">
      <CumulativeTable lines={lines} />
      <Text as="p" tone="subdued">
        The chart could not be loaded; reload the page to try again.
      </Text>
    </BlockStack>
  );
}

/** Cumulative add-to-cart rate per exposed visitor, one line per arm, by day. */
function CumulativeConversion({ series, arms }: { series: Analysis["series"]; arms: ExperimentView["arms"] }) {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  if (series.length === 0) return <Text as="p" tone="subdued">No visitors yet: the chart starts with the first day of data.</Text>;
  const lines: ArmLine[] = arms.map((arm) => ({ name: arm.label, data: series.map(({ day, rates }) => ({ key: day, value: rates[arm.key] ?? null })) }));
  const table = <CumulativeTable lines={lines} />;
  return (
    <div style={{ height: CHART_HEIGHT, overflowY: "auto" }} data-chart="cumulative-conversion">
      {hydrated ? (
        <Suspense fallback={table}>
          <CumulativeConversionChart lines={lines} formatDay={formatDay} formatRate={pct} />
        </Suspense>
      ) : (
        table
      )}
    </div>
  );
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Why the test ended when the merchant did not end it; null when they did. */
export function automaticStopMessage(experiment: Pick<ExperimentView, "stopReason" | "startedAt" | "stoppedAt">): string | null {
  if (experiment.stopReason !== "max_days" || !experiment.startedAt || !experiment.stoppedAt) return null;
  const days = Math.floor((Date.parse(experiment.stoppedAt) - Date.parse(experiment.startedAt)) / DAY_MS);
  return `This test stopped automatically after ${days} day${days === 1 ? "" : "s"}: it reached the longest test duration set in Settings. Shoppers see the control again; the results below are final.`;
}

/** What the job is doing, in the merchant's words. */
function pendingMessage(experiment: ExperimentView): string | null {
  if (experiment.pendingAction === "apply") {
    const arm = experiment.arms.find((a) => a.key === experiment.pendingArmKey);
    return `Applying the winner${arm ? ` (${arm.label})` : ""}…`;
  }
  if (experiment.pendingAction === "start") return experiment.status === "paused" ? "Resuming…" : "Starting…";
  return null;
}

export function ExperimentPage({ experiment, analysis, error }: { experiment: ExperimentView; analysis: Analysis; error?: string | null }) {
  const { status } = experiment;
  const pending = pendingMessage(experiment);
  const live = status === "running" || status === "paused";
  const stoppedAutomatically = automaticStopMessage(experiment);
  const rows = analysis.arms.map((arm) => [
    `${arm.label}${arm.isControl ? " (control)" : ""} · ${arm.weight}%`,
    arm.visitors.toLocaleString("en-US"),
    `${pct(arm.addToCartRate)} (${pct(arm.addToCartInterval.low)}–${pct(arm.addToCartInterval.high)})`,
    arm.comparison?.lift == null ? "—" : `${arm.comparison.lift >= 0 ? "+" : ""}${pct(arm.comparison.lift)}`,
    arm.comparison ? arm.comparison.sequentialPValue.toFixed(4) : "—",
    arm.comparison ? arm.comparison.zTest.pValue.toFixed(4) : "—",
    arm.comparison ? pct(arm.comparison.probabilityToBeatControl) : "—",
    pct(arm.purchaseRate, 2),
    arm.revenuePerVisitor.toFixed(2),
  ]);
  return (
    <Page
      title={`A/B test: ${experiment.productTitle}`}
      titleMetadata={<Badge tone={EXPERIMENT_STATUS[status]?.tone}>{EXPERIMENT_STATUS[status]?.label ?? status}</Badge>}
      backAction={{ content: "A/B tests", url: "/app/experiments" }}
    >
      <BlockStack gap="400">
        {error ? <Banner tone="critical">{error}</Banner> : null}
        {pending ? (
          <Banner tone="info">
            <InlineStack gap="200" blockAlign="center">
              <Spinner size="small" accessibilityLabel={pending} />
              <Text as="span" fontWeight="semibold">
                {pending}
              </Text>
              {experiment.lastError ? <Text as="span">The last attempt with Shopify failed ({experiment.lastError}); trying again.</Text> : null}
              {experiment.pendingStale ? (
                <>
                  <Text as="span">This is taking much longer than it should.</Text>
                  {experiment.pendingAction === "apply" ? (
                    <Action intent="apply" label="Try again" fields={{ arm: experiment.pendingArmKey ?? "", deleteLosers: experiment.pendingDeleteLosers ? "yes" : "no" }} />
                  ) : (
                    <Action intent="start" label="Try again" />
                  )}
                </>
              ) : null}
            </InlineStack>
          </Banner>
        ) : experiment.lastError ? (
          <Banner tone="warning">Last attempt with Shopify failed: {experiment.lastError}</Banner>
        ) : null}
        {stoppedAutomatically ? <Banner tone="info">{stoppedAutomatically}</Banner> : null}
        {status !== "draft" ? (
          <Banner tone={DECISION_TONE[analysis.decision.kind]} title={analysis.decision.message}>
            <p>{analysis.guidance.message}</p>
          </Banner>
        ) : null}
        {pending ? null : (
          <InlineStack gap="200">
            {status === "draft" ? <Action intent="start" label="Start test" primary /> : null}
            {status === "running" ? <Action intent="pause" label="Pause" /> : null}
            {status === "paused" ? <Action intent="start" label="Resume" primary /> : null}
            {live ? <Action intent="stop" label="Stop test" destructive /> : null}
            {live ? (
              <Text as="p" tone="subdued">
                While paused, shoppers see the control and nothing is counted.
              </Text>
            ) : null}
          </InlineStack>
        )}
        {!pending && status !== "draft" && status !== "winner_applied" ? (
          <Card>
            <ApplyWinner arms={experiment.arms} suggested={analysis.decision.kind === "variant_better" ? analysis.decision.armKey : null} />
          </Card>
        ) : null}
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              Add-to-cart rate per visitor (primary)
            </Text>
            <DataTable
              columnContentTypes={["text", "numeric", "text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
              headings={["Arm", "Visitors", "Add-to-cart (95% CI)", "Lift", "Always-valid p", "Fixed-horizon p", "P(beats control)", "Purchase rate", "Revenue / visitor"]}
              rows={rows}
            />
            <Text as="p" tone="subdued">
              The decision uses the always-valid p-value (mSPRT), safe to check every day, against {analysis.comparisonAlpha.toFixed(4)} per variant. The
              fixed-horizon p-value and the Bayesian probability are shown for reference; they are only valid when looked at once.
              {analysis.srm.mismatch ? "" : ` Traffic split check: p = ${analysis.srm.pValue.toFixed(3)}.`}
            </Text>
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              Cumulative add-to-cart rate per visitor
            </Text>
            <CumulativeConversion series={analysis.series} arms={experiment.arms} />
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="100">
            <Text as="p">Started: {experiment.startedAt ? new Date(experiment.startedAt).toLocaleString() : "not yet"}</Text>
            {experiment.stoppedAt ? <Text as="p">Stopped: {new Date(experiment.stoppedAt).toLocaleString()}</Text> : null}
            {experiment.winnerArmKey ? <Text as="p">Applied: {experiment.arms.find((a) => a.key === experiment.winnerArmKey)?.label}</Text> : null}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
