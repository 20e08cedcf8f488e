-- CreateTable
CREATE TABLE "accounts_user" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "session_epoch" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memorials_memorial" (
    "id" SERIAL NOT NULL,
    "owner_id" INTEGER NOT NULL,
    "draft_id" VARCHAR(32) NOT NULL,
    "slug" VARCHAR(120) NOT NULL,
    "name" VARCHAR(80) NOT NULL,
    "species" VARCHAR(40) NOT NULL,
    "born" VARCHAR(10),
    "died" VARCHAR(10),
    "epitaph" VARCHAR(280) NOT NULL,
    "published" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "memorials_memorial_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memorials_photo" (
    "id" VARCHAR(32) NOT NULL,
    "memorial_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "alt" VARCHAR(200) NOT NULL,

    CONSTRAINT "memorials_photo_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "memorials_story" (
    "id" SERIAL NOT NULL,
    "memorial_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "title" VARCHAR(120) NOT NULL,
    "body" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "memorials_story_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts_session" (
    "session_key" VARCHAR(40) NOT NULL,
    "session_data" TEXT NOT NULL,
    "expire_date" TIMESTAMPTZ(6) NOT NULL,
    "user_id" INTEGER,
    "device" VARCHAR(200) NOT NULL DEFAULT '',
    "last_seen" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "accounts_session_pkey" PRIMARY KEY ("session_key")
);

-- CreateTable
CREATE TABLE "accounts_login_attempt" (
    "id" SERIAL NOT NULL,
    "bucket" VARCHAR(320) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_login_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "accounts_user_email_key" ON "accounts_user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "memorials_memorial_slug_key" ON "memorials_memorial"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "memorials_memorial_owner_id_draft_id_key" ON "memorials_memorial"("owner_id", "draft_id");

-- CreateIndex
CREATE INDEX "memorials_photo_memorial_id_idx" ON "memorials_photo"("memorial_id");

-- CreateIndex
CREATE INDEX "memorials_story_memorial_id_idx" ON "memorials_story"("memorial_id");

-- CreateIndex
CREATE INDEX "accounts_session_expire_date_idx" ON "accounts_session"("expire_date");

-- CreateIndex
CREATE INDEX "accounts_session_user_id_idx" ON "accounts_session"("user_id");

-- CreateIndex
CREATE INDEX "accounts_login_attempt_bucket_created_at_idx" ON "accounts_login_attempt"("bucket", "created_at");

-- AddForeignKey
ALTER TABLE "memorials_memorial" ADD CONSTRAINT "memorials_memorial_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "accounts_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memorials_photo" ADD CONSTRAINT "memorials_photo_memorial_id_fkey" FOREIGN KEY ("memorial_id") REFERENCES "memorials_memorial"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "memorials_story" ADD CONSTRAINT "memorials_story_memorial_id_fkey" FOREIGN KEY ("memorial_id") REFERENCES "memorials_memorial"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "accounts_session" ADD CONSTRAINT "accounts_session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "accounts_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
