-- DropIndex
DROP INDEX "CostLedgerEntry_itemId_key";

-- AlterTable
ALTER TABLE "BatchItem" ADD COLUMN     "paidAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "CostLedgerEntry" ADD COLUMN     "attempt" INTEGER NOT NULL DEFAULT 1;

-- CreateIndex
CREATE UNIQUE INDEX "CostLedgerEntry_itemId_attempt_key" ON "CostLedgerEntry"("itemId", "attempt");

