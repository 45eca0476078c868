import { Banner, BlockStack, Button, Card, Checkbox, Page, Select, Text } from "@shopify/polaris";
import { Form } from "@remix-run/react";
import { useState } from "react";

export interface AbProduct {
  productGid: string;
  title: string;
  candidates: Array<{ id: string; label: string }>;
}

/** Pick a product and up to three of its A/B candidates; the product's current featured image is the control. */
export function ExperimentNewForm({ products, maxVariants, error }: { products: AbProduct[]; maxVariants: number; error?: string | null }) {
  const [productGid, setProductGid] = useState(products[0]?.productGid ?? "");
  const [chosen, setChosen] = useState<string[]>([]);
  const product = products.find((p) => p.productGid === productGid);
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
                  The product&apos;s current featured image is the control. Choose 1 to {maxVariants} variants; traffic is split evenly.
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
