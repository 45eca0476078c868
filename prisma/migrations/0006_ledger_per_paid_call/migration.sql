-- AlterTable
ALTER TABLE "BatchItem" ADD COLUMN "paidAt" DATETIME;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CostLedgerEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "itemId" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "providerId" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "amountMicros" BIGINT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CostLedgerEntry_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_CostLedgerEntry" ("amountMicros", "createdAt", "id", "itemId", "model", "providerId", "shopId") SELECT "amountMicros", "createdAt", "id", "itemId", "model", "providerId", "shopId" FROM "CostLedgerEntry";
DROP TABLE "CostLedgerEntry";
ALTER TABLE "new_CostLedgerEntry" RENAME TO "CostLedgerEntry";
CREATE INDEX "CostLedgerEntry_shopId_createdAt_idx" ON "CostLedgerEntry"("shopId", "createdAt");
CREATE UNIQUE INDEX "CostLedgerEntry_itemId_attempt_key" ON "CostLedgerEntry"("itemId", "attempt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

