import type { Db } from "~/db/client.server";

/** Called after every successful auth; reinstalling clears the uninstall mark. */
export async function recordInstall(db: Db, input: { shop: string; scopes: string }) {
  return db.shop.upsert({
    where: { domain: input.shop },
    create: { domain: input.shop, scopes: input.scopes },
    update: { scopes: input.scopes, uninstalledAt: null },
  });
}

export async function recordUninstall(db: Db, shop: string, now: Date) {
  await db.$transaction([
    db.session.deleteMany({ where: { shop } }),
    db.shop.updateMany({ where: { domain: shop }, data: { uninstalledAt: now } }),
  ]);
}

export async function recordScopesUpdate(db: Db, shop: string, scopes: string[]) {
  const scope = scopes.join(",");
  await db.$transaction([
    db.session.updateMany({ where: { shop }, data: { scope } }),
    db.shop.updateMany({ where: { domain: shop }, data: { scopes: scope } }),
  ]);
}

/** shop/redact: every row we hold about the shop goes (files: see redactShop). */
export async function eraseShop(db: Db, shop: string) {
  await db.$transaction([
    db.session.deleteMany({ where: { shop } }),
    db.webhookDelivery.deleteMany({ where: { shopDomain: shop } }),
    // Every table keyed by shopId cascades from Shop.
    db.shop.deleteMany({ where: { domain: shop } }),
  ]);
}

/** The shop's row; created if auth happened before the row existed (e.g. a restored session). */
export async function ensureShop(db: Db, domain: string) {
  return db.shop.upsert({ where: { domain }, create: { domain }, update: {} });
}
