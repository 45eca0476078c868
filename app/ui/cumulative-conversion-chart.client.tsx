/**
 * The polaris-viz line chart of the experiment page. Browser only (`.client`):
 * polaris-viz measures its container and animates with browser APIs, and it
 * is loaded on demand so only this page pays for it.
 */
import { LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import "@shopify/polaris-viz/build/esm/styles.css";

// Control in grey, variants in colours far apart (the default palette's blues are hard to tell apart).
const ARM_COLOURS = ["#5c5f62", "#2c6ecb", "#d97706", "#7c3aed"];

export interface ArmLine {
  name: string;
  /** key: UTC day (YYYY-MM-DD); value: cumulative rate, null before the arm's first visitor. */
  data: Array<{ key: string; value: number | null }>;
}

export default function CumulativeConversionChart({ lines, formatDay, formatRate }: { lines: ArmLine[]; formatDay: (day: string) => string; formatRate: (rate: number) => string }) {
  return (
    <PolarisVizProvider>
      <LineChart
        data={lines.map((line, i) => ({ ...line, color: ARM_COLOURS[i % ARM_COLOURS.length] }))}
        xAxisOptions={{ labelFormatter: (day) => formatDay(String(day)) }}
        yAxisOptions={{ labelFormatter: (rate) => formatRate(Number(rate)) }}
        tooltipOptions={{ titleFormatter: (day) => formatDay(String(day)), valueFormatter: (rate) => formatRate(Number(rate)) }}
      />
    </PolarisVizProvider>
  );
}
