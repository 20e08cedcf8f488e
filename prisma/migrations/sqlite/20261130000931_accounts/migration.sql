-- CreateTable
CREATE TABLE "accounts_user" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "session_epoch" INTEGER NOT NULL DEFAULT 0,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "memorials_memorial" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "owner_id" INTEGER NOT NULL,
    "draft_id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "species" TEXT NOT NULL,
    "born" TEXT,
    "died" TEXT,
    "epitaph" TEXT NOT NULL,
    "published" BOOLEAN NOT NULL DEFAULT false,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "memorials_memorial_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "accounts_user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "memorials_photo" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "memorial_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "alt" TEXT NOT NULL,
    CONSTRAINT "memorials_photo_memorial_id_fkey" FOREIGN KEY ("memorial_id") REFERENCES "memorials_memorial" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "memorials_story" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "memorial_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "memorials_story_memorial_id_fkey" FOREIGN KEY ("memorial_id") REFERENCES "memorials_memorial" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "accounts_session" (
    "session_key" TEXT NOT NULL PRIMARY KEY,
    "session_data" TEXT NOT NULL,
    "expire_date" DATETIME NOT NULL,
    "user_id" INTEGER,
    "device" TEXT NOT NULL DEFAULT '',
    "last_seen" DATETIME NOT NULL,
    CONSTRAINT "accounts_session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "accounts_user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "accounts_login_attempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "bucket" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
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
