import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { ADMIN_API_VERSION } from "./admin-api-version";

describe("the Admin API version", () => {
  it("is 2026-07 and shopify.app.toml's webhooks use the same one", () => {
    expect(ADMIN_API_VERSION).toBe("2026-07");
    const toml = parse(readFileSync(new URL("../../shopify.app.toml", import.meta.url), "utf8")) as {
      webhooks: { api_version: string };
    };
    expect(toml.webhooks.api_version).toBe(ADMIN_API_VERSION);
  });

  it("every extension that names an API version names the same one", async () => {
    const { readdirSync, existsSync } = await import("node:fs");
    const root = new URL("../../extensions/", import.meta.url);
    const named = readdirSync(root)
      .map((dir) => new URL(`${dir}/shopify.extension.toml`, root))
      .filter((file) => existsSync(file))
      .map((file) => ({ file: file.pathname, version: (parse(readFileSync(file, "utf8")) as { api_version?: string }).api_version }))
      .filter((x) => x.version !== undefined);
    expect(named.length).toBeGreaterThan(0);
    for (const { file, version } of named) expect(version, file).toBe(ADMIN_API_VERSION);
  });

  it("every webhook subscription has a route named after its topic and a Handled-by comment", async () => {
    const { existsSync } = await import("node:fs");
    const raw = readFileSync(new URL("../../shopify.app.toml", import.meta.url), "utf8");
    const toml = parse(raw) as { webhooks: { subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[] } };
    const topics = toml.webhooks.subscriptions.flatMap((s) => [...(s.topics ?? []), ...(s.compliance_topics ?? [])].map((t) => ({ t, uri: s.uri })));
    expect(topics.map((x) => x.t)).toEqual(
      expect.arrayContaining(["app/uninstalled", "app/scopes_update", "customers/data_request", "customers/redact", "shop/redact"]),
    );
    for (const { t, uri } of topics) {
      expect(uri).toBe(`/webhooks/${t}`);
      const route = `app/routes/webhooks.${t.replace("/", ".")}.tsx`;
      expect(existsSync(new URL(`../../${route}`, import.meta.url)), route).toBe(true);
      expect(raw).toContain(`# Handled by: ${route}`);
    }
  });
});
