/** The shop lifecycle use cases wired for the webhook routes. */
import { controlDeps } from "~/batches/services.server";
import type { UninstallDeps } from "./uninstall.server";

export const uninstallDeps: UninstallDeps = { ...controlDeps };
