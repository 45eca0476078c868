/**
 * A merchant's verdict on one candidate: approve, reject, or put it in (or
 * take it out of) the A/B set. Published candidates are settled: they change
 * only through publishing's undo, never from here.
 */
import type { Db } from "~/db/client.server";

export const DECISIONS = ["approve", "reject", "ab-on", "ab-off", "reset"] as const;
export type Decision = (typeof DECISIONS)[number];

export type DecideResult =
  | { ok: true; candidate: { id: string; status: string; abCandidate: boolean } }
  | { ok: false; status: 404 | 409; message: string };

/** Which statuses each decision may start from, and what it writes. */
const RULES: Record<Decision, { from: string[]; data: { status?: string; abCandidate?: boolean } }> = {
  approve: { from: ["new", "approved", "rejected"], data: { status: "approved" } },
  // A rejected image is not worth testing, so it leaves the A/B set too.
  reject: { from: ["new", "approved", "rejected"], data: { status: "rejected", abCandidate: false } },
  reset: { from: ["new", "approved", "rejected"], data: { status: "new" } },
  "ab-on": { from: ["new", "approved", "published"], data: { abCandidate: true } },
  "ab-off": { from: ["new", "approved", "rejected", "published"], data: { abCandidate: false } },
};

const REFUSALS: Record<string, string> = {
  published: "This image is already on the product. Undo the publish first to change your decision.",
  rejected: "This image was rejected. Approve it again before adding it to the A/B set.",
};

export async function decideCandidate(db: Db, shopId: string, candidateId: string, decision: Decision): Promise<DecideResult> {
  const current = await db.candidate.findFirst({ where: { id: candidateId, shopId }, select: { status: true } });
  if (!current) return { ok: false, status: 404, message: "That image does not exist." };
  // Mid-publish or mid-undo the verdict is what the running job acts on; it must not change under it.
  const moving = await db.publication.findFirst({ where: { candidateId, shopId, status: { in: ["publishing", "undoing"] } }, select: { status: true } });
  if (moving) {
    return {
      ok: false,
      status: 409,
      message: moving.status === "publishing" ? "This image is being published. Wait for it to finish, or undo it afterwards." : "This image is being removed from the product. Wait for that to finish.",
    };
  }
  const rule = RULES[decision];
  if (!rule.from.includes(current.status)) {
    return { ok: false, status: 409, message: REFUSALS[current.status] ?? "This image cannot be changed right now." };
  }
  // Conditional on the status just read, so a publish that landed in between is never overwritten.
  const { count } = await db.candidate.updateMany({ where: { id: candidateId, shopId, status: current.status }, data: rule.data });
  if (count === 0) return { ok: false, status: 409, message: "This image changed while you were deciding. Look again and retry." };
  const candidate = await db.candidate.findFirstOrThrow({
    where: { id: candidateId, shopId },
    select: { id: true, status: true, abCandidate: true },
  });
  return { ok: true, candidate };
}
