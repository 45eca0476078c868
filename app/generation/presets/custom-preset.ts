import { z } from "zod";
import {
  LIGHT_DIRECTIONS,
  PRESET_CATEGORIES,
  REQUIRABLE_CAPABILITIES,
  ON_MODEL_SUBJECTS,
  SCENE_KINDS,
  TEMPLATE_PLACEHOLDERS,
  type Preset,
} from "./types";

// eslint-disable-next-line no-control-regex -- finding control characters is the purpose
const NO_CONTROL_CHARS = /^[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]*$/;
// eslint-disable-next-line no-control-regex -- finding control characters is the purpose
const NO_CONTROL_CHARS_OR_NEWLINES = /^[^\u0000-\u001f\u007f-\u009f]*$/;

const line = (what: string, max: number) =>
  z
    .string()
    .trim()
    .min(1, `${what} cannot be empty`)
    .max(max, `${what} must be at most ${max} characters`)
    .regex(NO_CONTROL_CHARS_OR_NEWLINES, `${what} must be a single line of plain text`);

const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, "Scene colours must be hex codes like #e6d8c3").transform((h) => h.toLowerCase());

const capability = z.enum(REQUIRABLE_CAPABILITIES, {
  errorMap: (_issue, ctx) => ({
    message: `Unknown capability ${JSON.stringify(ctx.data)}. Allowed: ${REQUIRABLE_CAPABILITIES.join(", ")}`,
  }),
});

const PLACEHOLDER = /\{([^{}]*)\}/g;

function templateProblems(template: string): string[] {
  const problems: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) {
    const name = m[1] ?? "";
    if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name)) {
      problems.push(`Unknown placeholder {${name}}. Allowed: ${TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(", ")}`);
    }
  }
  const leftover = template.replace(PLACEHOLDER, "");
  if (leftover.includes("{") || leftover.includes("}")) problems.push("Template has an unmatched { or }");
  if (!template.includes("{product}")) problems.push("Template must mention {product}");
  return problems;
}

/** A preset a merchant saves for their shop. Ids are assigned on save, never taken from input. */
export const customPresetSchema = z
  .object({
    name: line("Name", 60),
    category: z.enum(PRESET_CATEGORIES, {
      errorMap: () => ({ message: `Category must be one of: ${PRESET_CATEGORIES.join(", ")}` }),
    }),
    template: z
      .string()
      .trim()
      .min(20, "Template must be at least 20 characters")
      .max(1500, "Template must be at most 1500 characters")
      .regex(NO_CONTROL_CHARS, "Template must not contain control characters")
      .superRefine((template, ctx) => {
        for (const message of templateProblems(template)) ctx.addIssue({ code: z.ZodIssueCode.custom, message });
      }),
    size: z.string().regex(/^(?:auto|[1-9]\d{1,4}x[1-9]\d{1,4})$/, 'Size must be "auto" or WIDTHxHEIGHT, e.g. 1024x1024'),
    quality: z.enum(["low", "medium", "high", "auto"]),
    background: z.enum(["transparent", "opaque", "auto"]).default("opaque"),
    requires: z.array(capability).max(REQUIRABLE_CAPABILITIES.length).default(["editWithReferences"]),
    productTypes: z.array(line("Product type", 60)).max(20, "At most 20 product types").optional(),
    studioScene: z
      .object({
        kind: z.enum(SCENE_KINDS, {
          errorMap: () => ({ message: `Scene kind must be one of: ${SCENE_KINDS.join(", ")}` }),
        }),
        palette: z.array(hexColour).min(1, "Scene needs at least one colour").max(4, "At most 4 scene colours"),
        light: z.enum(LIGHT_DIRECTIONS),
        vignette: z.number().min(0).max(1),
        reflection: z.number().min(0).max(1),
      })
      .strict(),
    scenes: z.array(line("Scene", 200)).min(1, "Add at least one scene").max(12, "At most 12 scenes"),
    angles: z.array(line("Angle", 120)).min(1, "Add at least one camera angle").max(8, "At most 8 angles"),
    lighting: z.array(line("Lighting", 120)).min(1, "Add at least one lighting setup").max(8, "At most 8 lighting setups"),
    avoid: z.array(line("Avoid item", 80)).max(20, "At most 20 things to avoid").default([]),
    onModel: z
      .object({
        subject: z.enum(ON_MODEL_SUBJECTS),
        poses: z.array(line("Pose", 120)).min(1, "Add at least one pose").max(8, "At most 8 poses"),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((preset, ctx) => {
    const onModel = preset.category === "on-model";
    if (onModel !== preset.requires.includes("onModel")) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["requires"],
        message: onModel
          ? 'On-model presets must require "onModel"'
          : 'Only on-model presets can require "onModel"',
      });
    }
    if (onModel !== (preset.onModel !== undefined)) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["onModel"],
        message: onModel ? "On-model presets need a subject and poses" : "Poses are only for on-model presets",
      });
    }
    if (preset.template.includes("{model}") && !onModel) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ["template"], message: "{model} is only for on-model presets" });
    }
    if (preset.background === "transparent" && !preset.requires.includes("transparentBackground")) {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["requires"],
        message: 'Transparent presets must require "transparentBackground"',
      });
    }
  });

export type CustomPresetInput = z.input<typeof customPresetSchema>;

export function toPreset(id: string, input: z.output<typeof customPresetSchema>): Preset {
  return {
    id: `custom:${id}`,
    name: input.name,
    category: input.category,
    template: input.template,
    size: input.size,
    quality: input.quality,
    background: input.background,
    requires: input.requires,
    productTypes: input.productTypes?.map((t) => t.toLowerCase()),
    studioScene: input.studioScene,
    productPreserving: input.onModel === undefined,
    scenes: input.scenes,
    angles: input.angles,
    lighting: input.lighting,
    avoid: input.avoid,
    onModel: input.onModel && { ...input.onModel, framing: input.angles[0] ?? "" },
  };
}
