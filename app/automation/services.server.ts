/** Automation's use cases wired for the app's routes: the app's database and job queue. */
import { controlDeps } from "~/batches/services.server";
import { db } from "~/db.server";
import type { IntakeDeps } from "./intake.server";

export const intakeDeps: IntakeDeps = { db, queue: controlDeps.queue, now: () => new Date() };
