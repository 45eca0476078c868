import { ProviderError } from "~/generation/errors";
import type {
  GeneratedImage,
  GenerationRequest,
  GenerationResult,
  ImageProvider,
  ProviderCapabilities,
  Quality,
} from "~/generation/provider";
import { encodeOutput } from "~/images/encode.server";
import { ImageInputError } from "~/images/errors";
import { normalizeImage } from "~/images/inspect.server";
import { composeProduct } from "./compose.server";
import { cutOutProduct } from "~/images/cutout.server";
import { createRng } from "./prng";
import { resolveScene, sceneFromPrompt } from "./scene";
import { renderScene } from "./scene.server";

const PROVIDER_ID = "studio";
const MODEL = "studio-1";
const AUTO_SIZE = { width: 2048, height: 2048 };

/** Honest about what a procedural compositor can do: it needs the product photo and cannot draw people. */
export const STUDIO_CAPABILITIES: ProviderCapabilities = {
  generate: false,
  editWithReferences: true,
  maxReferenceImages: 1,
  mask: false,
  transparentBackground: true,
  sizes: {
    fixed: ["1024x1024", "1536x1024", "1024x1536", "2048x2048", "2048x1536", "1536x2048"],
    auto: true,
    custom: {
      minEdge: 256,
      maxEdge: 4096,
      multipleOf: 16,
      maxAspectRatio: 3,
      maxPixels: 4096 * 4096,
      minPixels: 256 * 256,
    },
  },
  formats: ["png", "jpeg", "webp"],
  qualities: ["low", "medium", "high", "auto"],
  maxImagesPerCall: 8,
  onModel: false,
  generativeAi: false,
  deterministicSeed: true,
};

/** Encoder quality per requested quality, when no explicit compression is given. */
const QUALITY_TO_COMPRESSION: Record<Quality, number> = { low: 70, medium: 82, high: 92, auto: 88 };

function invalid(message: string): ProviderError {
  return new ProviderError("invalid_request", message, { provider: PROVIDER_ID });
}

export function parseStudioSize(size: string): { width: number; height: number } {
  const { fixed, auto, custom } = STUDIO_CAPABILITIES.sizes;
  if (size === "auto" && auto) return AUTO_SIZE;
  const match = /^(\d+)x(\d+)$/.exec(size);
  if (!match) throw invalid(`Size "${size}" is not WIDTHxHEIGHT.`);
  const width = Number(match[1]);
  const height = Number(match[2]);
  if (fixed.includes(size)) return { width, height };
  const fits =
    custom !== undefined &&
    Math.min(width, height) >= custom.minEdge &&
    Math.max(width, height) <= custom.maxEdge &&
    width % custom.multipleOf === 0 &&
    height % custom.multipleOf === 0 &&
    Math.max(width, height) / Math.min(width, height) <= custom.maxAspectRatio &&
    width * height <= custom.maxPixels &&
    width * height >= custom.minPixels;
  if (!fits) throw invalid(`The studio provider cannot render ${size}.`);
  return { width, height };
}

/** Spreads consecutive candidate indexes far apart in seed space. */
function candidateSeed(seed: number, index: number): number {
  return (seed + Math.imul(index, 0x9e3779b9)) >>> 0;
}

function checkDeadline(request: GenerationRequest, deadline: number | undefined): void {
  request.signal?.throwIfAborted();
  if (deadline !== undefined && Date.now() > deadline) {
    throw new ProviderError("timeout", "The studio render ran past its deadline.", { provider: PROVIDER_ID });
  }
}

async function generate(request: GenerationRequest): Promise<GenerationResult> {
  const deadline = request.timeoutMs === undefined ? undefined : Date.now() + request.timeoutMs;
  if (request.onModel) {
    throw invalid("The studio provider cannot put products on people; choose an AI provider.");
  }
  if (request.mask) throw invalid("The studio provider does not take an edit mask.");
  const photo = request.references[0];
  if (!photo) throw invalid("The studio provider needs the product photo.");
  if (!Number.isInteger(request.n) || request.n < 1 || request.n > STUDIO_CAPABILITIES.maxImagesPerCall) {
    throw invalid(`The studio provider renders 1 to ${STUDIO_CAPABILITIES.maxImagesPerCall} images per call.`);
  }
  if (!STUDIO_CAPABILITIES.formats.includes(request.outputFormat)) {
    throw invalid(`The studio provider cannot write ${request.outputFormat}.`);
  }
  const size = parseStudioSize(request.size);

  let normalized;
  try {
    normalized = await normalizeImage(photo.data);
  } catch (error) {
    if (error instanceof ImageInputError) {
      throw new ProviderError("invalid_request", error.message, { provider: PROVIDER_ID, cause: error });
    }
    throw error;
  }
  checkDeadline(request, deadline);
  const cut = await cutOutProduct(normalized.image);
  if (!cut.ok) throw invalid(cut.reason);

  const requestedScene = request.scene ?? sceneFromPrompt(request.prompt);
  const transparent = request.background === "transparent";
  const compression = request.outputCompression ?? QUALITY_TO_COMPRESSION[request.quality];
  const images: GeneratedImage[] = [];
  for (let index = 0; index < request.n; index++) {
    checkDeadline(request, deadline);
    const spec = resolveScene(requestedScene, createRng(candidateSeed(request.seed, index)));
    const scene = transparent ? { ...size, transparent: true as const } : await renderScene(spec, size.width, size.height);
    const { image } = await composeProduct(normalized.image, cut.cutout, spec, scene);
    const encoded = await encodeOutput(image, { format: request.outputFormat, compression });
    const colours = requestedScene.colors?.length ? `colours ${requestedScene.colors.join(", ")}` : `${spec.palette} palette`;
    const backdrop = transparent ? "transparent background" : `${spec.surface} surface, ${colours}`;
    images.push({
      data: encoded.data,
      format: encoded.format,
      width: encoded.width,
      height: encoded.height,
      revisedPrompt: `Studio composite: ${backdrop}, light from the ${spec.light}${spec.vignette ? ", vignette" : ""}${spec.reflection && !transparent ? ", reflection" : ""}.`,
    });
  }
  return { images, usage: null, costMicros: 0, model: MODEL, provider: PROVIDER_ID };
}

/** The built-in offline provider: free, deterministic, and always available. */
export function createStudioProvider(): ImageProvider {
  return {
    id: PROVIDER_ID,
    model: MODEL,
    capabilities: STUDIO_CAPABILITIES,
    price: { kind: "free" },
    estimateCostMicros: () => 0,
    generate,
  };
}
