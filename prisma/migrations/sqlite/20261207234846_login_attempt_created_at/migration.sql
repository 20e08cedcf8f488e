-- CreateIndex
CREATE INDEX "accounts_login_attempt_created_at_idx" ON "accounts_login_attempt"("created_at");
