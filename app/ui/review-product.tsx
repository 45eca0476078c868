import { useCallback, useEffect, useRef, useState } from "react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  Checkbox,
  EmptyState,
  InlineGrid,
  InlineStack,
  Modal,
  Page,
  Text,
  Tooltip,
} from "@shopify/polaris";
import { formatMoney } from "~/generation/estimate/money";
import type { ReviewCandidate } from "~/review/product-review.server";
import { MaskEditor } from "./mask-editor";

/** The fidelity score below which the app flags a candidate (app/images/fidelity.server.ts). */
export const LOW_FIDELITY = 0.85;

export type ReviewIntent = "approve" | "reject" | "reset" | "ab-on" | "ab-off" | "regenerate" | "publish" | "publish-featured" | "undo";

/** Where an image's trip to the product's media stands (app/publish). */
export interface PublicationState {
  status: "publishing" | "published" | "failed" | "undoing" | "undone" | "undo_failed";
  errorMessage: string | null;
  makeFeatured: boolean;
}

export interface ReviewProductProps {
  title: string;
  featuredImageUrl: string | null;
  candidates: ReviewCandidate[];
  nextProductUrl: string | null;
  /** What a still-running submission will make each candidate's status, so keys feel instant. */
  pending: Record<string, { status?: string; abCandidate?: boolean }>;
  /** A merchant-readable outcome of the last action (error or confirmation). */
  notice: { tone: "critical" | "success"; message: string } | null;
  onDismissNotice: () => void;
  onIntent: (candidateId: string, intent: ReviewIntent) => void;
  /** Sends a region edit: the brushed mask (PNG data URL) and what should change there. */
  onEditRegion: (candidateId: string, mask: string, instruction: string) => void;
  editSubmitting: boolean;
  /** Region edits: why they cannot run for this candidate's provider. */
  regionEditUnavailable: Record<string, string>;
  publications: Record<string, PublicationState>;
}

const STATUS_TONE: Record<string, "info" | "success" | "critical" | "attention" | undefined> = {
  new: "info",
  approved: "success",
  rejected: "critical",
  published: "attention",
};
const STATUS_LABEL: Record<string, string> = { new: "Needs review", approved: "Approved", rejected: "Rejected", published: "Published" };

function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable='true']") !== null;
}

