import type { SceneSpec } from "../provider";
import type { LightDirection, StudioScene } from "./types";

/** Providers light from three sides; the in-between directions go to the side they lean to. */
const PROVIDER_LIGHT: Record<LightDirection, NonNullable<SceneSpec["light"]>> = {
  left: "left",
  right: "right",
  top: "top",
  front: "top",
  "top-left": "left",
  "top-right": "right",
};

/**
 * A preset's backdrop in the provider interface's terms. Strengths become
 * on/off because the renderers draw one vignette and one reflection; any
 * strength above zero means the preset wants it.
 */
export function sceneSpecFor(scene: StudioScene): SceneSpec {
  return {
    surface: scene.kind,
    colors: [...scene.palette],
    light: PROVIDER_LIGHT[scene.light],
    vignette: scene.vignette > 0,
    reflection: scene.reflection > 0,
  };
}
