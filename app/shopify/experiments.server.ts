/**
 * Admin API writes the storefront A/B tests need: variant images as Files
 * (fileCreate, outside the product gallery), the experiment's configuration
 * in a product metafield the storefront may read, attaching a winner to the
 * product, and the web pixel's activation. Small types of our own outside.
 */
import type {
  ExperimentAppWebPixelQuery,
  ExperimentFileCreateMutation,
  ExperimentFileCreateMutationVariables,
  ExperimentFileDeleteMutation,
  ExperimentFileDeleteMutationVariables,
  ExperimentMetafieldDefinitionCreateMutation,
  ExperimentMetafieldDefinitionCreateMutationVariables,
  ExperimentMetafieldsDeleteMutation,
  ExperimentMetafieldsDeleteMutationVariables,
  ExperimentMetafieldsSetMutation,
  ExperimentMetafieldsSetMutationVariables,
  ExperimentWebPixelCreateMutation,
  ExperimentWebPixelCreateMutationVariables,
  ExperimentWebPixelUpdateMutation,
  ExperimentWebPixelUpdateMutationVariables,
} from "~/types/admin.generated";
import type { FileContentType, MetafieldOwnerType, MetafieldStorefrontAccessInput } from "~/types/admin.types";
import type { AdminGraphql } from "./admin-graphql.server";
import { ShopifyMediaError, updateFileReferences } from "./media.server";

/** The app-owned namespace the theme embed reads ($app:image_ab.config). */
export const EXPERIMENT_METAFIELD = { namespace: "$app:image_ab", key: "config" } as const;

export const FILE_CREATE = `#graphql
  mutation ExperimentFileCreate($files: [FileCreateInput!]!) {
    fileCreate(files: $files) {
      files {
        id
        fileStatus
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

/** Creates a File (image) from a staged upload's resource URL; returns its MediaImage id. */
export async function createImageFile(admin: AdminGraphql, input: { originalSource: string; alt: string; filename: string }): Promise<string> {
  const data = await admin.request<ExperimentFileCreateMutation, ExperimentFileCreateMutationVariables>(FILE_CREATE, {
    files: [{ originalSource: input.originalSource, alt: input.alt, filename: input.filename, contentType: "IMAGE" as FileContentType }],
  });
  const refusal = data.fileCreate?.userErrors[0];
  if (refusal) throw new ShopifyMediaError(`Shopify refused the file: ${refusal.message}`, refusal.code ?? null, false);
  const id = data.fileCreate?.files?.[0]?.id;
  if (!id) throw new ShopifyMediaError("Shopify created no file", null, true);
  return id;
}

/** Adds an existing File to the product's gallery (at the end). */
export async function attachFileToProduct(admin: AdminGraphql, fileId: string, productGid: string): Promise<void> {
  const refusal = await updateFileReferences(admin, fileId, { add: productGid });
  if (refusal) throw new ShopifyMediaError(`Shopify refused to add the image to the product: ${refusal.message}`, refusal.code ?? null, false);
}

export const METAFIELD_DEFINITION_CREATE = `#graphql
  mutation ExperimentMetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition {
        id
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

/** The definition that lets the storefront (Liquid) read the metafield. Already defined is fine. */
export async function ensureExperimentMetafieldDefinition(admin: AdminGraphql): Promise<void> {
  const data = await admin.request<ExperimentMetafieldDefinitionCreateMutation, ExperimentMetafieldDefinitionCreateMutationVariables>(
    METAFIELD_DEFINITION_CREATE,
    {
      definition: {
        name: "Image A/B test",
        description: "The running image A/B test of this product, read by the theme app embed. Written by Product Imagery Studio.",
        namespace: EXPERIMENT_METAFIELD.namespace,
        key: EXPERIMENT_METAFIELD.key,
        type: "json",
        ownerType: "PRODUCT" as MetafieldOwnerType,
        access: { storefront: "PUBLIC_READ" as MetafieldStorefrontAccessInput },
      },
    },
  );
  const refusal = data.metafieldDefinitionCreate?.userErrors[0];
  if (refusal && refusal.code !== "TAKEN") throw new ShopifyMediaError(`Shopify refused the metafield definition: ${refusal.message}`, refusal.code ?? null, false);
}

export const METAFIELDS_SET = `#graphql
  mutation ExperimentMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

export async function setExperimentMetafield(admin: AdminGraphql, productGid: string, value: unknown): Promise<void> {
  const data = await admin.request<ExperimentMetafieldsSetMutation, ExperimentMetafieldsSetMutationVariables>(METAFIELDS_SET, {
    metafields: [{ ownerId: productGid, ...EXPERIMENT_METAFIELD, type: "json", value: JSON.stringify(value) }],
  });
  const refusal = data.metafieldsSet?.userErrors[0];
  if (refusal) throw new ShopifyMediaError(`Shopify refused the experiment's metafield: ${refusal.message}`, refusal.code ?? null, false);
}

