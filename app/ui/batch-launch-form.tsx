import { useEffect, useMemo, useState } from "react";
import { Banner, BlockStack, Button, Card, Checkbox, ChoiceList, InlineStack, Page, Select, Text, TextField } from "@shopify/polaris";
import type { BatchRequest } from "~/batches/batch-request";
import { formatMoney } from "~/generation/estimate/money";
import { presetsAvailableFor } from "~/generation/presets/availability";
import type { Preset } from "~/generation/presets/types";
import type { Background, ImageFormat, Quality } from "~/generation/provider";
import type { ProviderModelOption } from "~/providers/registry.server";

export interface LaunchEstimate {
  ok: boolean;
  reasons: string[];
  plan: { items: number; costMicros: number; durationSeconds: number; budget: { remainingMicros: number; monthlyBudgetMicros: number } } | null;
}

interface Props {
  products: { id: string; title: string }[];
  /** Only what availability needs; templates stay on the server. */
  presets: Pick<Preset, "id" | "name" | "category" | "requires">[];
  providers: ProviderModelOption[];
  /** The shop's default presets (settings page), chosen when the form opens. */
  defaultPresetIds: string[];
  maxCandidates: number;
  estimate: LaunchEstimate | null;
  estimating: boolean;
  launching: boolean;
  error: string | null;
  onEstimate: (request: BatchRequest) => void;
  onLaunch: (request: BatchRequest) => void;
}

const QUALITY_LABELS: Record<Quality, string> = { low: "Draft", medium: "Standard", high: "High", auto: "Let the provider choose" };
const BACKGROUND_LABELS: Record<Background, string> = { opaque: "Scene", transparent: "Transparent", auto: "Let the provider choose" };
const ALL_QUALITIES: Quality[] = ["low", "medium", "high", "auto"];
const ALL_FORMATS: ImageFormat[] = ["png", "jpeg", "webp"];
const ESTIMATE_DEBOUNCE_MS = 400;

function duration(seconds: number): string {
  if (seconds < 90) return `about ${seconds} seconds`;
  const minutes = Math.round(seconds / 60);
  return minutes < 90 ? `about ${minutes} minutes` : `about ${Math.round(minutes / 60)} hours`;
}

