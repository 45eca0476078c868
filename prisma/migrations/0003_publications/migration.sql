-- CreateTable
CREATE TABLE "Publication" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "candidateId" TEXT NOT NULL,
    "productGid" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'publishing',
    "step" TEXT NOT NULL DEFAULT 'requested',
    "makeFeatured" BOOLEAN NOT NULL DEFAULT false,
    "fileName" TEXT NOT NULL,
    "stagedResourceUrl" TEXT,
    "shopifyMediaId" TEXT,
    "mediaBeforeJson" TEXT,
    "mediaAfterJson" TEXT,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "publishedAt" DATETIME,
    "undoneAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Publication_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Publication_candidateId_fkey" FOREIGN KEY ("candidateId") REFERENCES "Candidate" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Publication_candidateId_key" ON "Publication"("candidateId");

-- CreateIndex
CREATE INDEX "Publication_shopId_status_idx" ON "Publication"("shopId", "status");

-- CreateIndex
CREATE INDEX "Publication_shopId_productGid_idx" ON "Publication"("shopId", "productGid");

