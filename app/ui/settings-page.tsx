import { useState } from "react";
import { Badge, Banner, BlockStack, Button, Card, Checkbox, ChoiceList, DataTable, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import type { SettingsUpdate, SettingsView } from "~/settings/settings-page.server";
import type { AutomationSettings, Schedule } from "~/settings/shop-settings";

interface Props {
  view: SettingsView;
  busy: boolean;
  result: { ok: boolean; intent: string | null; message: string | null } | null;
  onSave: (update: SettingsUpdate) => void;
}

const dollars = (micros: number | null) => (micros === null ? "" : (micros / 1_000_000).toFixed(2));
const toMicros = (text: string): number | null => {
  const value = Number(text.trim());
  return text.trim() === "" || !Number.isFinite(value) || value < 0 ? null : Math.round(value * 1_000_000);
};
const list = (text: string) => text.split(",").map((s) => s.trim()).filter(Boolean);

function Saved({ result, intent }: { result: Props["result"]; intent: string }) {
  if (!result || result.intent !== intent) return null;
  return result.ok ? <Banner tone="success">Saved.</Banner> : <Banner tone="critical">{result.message}</Banner>;
}

function PresetChoice({ view, selected, onChange, title }: { view: SettingsView; selected: string[]; onChange: (ids: string[]) => void; title: string }) {
  return (
    <ChoiceList
      title={title}
      allowMultiple
      choices={view.presets.map((p) => ({ label: `${p.name} (${p.category})`, value: p.id }))}
      selected={selected}
      onChange={onChange}
    />
  );
}

function AutomationCard({ view, busy, result, onSave }: Props) {
  const [a, setA] = useState<AutomationSettings>(view.settings.automation);
  const [perProduct, setPerProduct] = useState(dollars(a.perProductCapMicros));
  const [monthly, setMonthly] = useState(dollars(a.monthlyCapMicros));
  const providerValue = `${a.providerId}|${a.model}`;
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Automation for new products
        </Text>
        <Saved result={result} intent="automation" />
        <Checkbox label="Generate imagery when a product is created" checked={a.enabled} onChange={(enabled) => setA({ ...a, enabled })} />
        <PresetChoice view={view} title="Presets" selected={a.presetIds} onChange={(presetIds) => setA({ ...a, presetIds })} />
        <TextField
          label="Candidates per preset"
          type="number"
          autoComplete="off"
          value={String(a.candidatesPerProduct)}
          onChange={(v) => setA({ ...a, candidatesPerProduct: Number(v) })}
        />
        <Select
          label="Provider and model"
          options={view.providers.map((p) => ({ label: `${p.label} — ${p.model}`, value: `${p.providerId}|${p.model}` }))}
          value={providerValue}
          onChange={(v) => {
            const [providerId = "", model = ""] = v.split("|");
            setA({ ...a, providerId, model });
          }}
        />
        <Select
          label="Quality"
          options={["low", "medium", "high", "auto"].map((q) => ({ label: q, value: q }))}
          value={a.quality}
          onChange={(quality) => setA({ ...a, quality: quality as AutomationSettings["quality"] })}
        />
        <Checkbox label="Work from the product photo" checked={a.useReference} onChange={(useReference) => setA({ ...a, useReference })} />
        <InlineStack gap="400">
          <TextField label="Cost cap per product (USD, empty = none)" autoComplete="off" value={perProduct} onChange={setPerProduct} />
          <TextField label="Automation cap per month (USD, empty = none)" autoComplete="off" value={monthly} onChange={setMonthly} />
        </InlineStack>
        <ChoiceList
          title="When the images are ready"
          choices={[
            { label: "Leave them for review (a “new” badge shows in the app)", value: "review" },
            { label: "Publish the best as featured image, only when the product has no image of its own", value: "auto-publish-if-no-image" },
          ]}
          selected={[a.resultMode]}
          onChange={([resultMode]) => setA({ ...a, resultMode: (resultMode ?? "review") as AutomationSettings["resultMode"] })}
        />
        <Checkbox
          label="Refresh when a product's title or description changes meaningfully"
          checked={a.refreshOnEdit}
          onChange={(refreshOnEdit) => setA({ ...a, refreshOnEdit })}
        />
        <TextField
          label="Wait for edits to settle (seconds)"
          type="number"
          autoComplete="off"
          value={String(a.refreshDebounceSeconds)}
          onChange={(v) => setA({ ...a, refreshDebounceSeconds: Number(v) })}
        />
        <InlineStack>
          <Button
            variant="primary"
            loading={busy}
            onClick={() => onSave({ intent: "automation", value: { ...a, perProductCapMicros: toMicros(perProduct), monthlyCapMicros: toMicros(monthly) } })}
          >
            Save automation
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function SchedulesCard({ view, busy, result, onSave }: Props) {
  const [schedules, setSchedules] = useState<Schedule[]>(view.settings.schedules);
  const [name, setName] = useState("");
  const [presetIds, setPresetIds] = useState<string[]>([]);
  const [products, setProducts] = useState("");
  const [startsAt, setStartsAt] = useState("");
  const [everyHours, setEveryHours] = useState("168");
  const add = () => {
    const id = name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40) || `schedule-${schedules.length + 1}`;
    const productGids = list(products).map((p) => (/^\d+$/.test(p) ? `gid://shopify/Product/${p}` : p));
    const start = new Date(startsAt);
    setSchedules([
      ...schedules,
      { id, name, enabled: true, presetIds, productGids, candidatesPerProduct: 1, startsAt: Number.isNaN(start.getTime()) ? startsAt : start.toISOString(), everyHours: Number(everyHours) },
    ]);
  };
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Scheduled refresh
        </Text>
        <Text as="p" tone="subdued">
          Re-run presets for chosen products on a schedule (e.g. a seasonal preset before a holiday). Candidates wait for review; the same budgets apply.
        </Text>
        <Saved result={result} intent="schedules" />
        {schedules.map((s) => (
          <InlineStack key={s.id} gap="300" blockAlign="center">
            <Text as="span">
              {s.name}: {s.presetIds.join(", ")} for {s.productGids.length} product(s), every {s.everyHours} h from {s.startsAt}
            </Text>
            <Checkbox label="On" checked={s.enabled} onChange={(enabled) => setSchedules(schedules.map((x) => (x.id === s.id ? { ...x, enabled } : x)))} />
            <Button variant="plain" tone="critical" onClick={() => setSchedules(schedules.filter((x) => x.id !== s.id))}>
              Remove
            </Button>
          </InlineStack>
        ))}
        <TextField label="Name" autoComplete="off" value={name} onChange={setName} />
        <PresetChoice view={view} title="Presets" selected={presetIds} onChange={setPresetIds} />
        <TextField label="Product ids (comma-separated)" autoComplete="off" value={products} onChange={setProducts} />
        <InlineStack gap="400">
          <TextField label="First run (e.g. 2026-12-01T09:00Z)" autoComplete="off" value={startsAt} onChange={setStartsAt} />
          <TextField label="Every (hours)" type="number" autoComplete="off" value={everyHours} onChange={setEveryHours} />
        </InlineStack>
        <InlineStack gap="300">
          <Button onClick={add} disabled={!name || presetIds.length === 0 || !products || !startsAt}>
            Add schedule
          </Button>
          <Button variant="primary" loading={busy} onClick={() => onSave({ intent: "schedules", value: schedules })}>
            Save schedules
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function BrandKitCard({ view, busy, result, onSave }: Props) {
  const [enabled, setEnabled] = useState(view.brandKit.enabled);
  const [palette, setPalette] = useState(view.brandKit.palette.join(", "));
  const [mood, setMood] = useState(view.brandKit.moodWords.join(", "));
  const [avoid, setAvoid] = useState(view.brandKit.avoid.join(", "));
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Brand kit
        </Text>
        <Saved result={result} intent="brand-kit" />
        <Checkbox label="Apply the brand kit to generated images" checked={enabled} onChange={setEnabled} />
        <TextField label="Palette (hex colours, comma-separated)" autoComplete="off" value={palette} onChange={setPalette} />
        <TextField label="Mood words" autoComplete="off" value={mood} onChange={setMood} />
        <TextField label="Things to avoid" autoComplete="off" value={avoid} onChange={setAvoid} />
        <InlineStack>
          <Button
            variant="primary"
            loading={busy}
            onClick={() => onSave({ intent: "brand-kit", value: { enabled, palette: list(palette), moodWords: list(mood), avoid: list(avoid) } })}
          >
            Save brand kit
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function BudgetAndKeysCard({ view, busy, result, onSave }: Props) {
  const [budget, setBudget] = useState(dollars(view.monthlyBudgetMicros));
  const [keys, setKeys] = useState<Record<string, string>>({});
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Budget and provider keys
        </Text>
        <Saved result={result} intent="budget" />
        <InlineStack gap="300" blockAlign="end">
          <TextField label="Monthly budget for paid providers (USD)" autoComplete="off" value={budget} onChange={setBudget} />
          <Button loading={busy} onClick={() => onSave({ intent: "budget", value: { monthlyBudgetMicros: toMicros(budget) ?? 0 } })}>
            Save budget
          </Button>
        </InlineStack>
        <Saved result={result} intent="provider-key" />
        {!view.keysStorable && <Banner tone="warning">This install cannot store API keys until its operator sets SETTINGS_ENCRYPTION_KEY.</Banner>}
        {view.providerKeys.map((k) => (
          <InlineStack key={k.provider} gap="300" blockAlign="end">
            <TextField
              label={`${k.provider} API key`}
              type="password"
              autoComplete="off"
              value={keys[k.provider] ?? ""}
              onChange={(v) => setKeys({ ...keys, [k.provider]: v })}
              helpText={k.set ? `Set — ends in ${k.last4}` : "Not set"}
            />
            <Button
              disabled={!view.keysStorable || !keys[k.provider]}
              loading={busy}
              onClick={() => {
                onSave({ intent: "provider-key", value: { provider: k.provider, key: keys[k.provider] ?? "" } });
                setKeys({ ...keys, [k.provider]: "" });
              }}
            >
              Save key
            </Button>
            {k.set && (
              <Button tone="critical" variant="plain" onClick={() => onSave({ intent: "provider-key", value: { provider: k.provider, key: null } })}>
                Remove
              </Button>
            )}
          </InlineStack>
        ))}
      </BlockStack>
    </Card>
  );
}

function DefaultsCard({ view, busy, result, onSave }: Props) {
  const [presetIds, setPresetIds] = useState(view.settings.defaultPresetIds);
  const [ab, setAb] = useState(view.settings.ab);
  const [privacy, setPrivacy] = useState(view.settings.privacy);
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Defaults, A/B tests and privacy
        </Text>
        <Saved result={result} intent="defaults" />
        <PresetChoice view={view} title="Presets pre-selected when launching a batch" selected={presetIds} onChange={setPresetIds} />
        <InlineStack gap="400">
          <TextField label="A/B traffic to the new image (%)" type="number" autoComplete="off" value={String(ab.trafficPercent)} onChange={(v) => setAb({ ...ab, trafficPercent: Number(v) })} />
          <TextField
            label="Minimum visitors per variant"
            helpText="No arm is called better or worse before every arm has this many visitors."
            type="number"
            autoComplete="off"
            value={String(ab.minVisitorsPerVariant)}
            onChange={(v) => setAb({ ...ab, minVisitorsPerVariant: Number(v) })}
          />
          <TextField
            label="Longest test (days)"
            helpText="A running test is stopped automatically this many days after it started."
            type="number"
            autoComplete="off"
            value={String(ab.maxDays)}
            onChange={(v) => setAb({ ...ab, maxDays: Number(v) })}
          />
        </InlineStack>
        <Checkbox
          label="Storefront pixel records anonymous A/B events (no names, emails or customer ids)"
          checked={privacy.pixelEnabled}
          onChange={(pixelEnabled) => setPrivacy({ ...privacy, pixelEnabled })}
        />
        <TextField
          label="Keep raw A/B events for (days)"
          helpText="Older raw events are deleted; the per-day counts and visitors the results are computed from are kept."
          type="number"
          autoComplete="off"
          value={String(privacy.eventRetentionDays)}
          onChange={(v) => setPrivacy({ ...privacy, eventRetentionDays: Number(v) })}
        />
        <InlineStack>
          <Button variant="primary" loading={busy} onClick={() => onSave({ intent: "defaults", value: { defaultPresetIds: presetIds, ab, privacy } })}>
            Save defaults
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

const OUTCOME_TONES: Record<string, "success" | "attention" | "critical" | "info" | undefined> = {
  launched: "info",
  waiting: "attention",
  published: "success",
  skipped: "attention",
  failed: "critical",
};

function RunsCard({ view }: { view: SettingsView }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Recent automation
        </Text>
        {view.runs.length === 0 ? (
          <Text as="p" tone="subdued">
            Nothing yet.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text"]}
            headings={["When", "What", "Outcome", "Why"]}
            rows={view.runs.map((r) => [
              new Date(r.at).toLocaleString(),
              `${r.kind}: ${r.subject}`,
              <Badge key={r.at} tone={OUTCOME_TONES[r.outcome]}>
                {r.outcome}
              </Badge>,
              r.reason ?? "",
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}

/** One page for every shop setting; each card saves on its own. */
export function SettingsPage(props: Props) {
  return (
    <Page title="Settings">
      <Layout>
        <Layout.Section>
          <BlockStack gap="500">
            <AutomationCard {...props} />
            <SchedulesCard {...props} />
            <BrandKitCard {...props} />
            <BudgetAndKeysCard {...props} />
            <DefaultsCard {...props} />
            <RunsCard view={props.view} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}
