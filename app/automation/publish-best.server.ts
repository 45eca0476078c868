/**
 * Auto-publish: the automation settings stand in for the merchant's approval
 * of the best candidate, then the publish use case does the rest (staged
 * upload, product media, READY, featured) as its own resumable job.
 */
import type { Db } from "~/db/client.server";
import { enqueuePublish } from "~/publish/jobs";
import { requestPublication } from "~/publish/publish.server";
import type { JobQueue } from "~/queue/types";
import type { PublishBestInput } from "./jobs.server";

export function publishBestWith(db: Db, queue: Pick<JobQueue, "enqueue">): (input: PublishBestInput) => Promise<void> {
  return async ({ shopId, candidateId }) => {
    await db.candidate.updateMany({ where: { id: candidateId, shopId, status: "new" }, data: { status: "approved" } });
    const { needsRun } = await requestPublication(db, { shopId, candidateId, makeFeatured: true });
    if (needsRun) await enqueuePublish(queue, shopId, candidateId);
  };
}
