import type { Db } from "~/db/client.server";
import { AUTOMATION_SOURCES } from "./launch.server";

/** Candidates automation made that nobody has reviewed yet: the nav's "new" badge. */
export async function newAutomationCandidates(db: Db, shopId: string): Promise<number> {
  return db.candidate.count({ where: { shopId, status: "new", item: { batch: { source: { in: [...AUTOMATION_SOURCES] } } } } });
}
