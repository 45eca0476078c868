/**
 * The Shopify CDN's file URLs (/s/files/1/<shop path>/files/<name>?v=<n>), including its
 * on-the-fly resizing by `width`/`height`. Seed photos are rendered on first request.
 */
import sharp from "sharp";
import type { Catalog } from "./catalog-types";
import type { StoreData, StoredImage } from "./state";

const CDN_PATH = /^\/s\/files\/(1\/\d{4}\/\d{4}\/\d{4})\/files\/([^/]+)$/;
const MAX_DIMENSION = 5760;

export class Cdn {
  private readonly cache = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly data: StoreData,
    private readonly catalog: Catalog,
  ) {}

  matches(pathname: string): boolean {
    return CDN_PATH.test(pathname);
  }

  /** Resolves to undefined for files this CDN does not hold. */
  async serve(url: URL): Promise<{ body: Buffer; contentType: string } | undefined> {
    const match = CDN_PATH.exec(url.pathname);
    if (!match) return undefined;
    const image = this.data.findImage(match[1]!, decodeURIComponent(match[2]!));
    if (!image) return undefined;
    const width = dimension(url.searchParams.get("width"));
    const height = dimension(url.searchParams.get("height"));
    const original = this.original(image);
    if (!width && !height) return { body: await original, contentType: "image/png" };

    const key = `${image.id}@${image.version}:${width ?? ""}x${height ?? ""}`;
    let resized = this.cache.get(key);
    if (!resized) {
      // Like the CDN: fit inside the box, keep the aspect ratio, never upscale.
      resized = original.then((bytes) => sharp(bytes).resize({ width, height, fit: "inside", withoutEnlargement: true }).png().toBuffer());
      this.cache.set(key, resized);
    }
    return { body: await resized, contentType: "image/png" };
  }

  private original(image: StoredImage): Promise<Buffer> {
    const key = `${image.id}@${image.version}`;
    let bytes = this.cache.get(key);
    if (!bytes) {
      const source = image.source;
      bytes = source.kind === "bytes" ? Promise.resolve(source.bytes) : this.catalog.renderProductPhoto(source.product, source.photoKey);
      bytes.catch(() => this.cache.delete(key));
      this.cache.set(key, bytes);
    }
    return bytes;
  }
}

function dimension(value: string | null): number | undefined {
  const n = Number(value);
  return value && Number.isInteger(n) && n > 0 ? Math.min(n, MAX_DIMENSION) : undefined;
}
