import { describe, expect, it } from "vitest";
import { IMAGE_URL_WINDOW_SECONDS, signImageUrl, verifyImageUrl, type ImageGrant } from "./image-urls.server";

const SECRET = "app-secret";
const grant: ImageGrant = { shopId: "shop1", candidateId: "cand1", variant: "thumb" };
const at = (iso: string) => new Date(iso);

function parse(url: string) {
  const parsed = new URL(url, "https://app.example");
  const [, , candidateId, variant] = parsed.pathname.split("/");
  return { candidateId, variant, search: parsed.searchParams };
}

describe("signed image URLs", () => {
  const now = at("2026-11-26T10:20:00Z");

  it("verify the grant they were signed for", () => {
    const verified = verifyImageUrl(SECRET, parse(signImageUrl(SECRET, grant, now)), now);
    expect(verified).toMatchObject(grant);
  });

  it("refuse another secret, another shop, candidate or variant, and a changed expiry", () => {
    const url = signImageUrl(SECRET, grant, now);
    expect(verifyImageUrl("other-secret", parse(url), now)).toBeNull();
    const swapped = (from: string, to: string) => parse(url.replace(from, to));
    expect(verifyImageUrl(SECRET, swapped("shop=shop1", "shop=shop2"), now)).toBeNull();
    expect(verifyImageUrl(SECRET, swapped("/cand1/", "/cand2/"), now)).toBeNull();
    expect(verifyImageUrl(SECRET, swapped("/thumb?", "/full?"), now)).toBeNull();
    const exp = parse(url).search.get("exp")!;
    expect(verifyImageUrl(SECRET, swapped(`exp=${exp}`, `exp=${Number(exp) + 3600}`), now)).toBeNull();
  });

  it("stay the same within a window and expire one to two windows later", () => {
    const later = new Date(now.getTime() + 60_000);
    expect(signImageUrl(SECRET, grant, later)).toBe(signImageUrl(SECRET, grant, now));
    const url = parse(signImageUrl(SECRET, grant, now));
    const expiresAt = Number(url.search.get("exp")) * 1000;
    expect(expiresAt - now.getTime()).toBeGreaterThan(IMAGE_URL_WINDOW_SECONDS * 1000);
    expect(expiresAt - now.getTime()).toBeLessThanOrEqual(2 * IMAGE_URL_WINDOW_SECONDS * 1000);
    expect(verifyImageUrl(SECRET, url, new Date(expiresAt - 1000))).not.toBeNull();
    expect(verifyImageUrl(SECRET, url, new Date(expiresAt))).toBeNull();
  });

  it("refuse malformed input", () => {
    const url = parse(signImageUrl(SECRET, grant, now));
    expect(verifyImageUrl(SECRET, { ...url, variant: "original" }, now)).toBeNull();
    expect(verifyImageUrl(SECRET, { ...url, candidateId: undefined }, now)).toBeNull();
    expect(verifyImageUrl(SECRET, { ...url, search: new URLSearchParams({ shop: "shop1" }) }, now)).toBeNull();
  });
});
