import sharp from "sharp";
import type { ImageFormat } from "~/generation/provider";

/** IPTC Digital Source Type vocabulary: https://cv.iptc.org/newscodes/digitalsourcetype/ */
export const IPTC_DIGITAL_SOURCE_TYPE_BASE = "http://cv.iptc.org/newscodes/digitalsourcetype/";
const IPTC_EXT_NS = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
const OWN_NS = "https://product-imagery-studio.app/ns/provenance/1.0/";

/**
 * trainedAlgorithmicMedia: made by a generative model. compositeWithTrainedAlgorithmicMedia:
 * the real product photo composited into a generated scene. compositeSynthetic: the real
 * photo composited into a procedurally rendered (non-AI) scene, as the studio provider does.
 */
export type DigitalSourceType = "trainedAlgorithmicMedia" | "compositeWithTrainedAlgorithmicMedia" | "compositeSynthetic";
const DIGITAL_SOURCE_TYPES: readonly string[] = ["trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia", "compositeSynthetic"];
const isDigitalSourceType = (value: string): value is DigitalSourceType => DIGITAL_SOURCE_TYPES.includes(value);

export interface Provenance {
  digitalSourceType: DigitalSourceType;
  generator: string;
  model: string;
  preset: string;
  /** Hash of the prompt, never the prompt itself (it may quote merchant text). */
  promptHash: string;
}

const OWN_FIELDS = ["generator", "model", "preset", "promptHash"] as const;

function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function unescapeXml(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export function provenanceXmp(provenance: Provenance): string {
  const own = OWN_FIELDS.map((field) => `\n    pis:${field}="${escapeXml(provenance[field])}"`).join("");
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:Iptc4xmpExt="${IPTC_EXT_NS}"
    xmlns:pis="${OWN_NS}"
    Iptc4xmpExt:DigitalSourceType="${IPTC_DIGITAL_SOURCE_TYPE_BASE}${provenance.digitalSourceType}"${own}/>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

/** Quality used when an already-lossy file has to be re-encoded to carry the XMP. */
const REENCODE_QUALITY = 92;

/**
 * Tags an already-encoded image. Re-encodes (losslessly for PNG); in the
 * generation pipeline prefer encodeOutput's `provenance` option, which writes
 * the XMP during the one encode.
 */
export async function withProvenance(bytes: Buffer, provenance: Provenance): Promise<Buffer> {
  const { format } = await sharp(bytes).metadata();
  const pipeline = sharp(bytes, { failOn: "error" }).withXmp(provenanceXmp(provenance));
  const outputFormat: ImageFormat = format === "jpeg" ? "jpeg" : format === "webp" ? "webp" : "png";
  if (outputFormat === "jpeg") return pipeline.jpeg({ quality: REENCODE_QUALITY, mozjpeg: true }).toBuffer();
  if (outputFormat === "webp") return pipeline.webp({ quality: REENCODE_QUALITY }).toBuffer();
  return pipeline.png().toBuffer();
}

function readField(xmp: string, prefix: string, name: string): string | undefined {
  const attribute = new RegExp(`${prefix}:${name}="([^"]*)"`).exec(xmp);
  if (attribute?.[1] !== undefined) return unescapeXml(attribute[1]);
  const element = new RegExp(`<${prefix}:${name}>([^<]*)</${prefix}:${name}>`).exec(xmp);
  return element?.[1] !== undefined ? unescapeXml(element[1]) : undefined;
}

/** Reads back what provenanceXmp wrote; null when the file carries no such XMP. */
export async function readProvenance(bytes: Buffer): Promise<Provenance | null> {
  const { xmp } = await sharp(bytes).metadata();
  if (!xmp) return null;
  const text = xmp.toString("utf8");
  const sourceType = readField(text, "Iptc4xmpExt", "DigitalSourceType");
  if (!sourceType?.startsWith(IPTC_DIGITAL_SOURCE_TYPE_BASE)) return null;
  const digitalSourceType = sourceType.slice(IPTC_DIGITAL_SOURCE_TYPE_BASE.length);
  if (!isDigitalSourceType(digitalSourceType)) return null;
  const [generator, model, preset, promptHash] = OWN_FIELDS.map((field) => readField(text, "pis", field) ?? "");
  return { digitalSourceType, generator: generator ?? "", model: model ?? "", preset: preset ?? "", promptHash: promptHash ?? "" };
}
