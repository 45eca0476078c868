-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Experiment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "productGid" TEXT NOT NULL,
    "productTitle" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'draft',
    "liveProductKey" TEXT,
    "relativeMde" REAL NOT NULL DEFAULT 0.1,
    "alpha" REAL NOT NULL DEFAULT 0.05,
    "controlImageUrl" TEXT NOT NULL,
    "controlMediaId" TEXT,
    "controlFileName" TEXT NOT NULL,
    "winnerArmKey" TEXT,
    "lastError" TEXT,
    "startedAt" DATETIME,
    "stoppedAt" DATETIME,
    "winnerAppliedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "pendingAction" TEXT,
    "pendingArmKey" TEXT,
    "pendingDeleteLosers" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "Experiment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Experiment" ("alpha", "controlFileName", "controlImageUrl", "controlMediaId", "createdAt", "id", "lastError", "liveProductKey", "productGid", "productTitle", "relativeMde", "shopId", "startedAt", "status", "stoppedAt", "updatedAt", "winnerAppliedAt", "winnerArmKey") SELECT "alpha", "controlFileName", "controlImageUrl", "controlMediaId", "createdAt", "id", "lastError", "liveProductKey", "productGid", "productTitle", "relativeMde", "shopId", "startedAt", "status", "stoppedAt", "updatedAt", "winnerAppliedAt", "winnerArmKey" FROM "Experiment";
DROP TABLE "Experiment";
ALTER TABLE "new_Experiment" RENAME TO "Experiment";
CREATE UNIQUE INDEX "Experiment_liveProductKey_key" ON "Experiment"("liveProductKey");
CREATE INDEX "Experiment_shopId_status_idx" ON "Experiment"("shopId", "status");
CREATE INDEX "Experiment_shopId_productGid_idx" ON "Experiment"("shopId", "productGid");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

