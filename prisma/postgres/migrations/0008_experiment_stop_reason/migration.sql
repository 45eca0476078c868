-- AlterTable
ALTER TABLE "Experiment" ADD COLUMN     "stopReason" TEXT;

