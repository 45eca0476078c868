// Entry point Shopify's runtime loads; the logic lives in pixel.ts so it can be tested as a plain module.
import { register } from "@shopify/web-pixels-extension";
import { createPixel } from "./pixel";

register(createPixel);