/** Chooses presets and options for the selected products, shows the live estimate, and launches. */
export function BatchLaunchForm(props: Props) {
  const { products, presets, providers, maxCandidates, estimate, estimating, launching, error } = props;
  const initialProvider = providers.find((p) => p.isDefault) ?? providers[0];
  const [choice, setChoice] = useState(initialProvider ? `${initialProvider.providerId}|${initialProvider.model}` : "");
  const provider = providers.find((p) => `${p.providerId}|${p.model}` === choice) ?? initialProvider;
  const [presetIds, setPresetIds] = useState<string[]>(props.defaultPresetIds);
  const [candidates, setCandidates] = useState("2");
  const [size, setSize] = useState("1024x1024");
  const [quality, setQuality] = useState<Quality>("medium");
  const [format, setFormat] = useState<ImageFormat>("webp");
  const [background, setBackground] = useState<Background>("opaque");
  const [useReference, setUseReference] = useState(true);
  const [brandKit, setBrandKit] = useState(false);

  const availability = useMemo(
    () => (provider ? presetsAvailableFor(provider.capabilities, presets as Preset[]) : []),
    [provider, presets],
  );
  const available = new Set(availability.filter((a) => a.available).map((a) => a.preset.id));
  const chosenPresets = presetIds.filter((id) => available.has(id));
  const capabilities = provider?.capabilities;
  const sizes = capabilities ? [...capabilities.sizes.fixed, ...(capabilities.sizes.auto ? ["auto"] : [])] : [];

  // A provider that only edits needs the photo; one that cannot read photos never gets it.
  const withPhoto = capabilities ? capabilities.editWithReferences && (useReference || !capabilities.generate) : useReference;
  const request: BatchRequest | null = provider
    ? {
        productGids: products.map((p) => p.id),
        presetIds: chosenPresets,
        candidatesPerProduct: Number(candidates),
        providerId: provider.providerId,
        model: provider.model,
        options: { size, quality, format, background, useReference: withPhoto, brandKit },
      }
    : null;
  const requestKey = JSON.stringify(request);

  useEffect(() => {
    if (!request || request.presetIds.length === 0) return;
    const timer = setTimeout(() => props.onEstimate(request), ESTIMATE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [requestKey]);

  if (!provider || !capabilities) {
    return (
      <Page title="Generate images">
        <Banner tone="critical" title="No image provider is set up on this app." />
      </Page>
    );
  }

  const blocking = estimate && !estimate.ok ? estimate.reasons : [];
  return (
    <Page
      title="Generate images"
      subtitle={`${products.length} product${products.length === 1 ? "" : "s"} selected`}
      backAction={{ content: "Products", url: "/app" }}
      primaryAction={{
        content: "Launch batch",
        loading: launching,
        disabled: chosenPresets.length === 0 || estimating || !estimate?.ok,
        onAction: () => request && props.onLaunch(request),
      }}
    >
      <BlockStack gap="400">
        {error && <Banner tone="critical" title={error} />}
        <Card>
          <BlockStack gap="300">
            <Select
              label="Image provider"
              options={providers.map((p) => ({ label: p.notice ? `${p.label} (${p.notice})` : p.label, value: `${p.providerId}|${p.model}` }))}
              value={choice}
              onChange={setChoice}
            />
            <ChoiceList
              title="Presets"
              allowMultiple
              choices={availability.map((a) => ({
                label: a.preset.name,
                value: a.preset.id,
                disabled: !a.available,
                helpText: a.available ? a.preset.category : a.reason,
              }))}
              selected={chosenPresets}
              onChange={setPresetIds}
            />
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="300">
            <TextField
              label="Candidates per product and preset"
              type="number"
              min={1}
              max={maxCandidates}
              value={candidates}
              onChange={setCandidates}
              autoComplete="off"
            />
            <InlineStack gap="300" wrap>
              <Select label="Size" options={sizes} value={size} onChange={setSize} />
              <Select
                label="Quality"
                options={ALL_QUALITIES.map((q) => {
                  const offered = capabilities.qualities.includes(q);
                  return { label: offered ? QUALITY_LABELS[q] : `${QUALITY_LABELS[q]} (not offered by this provider)`, value: q, disabled: !offered };
                })}
                value={quality}
                onChange={(v) => setQuality(v as Quality)}
              />
              <Select
                label="Format"
                options={ALL_FORMATS.map((f) => {
                  const offered = capabilities.formats.includes(f);
                  return { label: offered ? f.toUpperCase() : `${f.toUpperCase()} (this provider cannot save it)`, value: f, disabled: !offered };
                })}
                value={format}
                onChange={(v) => setFormat(v as ImageFormat)}
              />
              <Select
                label="Background"
                options={(["opaque", "transparent", "auto"] as const).map((b) => {
                  const unavailable = b === "transparent" && !capabilities.transparentBackground;
                  return {
                    label: unavailable ? `${BACKGROUND_LABELS[b]} (this provider cannot make transparent backgrounds)` : BACKGROUND_LABELS[b],
                    value: b,
                    disabled: unavailable,
                  };
                })}
                value={background}
                onChange={(v) => setBackground(v as Background)}
              />
            </InlineStack>
            <Checkbox
              label="Use the product photo"
              helpText={
                !capabilities.editWithReferences
                  ? "This provider cannot use photos."
                  : !capabilities.generate
                    ? "This provider always works from your photo; it cannot make images from text alone."
                    : "The provider works from your photo so the product stays true to life."
              }
              checked={withPhoto}
              disabled={!capabilities.editWithReferences || !capabilities.generate}
              onChange={setUseReference}
            />
            <Checkbox label="Apply my brand kit" checked={brandKit} onChange={setBrandKit} />
          </BlockStack>
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingSm">
              Estimate
            </Text>
            {chosenPresets.length === 0 && <Text as="p">Choose at least one preset to see the cost and time.</Text>}
            {estimate?.plan && chosenPresets.length > 0 && (
              <Text as="p">
                {estimate.plan.items} images, {formatMoney(estimate.plan.costMicros)}, {duration(estimate.plan.durationSeconds)}.{" "}
                {formatMoney(estimate.plan.budget.remainingMicros)} of this month's {formatMoney(estimate.plan.budget.monthlyBudgetMicros)} budget remains.
              </Text>
            )}
            {blocking.length > 0 && (
              <Banner tone="warning" title="This batch cannot start yet">
                <BlockStack gap="100">
                  {blocking.map((reason) => (
                    <Text as="p" key={reason}>
                      {reason}
                    </Text>
                  ))}
                </BlockStack>
              </Banner>
            )}
            <InlineStack>
              <Button onClick={() => request && props.onEstimate(request)} loading={estimating} disabled={chosenPresets.length === 0}>
                Refresh estimate
              </Button>
            </InlineStack>
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
