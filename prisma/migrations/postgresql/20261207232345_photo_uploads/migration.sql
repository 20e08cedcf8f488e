-- CreateTable
CREATE TABLE "memorials_photo_upload" (
    "id" SERIAL NOT NULL,
    "bucket" VARCHAR(320) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "memorials_photo_upload_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "memorials_photo_upload_bucket_created_at_idx" ON "memorials_photo_upload"("bucket", "created_at");
