-- CreateTable
CREATE TABLE "PixelKey" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "key" TEXT NOT NULL,
    "webPixelId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "PixelKey_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Experiment" (
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
    CONSTRAINT "Experiment_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExperimentArm" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "experimentId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "isControl" BOOLEAN NOT NULL DEFAULT false,
    "weight" INTEGER NOT NULL,
    "candidateId" TEXT,
    "shopifyFileId" TEXT,
    "fileStatus" TEXT NOT NULL DEFAULT 'pending',
    "imageUrl" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ExperimentArm_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExperimentEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "experimentId" TEXT NOT NULL,
    "armKey" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL DEFAULT 1,
    "revenueMicros" BIGINT NOT NULL DEFAULT 0,
    "occurredAt" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ExperimentEvent_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExperimentVisitor" (
    "experimentId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "armKey" TEXT NOT NULL,
    "addedToCart" BOOLEAN NOT NULL DEFAULT false,
    "purchased" BOOLEAN NOT NULL DEFAULT false,
    "revenueMicros" BIGINT NOT NULL DEFAULT 0,
    "firstSeenAt" DATETIME NOT NULL,

    PRIMARY KEY ("experimentId", "clientId"),
    CONSTRAINT "ExperimentVisitor_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ExperimentDailyAggregate" (
    "experimentId" TEXT NOT NULL,
    "armKey" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "visitors" INTEGER NOT NULL DEFAULT 0,
    "views" INTEGER NOT NULL DEFAULT 0,
    "addToCarts" INTEGER NOT NULL DEFAULT 0,
    "addToCartVisitors" INTEGER NOT NULL DEFAULT 0,
    "orders" INTEGER NOT NULL DEFAULT 0,
    "purchasers" INTEGER NOT NULL DEFAULT 0,
    "revenueMicros" BIGINT NOT NULL DEFAULT 0,

    PRIMARY KEY ("experimentId", "armKey", "day"),
    CONSTRAINT "ExperimentDailyAggregate_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "PixelKey_key_key" ON "PixelKey"("key");

-- CreateIndex
CREATE UNIQUE INDEX "Experiment_liveProductKey_key" ON "Experiment"("liveProductKey");

-- CreateIndex
CREATE INDEX "Experiment_shopId_status_idx" ON "Experiment"("shopId", "status");

-- CreateIndex
CREATE INDEX "Experiment_shopId_productGid_idx" ON "Experiment"("shopId", "productGid");

-- CreateIndex
CREATE INDEX "ExperimentArm_shopId_idx" ON "ExperimentArm"("shopId");

-- CreateIndex
CREATE UNIQUE INDEX "ExperimentArm_experimentId_key_key" ON "ExperimentArm"("experimentId", "key");

-- CreateIndex
CREATE INDEX "ExperimentEvent_shopId_experimentId_receivedAt_idx" ON "ExperimentEvent"("shopId", "experimentId", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "ExperimentEvent_experimentId_dedupeKey_key" ON "ExperimentEvent"("experimentId", "dedupeKey");

-- CreateIndex
CREATE INDEX "ExperimentVisitor_experimentId_armKey_purchased_idx" ON "ExperimentVisitor"("experimentId", "armKey", "purchased");

-- CreateIndex
CREATE INDEX "ExperimentDailyAggregate_shopId_idx" ON "ExperimentDailyAggregate"("shopId");

