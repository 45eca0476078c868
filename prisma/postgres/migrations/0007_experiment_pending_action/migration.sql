-- AlterTable
ALTER TABLE "Experiment" ADD COLUMN     "pendingAction" TEXT,
ADD COLUMN     "pendingArmKey" TEXT,
ADD COLUMN     "pendingDeleteLosers" BOOLEAN NOT NULL DEFAULT false;

