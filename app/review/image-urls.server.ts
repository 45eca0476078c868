/**
 * Short-lived signed URLs for candidate images. An <img> cannot send the
 * embedded app's session token, so the page's loader — which did verify it —
 * signs each URL it hands out: HMAC-SHA256 over shop, candidate, variant and
 * expiry with a key derived from the app secret. See docs/decisions/006-image-urls.md.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";

export const IMAGE_VARIANTS = ["thumb", "large", "full"] as const;
export type ImageVariant = (typeof IMAGE_VARIANTS)[number];

/**
 * Expiries are rounded up to the next window boundary plus one window, so a
 * URL is valid for one to two windows and stays the same for a whole window:
 * the browser's cache keeps hitting while the merchant pages back and forth.
 */
export const IMAGE_URL_WINDOW_SECONDS = 3600;

export interface ImageGrant {
  shopId: string;
  candidateId: string;
  variant: ImageVariant;
}

/** A separate key, so an image signature can never double as any other HMAC made with the app secret. */
function imageKey(appSecret: string): Buffer {
  return createHmac("sha256", appSecret).update("pis:image-url:v1").digest();
}

function signature(appSecret: string, grant: ImageGrant, expiresAt: number): string {
  return createHmac("sha256", imageKey(appSecret))
    .update(JSON.stringify([grant.shopId, grant.candidateId, grant.variant, expiresAt]))
    .digest("base64url");
}

export function imageUrlExpiry(now: Date): number {
  const seconds = Math.floor(now.getTime() / 1000);
  return (Math.floor(seconds / IMAGE_URL_WINDOW_SECONDS) + 2) * IMAGE_URL_WINDOW_SECONDS;
}

/** A same-origin path (`/images/…`), valid until imageUrlExpiry(now). */
export function signImageUrl(appSecret: string, grant: ImageGrant, now: Date): string {
  const expiresAt = imageUrlExpiry(now);
  const query = new URLSearchParams({ shop: grant.shopId, exp: String(expiresAt), sig: signature(appSecret, grant, expiresAt) });
  return `/images/${encodeURIComponent(grant.candidateId)}/${grant.variant}?${query}`;
}

const querySchema = z.object({
  shop: z.string().min(1).max(64),
  exp: z.string().regex(/^\d{1,12}$/),
  sig: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

/** The grant a URL carries, or null when it is malformed, forged, altered or expired. */
export function verifyImageUrl(
  appSecret: string,
  params: { candidateId: string | undefined; variant: string | undefined; search: URLSearchParams },
  now: Date,
): (ImageGrant & { expiresAt: number }) | null {
  const variant = IMAGE_VARIANTS.find((v) => v === params.variant);
  const query = querySchema.safeParse(Object.fromEntries(params.search));
  if (!variant || !params.candidateId || !query.success) return null;
  const expiresAt = Number(query.data.exp);
  if (expiresAt * 1000 <= now.getTime()) return null;
  const grant: ImageGrant = { shopId: query.data.shop, candidateId: params.candidateId, variant };
  const expected = Buffer.from(signature(appSecret, grant, expiresAt));
  const given = Buffer.from(query.data.sig);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  return { ...grant, expiresAt };
}
