-- CreateTable
CREATE TABLE "memorials_photo_upload" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "bucket" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "memorials_photo_upload_bucket_created_at_idx" ON "memorials_photo_upload"("bucket", "created_at");
