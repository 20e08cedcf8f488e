-- AlterTable
ALTER TABLE "accounts_user" ADD COLUMN     "email_verified" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "last_login" TIMESTAMPTZ(6);

-- Accounts made before sign-up sent a confirmation link count as confirmed.
UPDATE "accounts_user" SET "email_verified" = true;