/** One product: its current image, its candidates, and the verdicts, with keyboard shortcuts for reviewing hundreds. */
export function ReviewProduct(props: ReviewProductProps) {
  const { candidates, pending, onIntent } = props;
  const [selected, setSelected] = useState(0);
  const [largeOpen, setLargeOpen] = useState(false);
  const [editing, setEditing] = useState<ReviewCandidate | null>(null);
  const cards = useRef<(HTMLDivElement | null)[]>([]);
  const shown = candidates.map((c) => ({ ...c, ...pending[c.id] }));
  const current = shown[Math.min(selected, shown.length - 1)];

  const select = useCallback(
    (index: number) => {
      const next = Math.max(0, Math.min(candidates.length - 1, index));
      setSelected(next);
      const card = cards.current[next];
      card?.focus({ preventScroll: true });
      card?.scrollIntoView?.({ block: "nearest" });
    },
    [candidates.length],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // While brushing a mask, letters belong to the editor, not to verdicts.
      if (editing || event.defaultPrevented || event.metaKey || event.ctrlKey || event.altKey || typing(event.target)) return;
      const candidate = current;
      const act = (intent: ReviewIntent) => {
        if (!candidate || candidate.status === "published") return;
        onIntent(candidate.id, intent);
        if (intent === "approve" || intent === "reject") select(selected + 1);
      };
      switch (event.key) {
        case "a":
          act("approve");
          break;
        case "r":
          act("reject");
          break;
        case "b":
          if (candidate) act(candidate.abCandidate ? "ab-off" : "ab-on");
          break;
        case "j":
        case "ArrowRight":
          select(selected + 1);
          break;
        case "k":
        case "ArrowLeft":
          select(selected - 1);
          break;
        case "v":
          setLargeOpen((open) => !open);
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [current, selected, select, onIntent, editing]);

  const decided = shown.filter((c) => c.status !== "new").length;
  return (
    <Page
      title={props.title}
      subtitle={`${decided} of ${shown.length} image${shown.length === 1 ? "" : "s"} decided`}
      backAction={{ content: "Review queue", url: "/app/review" }}
      primaryAction={props.nextProductUrl ? { content: "Next product", url: props.nextProductUrl } : undefined}
    >
      <BlockStack gap="400">
        {props.notice && (
          <Banner tone={props.notice.tone} onDismiss={props.onDismissNotice}>
            <p>{props.notice.message}</p>
          </Banner>
        )}
        <Text as="p" tone="subdued">
          Keys: <kbd>a</kbd> approve · <kbd>r</kbd> reject · <kbd>b</kbd> A/B candidate · <kbd>j</kbd>/<kbd>k</kbd> or arrows next/previous · <kbd>v</kbd> large view
        </Text>
        <InlineGrid columns={{ xs: 1, md: ["oneThird", "twoThirds"] }} gap="400">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingSm">
                Current product image
              </Text>
              {props.featuredImageUrl ? (
                <img src={props.featuredImageUrl} alt={`Current image of ${props.title}`} style={{ width: "100%", height: "auto", borderRadius: 8 }} />
              ) : (
                <Text as="p" tone="subdued">
                  This product has no image yet.
                </Text>
              )}
            </BlockStack>
          </Card>
          {shown.length === 0 ? (
            <Card>
              <EmptyState heading="No images for this product yet" image="">
                <p>Generate images for it from the Products page.</p>
              </EmptyState>
            </Card>
          ) : (
            <InlineGrid columns={{ xs: 1, sm: 2, lg: 3 }} gap="300">
              {shown.map((candidate, index) => (
                <div
                  key={candidate.id}
                  ref={(el) => {
                    cards.current[index] = el;
                  }}
                  tabIndex={index === selected ? 0 : -1}
                  role="group"
                  aria-label={`Image ${index + 1} of ${shown.length}: ${STATUS_LABEL[candidate.status] ?? candidate.status}`}
                  data-candidate-id={candidate.id}
                  data-selected={index === selected}
                  onFocus={() => setSelected(index)}
                  style={{
                    outline: index === selected ? "3px solid var(--p-color-border-focus)" : "none",
                    outlineOffset: 2,
                    borderRadius: 12,
                  }}
                >
                  <CandidateCard
                    candidate={candidate}
                    onIntent={onIntent}
                    onOpen={() => {
                      setSelected(index);
                      setLargeOpen(true);
                    }}
                    regionEditUnavailable={props.regionEditUnavailable[candidate.id] ?? null}
                    onEdit={() => setEditing(candidate)}
                    publication={props.publications[candidate.id] ?? null}
                  />
                </div>
              ))}
            </InlineGrid>
          )}
        </InlineGrid>
      </BlockStack>
      {editing && (
        <MaskEditor
          open
          imageUrl={editing.urls.large}
          width={editing.width}
          height={editing.height}
          submitting={props.editSubmitting}
          onClose={() => setEditing(null)}
          onSubmit={(mask, instruction) => {
            props.onEditRegion(editing.id, mask, instruction);
            setEditing(null);
          }}
        />
      )}
      {current && (
        <LargeView
          open={largeOpen}
          onClose={() => setLargeOpen(false)}
          candidate={current}
          position={`${selected + 1} of ${shown.length}`}
          featuredImageUrl={props.featuredImageUrl}
          productTitle={props.title}
          onIntent={onIntent}
          onPrevious={() => select(selected - 1)}
          onNext={() => select(selected + 1)}
        />
      )}
    </Page>
  );
}

function FidelityBadge({ candidate }: { candidate: ReviewCandidate }) {
  if (candidate.fidelityScore === null) return null;
  const low = candidate.fidelityFlagged || candidate.fidelityScore < LOW_FIDELITY;
  const label = `Fidelity ${Math.round(candidate.fidelityScore * 100)}%`;
  return low ? (
    <Tooltip content="The product may look different from your photo. Check shape, colour and details before approving.">
      <Badge tone="warning">{`${label} – check the product`}</Badge>
    </Tooltip>
  ) : (
    <Badge>{label}</Badge>
  );
}

function CandidateCard(props: {
  candidate: ReviewCandidate;
  onIntent: (id: string, intent: ReviewIntent) => void;
  onOpen: () => void;
  regionEditUnavailable: string | null;
  onEdit: () => void;
  publication: PublicationState | null;
}) {
  const { candidate, onIntent, publication } = props;
  const moving = publication?.status === "publishing" || publication?.status === "undoing";
  const settled = candidate.status === "published" || moving;
  return (
    <Card padding="300">
      <BlockStack gap="200">
        <button
          type="button"
          onClick={props.onOpen}
          aria-label="Open the large view"
          style={{ border: 0, padding: 0, background: "none", cursor: "zoom-in", display: "block", width: "100%" }}
        >
          <img
            src={candidate.urls.thumb}
            loading="lazy"
            decoding="async"
            width={256}
            height={Math.round((256 * candidate.height) / candidate.width)}
            alt={candidate.altText ?? `Generated image (${candidate.presetName})`}
            style={{ width: "100%", height: "auto", borderRadius: 8, background: "var(--p-color-bg-surface-secondary)" }}
          />
        </button>
        <InlineStack gap="100" wrap>
          <Badge tone={STATUS_TONE[candidate.status]}>{STATUS_LABEL[candidate.status] ?? candidate.status}</Badge>
          {candidate.abCandidate && <Badge tone="magic">A/B candidate</Badge>}
          <FidelityBadge candidate={candidate} />
        </InlineStack>
        <Text as="p" variant="bodySm" tone="subdued">
          {candidate.presetName} · {candidate.model} · {formatMoney(candidate.costMicros)}
        </Text>
        <ButtonGroup>
          <Button
            variant={candidate.status === "approved" ? "primary" : "secondary"}
            tone="success"
            disabled={settled}
            onClick={() => onIntent(candidate.id, candidate.status === "approved" ? "reset" : "approve")}
            accessibilityLabel={candidate.status === "approved" ? "Undo approval" : "Approve"}
          >
            {candidate.status === "approved" ? "Approved" : "Approve"}
          </Button>
          <Button
            tone="critical"
            variant={candidate.status === "rejected" ? "primary" : "secondary"}
            disabled={settled}
            onClick={() => onIntent(candidate.id, candidate.status === "rejected" ? "reset" : "reject")}
            accessibilityLabel={candidate.status === "rejected" ? "Undo rejection" : "Reject"}
          >
            {candidate.status === "rejected" ? "Rejected" : "Reject"}
          </Button>
        </ButtonGroup>
        <Checkbox
          label="A/B candidate"
          checked={candidate.abCandidate}
          disabled={candidate.status === "rejected"}
          helpText={candidate.status === "rejected" ? "Rejected images cannot be tested." : undefined}
          onChange={(checked) => onIntent(candidate.id, checked ? "ab-on" : "ab-off")}
        />
        <PublishControls candidate={candidate} publication={publication} onIntent={onIntent} />
        <InlineStack gap="200" wrap>
          <Button
            variant="plain"
            disabled={candidate.regenerateUnavailable !== null}
            onClick={() => onIntent(candidate.id, "regenerate")}
            accessibilityLabel="Regenerate similar: same preset, new seed"
          >
            Regenerate similar
          </Button>
          {!props.regionEditUnavailable && (
            <Button variant="plain" disabled={settled} onClick={props.onEdit}>
              Edit a region
            </Button>
          )}
          <Button variant="plain" url={`${candidate.urls.full}&download=1`} download>
            Download
          </Button>
        </InlineStack>
        {candidate.regenerateUnavailable && (
          <Text as="p" variant="bodySm" tone="subdued">
            {candidate.regenerateUnavailable}
          </Text>
        )}
        {props.regionEditUnavailable && (
          <Text as="p" variant="bodySm" tone="subdued">
            Edit a region: unavailable. {props.regionEditUnavailable}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}

const PUBLICATION_LABEL: Record<PublicationState["status"], string> = {
  publishing: "Publishing to the product…",
  published: "On the product",
  failed: "Publishing failed",
  undoing: "Removing from the product…",
  undone: "Removed from the product",
  undo_failed: "Removing failed",
};

/** Publish an approved image to the product's media, or take a published one off again. */
function PublishControls(props: { candidate: ReviewCandidate; publication: PublicationState | null; onIntent: (id: string, intent: ReviewIntent) => void }) {
  const { candidate, publication, onIntent } = props;
  const status = publication?.status;
  const failed = status === "failed" || status === "undo_failed";
  return (
    <BlockStack gap="100">
      {publication && status !== "undone" && (
        <InlineStack gap="100" blockAlign="center">
          <Badge tone={failed ? "critical" : status === "published" ? "success" : "attention"} progress={status === "publishing" || status === "undoing" ? "partiallyComplete" : undefined}>
            {PUBLICATION_LABEL[publication.status]}
          </Badge>
        </InlineStack>
      )}
      {publication?.errorMessage && (
        <Text as="p" variant="bodySm" tone="critical">
          {publication.errorMessage}
        </Text>
      )}
      {candidate.status === "approved" && status !== "publishing" && status !== "undoing" && (
        <InlineStack gap="200" wrap>
          <Button size="slim" onClick={() => onIntent(candidate.id, "publish")}>
            {status === "failed" ? "Retry publish" : "Publish"}
          </Button>
          <Button size="slim" variant="plain" onClick={() => onIntent(candidate.id, "publish-featured")}>
            Publish as main image
          </Button>
        </InlineStack>
      )}
      {(candidate.status === "published" || status === "undo_failed") && status !== "undoing" && (
        <InlineStack>
          <Button size="slim" tone="critical" variant="plain" onClick={() => onIntent(candidate.id, "undo")}>
            {status === "undo_failed" ? "Retry removing" : "Undo publish"}
          </Button>
        </InlineStack>
      )}
    </BlockStack>
  );
}

function LargeView(props: {
  open: boolean;
  onClose: () => void;
  candidate: ReviewCandidate;
  position: string;
  featuredImageUrl: string | null;
  productTitle: string;
  onIntent: (id: string, intent: ReviewIntent) => void;
  onPrevious: () => void;
  onNext: () => void;
}) {
  const { candidate } = props;
  const [zoomed, setZoomed] = useState(false);
  const [compare, setCompare] = useState(false);
  const frame = useRef<HTMLDivElement>(null);

  // Zooms to the full-resolution file, scrolled so the clicked point stays under the pointer.
  const toggleZoom = (event: React.MouseEvent<HTMLImageElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    const fx = (event.clientX - rect.left) / rect.width;
    const fy = (event.clientY - rect.top) / rect.height;
    setZoomed((z) => !z);
    requestAnimationFrame(() => {
      const el = frame.current;
      if (!el || zoomed) return;
      el.scrollLeft = fx * el.scrollWidth - el.clientWidth / 2;
      el.scrollTop = fy * el.scrollHeight - el.clientHeight / 2;
    });
  };

  const image = (
    <div ref={frame} style={{ overflow: "auto", maxHeight: "70vh", borderRadius: 8 }}>
      <img
        src={zoomed ? candidate.urls.full : candidate.urls.large}
        alt={candidate.altText ?? `Generated image (${candidate.presetName})`}
        onClick={toggleZoom}
        style={{ display: "block", cursor: zoomed ? "zoom-out" : "zoom-in", width: zoomed ? candidate.width : "100%", maxWidth: zoomed ? "none" : "100%", height: "auto" }}
      />
    </div>
  );
  return (
    <Modal
      open={props.open}
      onClose={props.onClose}
      size="large"
      title={`${candidate.presetName} (${props.position})`}
      primaryAction={{
        content: "Approve",
        disabled: candidate.status === "published" || candidate.status === "approved",
        onAction: () => props.onIntent(candidate.id, "approve"),
      }}
      secondaryActions={[
        { content: "Reject", destructive: true, disabled: candidate.status === "published", onAction: () => props.onIntent(candidate.id, "reject") },
        { content: "Previous", onAction: props.onPrevious },
        { content: "Next", onAction: props.onNext },
      ]}
    >
      <Modal.Section>
        <BlockStack gap="300">
          <InlineStack gap="300" blockAlign="center" wrap>
            <Badge tone={STATUS_TONE[candidate.status]}>{STATUS_LABEL[candidate.status] ?? candidate.status}</Badge>
            <FidelityBadge candidate={candidate} />
            <Text as="span" tone="subdued">
              {candidate.width}×{candidate.height} {candidate.format.toUpperCase()} · {candidate.providerId} {candidate.model} · {formatMoney(candidate.costMicros)}
            </Text>
            <Checkbox label="Compare with the current image" checked={compare} disabled={!props.featuredImageUrl} onChange={setCompare} />
          </InlineStack>
          {compare && props.featuredImageUrl ? (
            <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
              <BlockStack gap="100">
                <Text as="h3" variant="headingSm">
                  Current
                </Text>
                <img src={props.featuredImageUrl} alt={`Current image of ${props.productTitle}`} style={{ width: "100%", height: "auto", borderRadius: 8 }} />
              </BlockStack>
              <BlockStack gap="100">
                <Text as="h3" variant="headingSm">
                  Candidate
                </Text>
                {image}
              </BlockStack>
            </InlineGrid>
          ) : (
            image
          )}
          <Box>
            <Text as="p" variant="bodySm" tone="subdued">
              Click the image to zoom to full size. Alt text: {candidate.altText ?? "none yet"}
            </Text>
          </Box>
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
