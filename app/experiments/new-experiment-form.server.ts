import { z } from "zod";
import { trafficWeights } from "./config";
import { MAX_VARIANTS, type CreateExperimentInput } from "./experiments.server";

/**
 * The create form: a product, its chosen A/B candidates, the control's share of
 * visitors (the variants share the rest evenly, as the shop's default does) and
 * the smallest relative lift worth detecting, both in percent.
 */
const formSchema = z.object({
  productGid: z.string().regex(/^gid:\/\/shopify\/Product\/\d+$/),
  candidateIds: z.array(z.string().min(1).max(64)).min(1).max(MAX_VARIANTS),
  controlPercent: z.coerce.number().int().min(1).max(99),
  mdePercent: z.coerce.number().min(1).max(100),
});

export type NewExperimentFieldErrors = Partial<Record<"controlPercent" | "mdePercent", string>>;

export type ParsedNewExperiment =
  | { ok: true; input: Omit<CreateExperimentInput, "shopId"> }
  | { ok: false; error?: string; fieldErrors: NewExperimentFieldErrors };

export function parseNewExperimentForm(form: FormData): ParsedNewExperiment {
  const parsed = formSchema.safeParse({
    productGid: form.get("productGid"),
    candidateIds: form.getAll("candidateId"),
    // An absent or empty field is a missing answer, not 0.
    controlPercent: form.get("controlPercent") || undefined,
    mdePercent: form.get("mdePercent") || undefined,
  });
  const variants = new Set(form.getAll("candidateId")).size;
  const maxControl = 100 - Math.max(variants, 1);
  const fieldErrors: NewExperimentFieldErrors = {};
  // Every variant needs at least 1%, which the schema cannot know before it counts them.
  if (!parsed.success ? parsed.error.issues.some((i) => i.path[0] === "controlPercent") : parsed.data.controlPercent > maxControl) {
    fieldErrors.controlPercent = `Enter a whole percent from 1 to ${maxControl}: each variant needs at least 1%.`;
  }
  if (!parsed.success && parsed.error.issues.some((i) => i.path[0] === "mdePercent")) fieldErrors.mdePercent = "Enter a lift from 1% to 100%.";
  if (!parsed.success || fieldErrors.controlPercent) {
    const other = !parsed.success && parsed.error.issues.some((i) => i.path[0] === "productGid" || i.path[0] === "candidateIds");
    return { ok: false, error: other ? `Choose a product and 1 to ${MAX_VARIANTS} of its A/B candidates.` : undefined, fieldErrors };
  }
  const { productGid, candidateIds, controlPercent, mdePercent } = parsed.data;
  return {
    ok: true,
    input: { productGid, candidateIds, weights: trafficWeights(100 - controlPercent, new Set(candidateIds).size), relativeMde: mdePercent / 100 },
  };
}