export const METAFIELDS_DELETE = `#graphql
  mutation ExperimentMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
    metafieldsDelete(metafields: $metafields) {
      deletedMetafields {
        key
      }
      userErrors {
        field
        message
      }
    }
  }
`;

/** Deleting a metafield that is already gone is not an error (stop may run twice). */
export async function deleteExperimentMetafield(admin: AdminGraphql, productGid: string): Promise<void> {
  const data = await admin.request<ExperimentMetafieldsDeleteMutation, ExperimentMetafieldsDeleteMutationVariables>(METAFIELDS_DELETE, {
    metafields: [{ ownerId: productGid, ...EXPERIMENT_METAFIELD }],
  });
  const refusal = data.metafieldsDelete?.userErrors[0];
  if (refusal) throw new ShopifyMediaError(`Shopify refused to remove the experiment's metafield: ${refusal.message}`, null, false);
}

export const WEB_PIXEL_CREATE = `#graphql
  mutation ExperimentWebPixelCreate($webPixel: WebPixelInput!) {
    webPixelCreate(webPixel: $webPixel) {
      webPixel {
        id
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

export const WEB_PIXEL_UPDATE = `#graphql
  mutation ExperimentWebPixelUpdate($id: ID!, $webPixel: WebPixelInput!) {
    webPixelUpdate(id: $id, webPixel: $webPixel) {
      webPixel {
        id
      }
      userErrors {
        code
        field
        message
      }
    }
  }
`;

export interface PixelSettings {
  shopKey: string;
  endpoint: string;
}

export const APP_WEB_PIXEL = `#graphql
  query ExperimentAppWebPixel {
    webPixel {
      id
    }
  }
`;

/**
 * Activates the app's web pixel with these settings, or updates the one
 * already active; returns its id. An app has one pixel: when Shopify says it
 * is taken (created by an attempt whose answer never reached us), that one is
 * looked up and updated.
 */
export async function activateWebPixel(admin: AdminGraphql, settings: PixelSettings, existingId: string | null): Promise<string> {
  const webPixel = { settings: JSON.stringify(settings) };
  const updated = existingId ? await updateWebPixel(admin, existingId, webPixel) : null;
  if (updated) return updated;
  const data = await admin.request<ExperimentWebPixelCreateMutation, ExperimentWebPixelCreateMutationVariables>(WEB_PIXEL_CREATE, { webPixel });
  const refusal = data.webPixelCreate?.userErrors[0];
  if (refusal?.code === "TAKEN") {
    const current = (await admin.request<ExperimentAppWebPixelQuery>(APP_WEB_PIXEL)).webPixel;
    const found = current ? await updateWebPixel(admin, current.id, webPixel) : null;
    if (found) return found;
  }
  if (refusal || !data.webPixelCreate?.webPixel) {
    throw new ShopifyMediaError(`Shopify refused the web pixel: ${refusal?.message ?? "no pixel returned"}`, refusal?.code ?? null, false);
  }
  return data.webPixelCreate.webPixel.id;
}

/** The pixel's id once updated; null when Shopify has no pixel of that id. */
async function updateWebPixel(admin: AdminGraphql, id: string, webPixel: { settings: string }): Promise<string | null> {
  const data = await admin.request<ExperimentWebPixelUpdateMutation, ExperimentWebPixelUpdateMutationVariables>(WEB_PIXEL_UPDATE, { id, webPixel });
  const refusal = data.webPixelUpdate?.userErrors[0];
  if (!refusal && data.webPixelUpdate?.webPixel) return data.webPixelUpdate.webPixel.id;
  if (refusal && refusal.code !== "NOT_FOUND") throw new ShopifyMediaError(`Shopify refused the web pixel: ${refusal.message}`, refusal.code ?? null, false);
  return null;
}

export const FILE_DELETE = `#graphql
  mutation ExperimentFileDelete($fileIds: [ID!]!) {
    fileDelete(fileIds: $fileIds) {
      deletedFileIds
      userErrors {
        code
        field
        message
      }
    }
  }
`;

/** Deletes Files for good; a file already gone is not an error. */
export async function deleteFiles(admin: AdminGraphql, fileIds: string[]): Promise<void> {
  if (!fileIds.length) return;
  const data = await admin.request<ExperimentFileDeleteMutation, ExperimentFileDeleteMutationVariables>(FILE_DELETE, { fileIds });
  const refusal = data.fileDelete?.userErrors.find((e) => e.code !== "FILE_DOES_NOT_EXIST");
  if (refusal) throw new ShopifyMediaError(`Shopify refused to delete the file: ${refusal.message}`, refusal.code ?? null, false);
}
