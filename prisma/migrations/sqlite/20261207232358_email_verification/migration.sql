-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_accounts_user" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "session_epoch" INTEGER NOT NULL DEFAULT 0,
    "email_verified" BOOLEAN NOT NULL DEFAULT false,
    "last_login" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- Accounts made before sign-up sent a confirmation link count as confirmed.
INSERT INTO "new_accounts_user" ("created_at", "email", "id", "password_hash", "session_epoch", "email_verified") SELECT "created_at", "email", "id", "password_hash", "session_epoch", true FROM "accounts_user";
DROP TABLE "accounts_user";
ALTER TABLE "new_accounts_user" RENAME TO "accounts_user";
CREATE UNIQUE INDEX "accounts_user_email_key" ON "accounts_user"("email");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
