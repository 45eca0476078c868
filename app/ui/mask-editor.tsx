import { useCallback, useEffect, useRef, useState } from "react";
import { BlockStack, InlineStack, Modal, RangeSlider, Text, TextField } from "@shopify/polaris";

/** One brush stroke in image-relative coordinates (0..1), so it maps onto any rendering size. */
interface Stroke {
  points: [number, number][];
  /** Brush radius as a fraction of the image's width. */
  radius: number;
}

interface Props {
  open: boolean;
  imageUrl: string;
  /** The candidate's pixel size: the mask is made at exactly this size. */
  width: number;
  height: number;
  submitting: boolean;
  onClose: () => void;
  /** `mask` is a PNG data URL: opaque where the image stays, transparent where it may be repainted. */
  onSubmit: (mask: string, instruction: string) => void;
}

function drawStrokes(context: CanvasRenderingContext2D, strokes: Stroke[], width: number, height: number) {
  context.lineCap = "round";
  context.lineJoin = "round";
  for (const stroke of strokes) {
    const [first, ...rest] = stroke.points;
    if (!first) continue;
    context.lineWidth = stroke.radius * 2 * width;
    context.beginPath();
    context.moveTo(first[0] * width, first[1] * height);
    // A single click still paints a dot.
    if (rest.length === 0) context.lineTo(first[0] * width + 0.01, first[1] * height);
    for (const [x, y] of rest) context.lineTo(x * width, y * height);
    context.stroke();
  }
}

/** The PNG the edit endpoint takes: black and opaque, with the painted strokes cut out (transparent). */
function maskPng(strokes: Stroke[], width: number, height: number): string {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("This browser cannot draw on a canvas.");
  context.fillStyle = "#000";
  context.fillRect(0, 0, width, height);
  context.globalCompositeOperation = "destination-out";
  context.strokeStyle = "#000";
  drawStrokes(context, strokes, width, height);
  return canvas.toDataURL("image/png");
}

/** Brush over the part of an image to change, say what should change, and send it as an edit. */
export function MaskEditor({ open, imageUrl, width, height, submitting, onClose, onSubmit }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [strokes, setStrokes] = useState<Stroke[]>([]);
  const [brush, setBrush] = useState(40);
  const [instruction, setInstruction] = useState("");
  const drawing = useRef(false);

  const redraw = useCallback(() => {
    const element = canvas.current;
    const context = element?.getContext("2d");
    if (!element || !context) return;
    const { clientWidth, clientHeight } = element;
    if (element.width !== clientWidth || element.height !== clientHeight) {
      element.width = clientWidth;
      element.height = clientHeight;
    }
    context.clearRect(0, 0, element.width, element.height);
    context.strokeStyle = "rgba(255, 40, 40, 0.5)";
    drawStrokes(context, strokes, element.width, element.height);
  }, [strokes]);

  useEffect(redraw, [redraw]);
  useEffect(() => {
    if (!open) {
      setStrokes([]);
      setInstruction("");
    }
  }, [open]);

  const point = (event: React.PointerEvent<HTMLCanvasElement>): [number, number] => {
    const rect = event.currentTarget.getBoundingClientRect();
    return [(event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height];
  };
  const radius = () => brush / 1000;

  return (
    <Modal
      open={open}
      onClose={onClose}
      title="Edit a region"
      size="large"
      primaryAction={{
        content: "Make the edit",
        loading: submitting,
        disabled: strokes.length === 0 || instruction.trim().length < 3,
        onAction: () => onSubmit(maskPng(strokes, width, height), instruction.trim()),
      }}
      secondaryActions={[
        { content: "Undo stroke", disabled: strokes.length === 0, onAction: () => setStrokes((s) => s.slice(0, -1)) },
        { content: "Clear", disabled: strokes.length === 0, onAction: () => setStrokes([]) },
      ]}
    >
      <Modal.Section>
        <BlockStack gap="300">
          <Text as="p">Brush over the part to change. Everything else stays as it is. The edit is a new image; this one is kept.</Text>
          <div style={{ position: "relative", width: "100%", maxWidth: 640, margin: "0 auto", aspectRatio: `${width} / ${height}` }}>
            <img src={imageUrl} alt="The image to edit" style={{ position: "absolute", inset: 0, width: "100%", height: "100%", borderRadius: 8 }} onLoad={redraw} />
            <canvas
              ref={canvas}
              aria-label="Brush over the region to edit"
              style={{ position: "absolute", inset: 0, width: "100%", height: "100%", cursor: "crosshair", touchAction: "none" }}
              onPointerDown={(event) => {
                event.currentTarget.setPointerCapture(event.pointerId);
                drawing.current = true;
                setStrokes((s) => [...s, { points: [point(event)], radius: radius() }]);
              }}
              onPointerMove={(event) => {
                if (!drawing.current) return;
                const next = point(event);
                setStrokes((s) => {
                  const last = s[s.length - 1];
                  return last ? [...s.slice(0, -1), { ...last, points: [...last.points, next] }] : s;
                });
              }}
              onPointerUp={() => {
                drawing.current = false;
              }}
              onPointerCancel={() => {
                drawing.current = false;
              }}
            />
          </div>
          <InlineStack gap="400" wrap blockAlign="end">
            <div style={{ minWidth: 220 }}>
              <RangeSlider label="Brush size" min={5} max={150} value={brush} onChange={(value) => setBrush(Array.isArray(value) ? (value[0] ?? 40) : value)} output />
            </div>
          </InlineStack>
          <TextField
            label="What should change there?"
            value={instruction}
            onChange={setInstruction}
            autoComplete="off"
            placeholder="e.g. replace the mug with a small green plant"
            maxLength={1000}
            multiline={2}
          />
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}
