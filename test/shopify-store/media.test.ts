import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalStore } from "./server";
import { adminGraphql, offlineToken, startTestStore, SHOP } from "./test-harness";

interface Target {
  url: string;
  resourceUrl: string;
  parameters: { name: string; value: string }[];
}

const STAGE = `mutation Stage($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) { stagedTargets { url resourceUrl parameters { name value } } userErrors { field message } }
}`;
const ATTACH = `mutation Attach($product: ProductUpdateInput!, $media: [CreateMediaInput!]) {
  productUpdate(product: $product, media: $media) { product { id } userErrors { field message } }
}`;
const GALLERY = `query Gallery($id: ID!) {
  product(id: $id) { featuredMedia { id } media(first: 50) { nodes { id alt status mediaErrors { code message } ... on MediaImage { image { url width height } } } } }
}`;
const REORDER = `mutation Reorder($id: ID!, $moves: [MoveInput!]!) {
  productReorderMedia(id: $id, moves: $moves) { job { id done } mediaUserErrors { code field message } }
}`;
const JOB = `query Job($id: ID!) { job(id: $id) { id done } }`;
const DETACH = `mutation Detach($files: [FileUpdateInput!]!) {
  fileUpdate(files: $files) { files { id } userErrors { code field message } }
}`;

type Media = { id: string; alt: string; status: string; mediaErrors: { code: string; message: string }[]; image: { url: string; width: number } | null };

