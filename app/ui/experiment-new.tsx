import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, Page, Select, Text, TextField } from "@shopify/polaris";
import { Form } from "@remix-run/react";
import { useState } from "react";
import { trafficWeights } from "~/experiments/config";
import { sampleSizePerArm } from "~/experiments/stats";

export interface AbProduct {
  productGid: string;
  title: string;
  candidates: Array<{ id: string; label: string }>;
}

export interface ExperimentFormDefaults {
  /** The shop's default share of visitors for the variants. */
  trafficPercent: number;
  relativeMde: number;
  alpha: number;
  baseline: { rate: number; visitors: number } | null;
}

const count = (n: number) => n.toLocaleString("en-US");

/** The split the server will make from the control's share: the variants share the rest evenly. */
function splitFor(controlPercent: string, variants: number): number[] | null {
  const control = Number(controlPercent);
  if (variants < 1 || !Number.isInteger(control) || control < 1 || control > 100 - variants) return null;
  return trafficWeights(100 - control, variants);
}

/**
 * How many visitors the lift needs at the shop's measured add-to-cart rate, with
 * each variant compared at the analysis's Bonferroni-corrected alpha; nothing
 * when the shop has no measured rate to size from.
 */
export function sampleSizeGuidance(baseline: ExperimentFormDefaults["baseline"], mdePercent: number, split: number[], alpha: number): string | null {
  if (!baseline || !(mdePercent >= 1 && mdePercent <= 100)) return null;
  const perArm = sampleSizePerArm(baseline.rate, mdePercent / 100, alpha / (split.length - 1));
  // The smallest arm fills last: everyone else keeps arriving meanwhile.
  const total = Math.ceil((perArm * 100) / Math.min(...split));
  return (
    `At your earlier tests' ${(baseline.rate * 100).toFixed(1)}% add-to-cart rate (control images, ${count(baseline.visitors)} visitors), ` +
    `detecting a ${mdePercent}% lift needs about ${count(perArm)} visitors per arm: about ${count(total)} product visitors in all at this split.`
  );
}

/**
 * Pick a product and up to three of its A/B candidates (the product's current
 * featured image is the control), the control's share of visitors and the
 * smallest lift worth detecting. When the shop's earlier tests measured an
 * add-to-cart rate, the form says how many visitors that lift needs.
 */
export function ExperimentNewForm({
  products,
  maxVariants,
  defaults,
  error,
  fieldErrors,
}: {
  products: AbProduct[];
  maxVariants: number;
  defaults: ExperimentFormDefaults;
  error?: string | null;
  fieldErrors?: { controlPercent?: string; mdePercent?: string };
}) {
  const [productGid, setProductGid] = useState(products[0]?.productGid ?? "");
  const [chosen, setChosen] = useState<string[]>([]);
  // Untouched, the control's share follows the shop's default for the number of variants chosen.
  const [controlEdited, setControlEdited] = useState<string | null>(null);
  const [mdePercent, setMdePercent] = useState(String(Math.round(defaults.relativeMde * 100)));
  const product = products.find((p) => p.productGid === productGid);
  const controlPercent = controlEdited ?? String(trafficWeights(defaults.trafficPercent, Math.max(chosen.length, 1))[0]);
  const split = splitFor(controlPercent, chosen.length);
  const guidance = split ? sampleSizeGuidance(defaults.baseline, Number(mdePercent), split, defaults.alpha) : null;
  return (
    <Page title="New image A/B test" backAction={{ content: "A/B tests", url: "/app/experiments" }}>
      <BlockStack gap="400">
        {error ? <Banner tone="critical">{error}</Banner> : null}
        {products.length === 0 ? (
          <Banner tone="info">No product has A/B candidates yet. Mark generated images as A/B candidates while reviewing them.</Banner>
        ) : (
          <Form method="post">
            <Card>
              <BlockStack gap="400">
                <Select
                  label="Product"
                  name="productGid"
                  options={products.map((p) => ({ label: `${p.title} (${p.candidates.length})`, value: p.productGid }))}
                  value={productGid}
                  onChange={(value) => {
                    setProductGid(value);
                    setChosen([]);
                  }}
                />
                <Text as="p" tone="subdued">
                  The product&apos;s current featured image is the control. Choose 1 to {maxVariants} variants.
                </Text>
                {product?.candidates.map((c) => (
                  <Checkbox
                    key={c.id}
                    label={c.label}
                    checked={chosen.includes(c.id)}
                    disabled={!chosen.includes(c.id) && chosen.length >= maxVariants}
                    onChange={(checked) => setChosen(checked ? [...chosen, c.id] : chosen.filter((id) => id !== c.id))}
                  />
                ))}
                {chosen.map((id) => (
                  <input key={id} type="hidden" name="candidateId" value={id} />
                ))}
                <FormLayout>
                  <FormLayout.Group>
                    <TextField
                      label="Share of visitors who see the current image (control)"
                      name="controlPercent"
                      type="number"
                      min={1}
                      max={100 - Math.max(chosen.length, 1)}
                      suffix="%"
                      autoComplete="off"
                      value={controlPercent}
                      onChange={setControlEdited}
                      error={fieldErrors?.controlPercent}
                      helpText={
                        split
                          ? `Control ${split[0]}%, ${split
                              .slice(1)
                              .map((w, i) => `Variant ${String.fromCharCode(66 + i)} ${w}%`)
                              .join(", ")}.`
                          : "The variants share the rest evenly."
                      }
                    />
                    <TextField
                      label="Smallest lift worth detecting"
                      name="mdePercent"
                      type="number"
                      min={1}
                      max={100}
                      suffix="%"
                      autoComplete="off"
                      value={mdePercent}
                      onChange={setMdePercent}
                      error={fieldErrors?.mdePercent}
                      helpText="Relative to the control's add-to-cart rate: smaller lifts need many more visitors."
                    />
                  </FormLayout.Group>
                </FormLayout>
                {guidance ? (
                  <Text as="p" tone="subdued">
                    {guidance}
                  </Text>
                ) : null}
                <Button submit variant="primary" disabled={chosen.length === 0}>
                  Create test
                </Button>
              </BlockStack>
            </Card>
          </Form>
        )}
      </BlockStack>
    </Page>
  );
}