describe("media: staged uploads, processing, reorder jobs, file references", () => {
  let store: LocalStore;
  let token: string;
  let productGid: string;
  const gql = async <T>(query: string, variables: Record<string, unknown>) => {
    const result = await adminGraphql<T>(store, token, query, variables);
    expect(result.body.errors).toBeUndefined();
    return result.body.data!;
  };
  const stage = async (filename = "photo.png") =>
    (await gql<{ stagedUploadsCreate: { stagedTargets: Target[] } }>(STAGE, { input: [{ filename, mimeType: "image/png", resource: "IMAGE", httpMethod: "POST" }] })).stagedUploadsCreate.stagedTargets[0]!;
  const upload = (target: Target, bytes: Buffer, change: (form: FormData) => void = () => undefined, type = "image/png") => {
    const form = new FormData();
    for (const p of target.parameters) form.append(p.name, p.value);
    change(form);
    form.append("file", new Blob([new Uint8Array(bytes)], { type }), "photo.png");
    return fetch(target.url, { method: "POST", body: form });
  };
  const gallery = async () => (await gql<{ product: { featuredMedia: { id: string } | null; media: { nodes: Media[] } } }>(GALLERY, { id: productGid })).product;
  const settle = async (id: string) => {
    const seen: string[] = [];
    for (let i = 0; i < 100; i++) {
      const media = (await gallery()).media.nodes.find((m) => m.id === id)!;
      if (seen.at(-1) !== media.status) seen.push(media.status);
      if (media.status === "READY" || media.status === "FAILED") return { media, seen };
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("media never settled");
  };
  let png: Buffer;

  beforeAll(async () => {
    store = await startTestStore({ mediaTimings: { uploadedMs: 300, processingMs: 150, jobMs: 150 } });
    token = await offlineToken(store);
    productGid = `gid://shopify/Product/${[...store.data.shop(SHOP).products.values()][0]!.id}`;
    png = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#3366aa" } }).png().toBuffer();
  });
  afterAll(() => store.close());

  it("refuses uploads that do not honour the staged target, like Google Cloud Storage", async () => {
    const target = await stage();
    expect(new URL(target.resourceUrl).pathname.startsWith(new URL(target.url).pathname)).toBe(true);
    const tampered = await upload(target, png, (form) => form.set("acl", "public-read"));
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
    const missing = await upload(target, png, (form) => form.delete("policy"));
    expect(missing.status).toBe(403);
    const wrongKey = await upload(target, png, (form) => form.set("key", "tmp/1/products/other/photo.png"));
    expect(wrongKey.status).toBe(403);
    const wrongType = await upload(target, png, () => undefined, "image/jpeg");
    expect(wrongType.status).toBe(400);
    expect(await wrongType.text()).toContain("InvalidPolicyDocument");
    const good = await upload(target, png);
    expect(good.status).toBe(201);
    expect(await good.text()).toContain("<PostResponse>");
  });

  it("processes attached media asynchronously: UPLOADED → PROCESSING → READY", async () => {
    const target = await stage("new-look.png");
    expect((await upload(target, png)).status).toBe(201);
    const answer = await gql<{ productUpdate: { userErrors: unknown[] } }>(ATTACH, {
      product: { id: productGid },
      media: [{ originalSource: target.resourceUrl, alt: "A blue card", mediaContentType: "IMAGE" }],
    });
    expect(answer.productUpdate.userErrors).toEqual([]);
    const added = (await gallery()).media.nodes.at(-1)!;
    expect(added).toMatchObject({ alt: "A blue card", status: "UPLOADED", image: null });
    const { media, seen } = await settle(added.id);
    expect(seen).toEqual(["UPLOADED", "PROCESSING", "READY"]);
    expect(media.image).toMatchObject({ width: 300 });
    expect(new URL(media.image!.url).pathname).toMatch(/\/files\/new-look\.png$/);
    const served = await fetch(media.image!.url);
    expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).width).toBe(300);
  });

  it("fails media whose bytes are not an image, or that were never uploaded, with Shopify's media errors", async () => {
    const junk = await stage("junk.png");
    expect((await upload(junk, Buffer.from("definitely not a png"))).status).toBe(201);
    const never = await stage("never.png");
    await gql(ATTACH, {
      product: { id: productGid },
      media: [
        { originalSource: junk.resourceUrl, alt: "", mediaContentType: "IMAGE" },
        { originalSource: never.resourceUrl, alt: "", mediaContentType: "IMAGE" },
      ],
    });
    const [junkMedia, neverMedia] = (await gallery()).media.nodes.slice(-2);
    expect((await settle(junkMedia!.id)).media).toMatchObject({ status: "FAILED", mediaErrors: [{ code: "UNSUPPORTED_IMAGE_FILE_TYPE" }] });
    expect((await settle(neverMedia!.id)).media).toMatchObject({ status: "FAILED", mediaErrors: [{ code: "IMAGE_DOWNLOAD_FAILURE" }] });
  });

  it("reorders media as a job readable through job(id), with mediaUserErrors for bad moves", async () => {
    const before = (await gallery()).media.nodes.map((m) => m.id);
    const bad = await gql<{ productReorderMedia: { job: null; mediaUserErrors: { code: string; field: string[] }[] } }>(REORDER, {
      id: productGid,
      moves: [{ id: "gid://shopify/MediaImage/1", newPosition: "0" }],
    });
    expect(bad.productReorderMedia).toMatchObject({ job: null, mediaUserErrors: [{ code: "MEDIA_DOES_NOT_EXIST_ON_PRODUCT", field: ["moves", "0", "id"] }] });

    const last = before.at(-1)!;
    const started = await gql<{ productReorderMedia: { job: { id: string; done: boolean } } }>(REORDER, { id: productGid, moves: [{ id: last, newPosition: "0" }] });
    expect(started.productReorderMedia.job.done).toBe(false);
    expect((await gallery()).featuredMedia?.id).toBe(before[0]);
    let done = false;
    for (let i = 0; i < 50 && !done; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      done = (await gql<{ job: { done: boolean } }>(JOB, { id: started.productReorderMedia.job.id })).job.done;
    }
    expect(done).toBe(true);
    expect((await gallery()).media.nodes.map((m) => m.id)).toEqual([last, ...before.slice(0, -1)]);
  });

  it("detaches media from a product with fileUpdate referencesToRemove; the file itself stays", async () => {
    const before = (await gallery()).media.nodes.map((m) => m.id);
    const gone = before[0]!;
    const answer = await gql<{ fileUpdate: { files: { id: string }[]; userErrors: unknown[] } }>(DETACH, { files: [{ id: gone, referencesToRemove: [productGid] }] });
    expect(answer.fileUpdate).toEqual({ files: [{ id: gone }], userErrors: [] });
    expect((await gallery()).media.nodes.map((m) => m.id)).toEqual(before.slice(1));
    const node = await gql<{ node: { id: string } | null }>("query($id: ID!) { node(id: $id) { id } }", { id: gone });
    expect(node.node?.id).toBe(gone);

    const missing = await gql<{ fileUpdate: { userErrors: { code: string }[] } }>(DETACH, { files: [{ id: "gid://shopify/MediaImage/1", referencesToRemove: [productGid] }] });
    expect(missing.fileUpdate.userErrors).toMatchObject([{ code: "FILE_DOES_NOT_EXIST" }]);
    const badTarget = await gql<{ fileUpdate: { userErrors: { code: string }[] } }>(DETACH, { files: [{ id: before[1], referencesToRemove: ["gid://shopify/Product/1"] }] });
    expect(badTarget.fileUpdate.userErrors).toMatchObject([{ code: "REFERENCE_TARGET_DOES_NOT_EXIST" }]);
  });
});
