import type { User as AuthUser } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import type { Database } from "@/lib/db/client";
import { burnTime, checkPassword } from "./passwords";

/** The longest email an address can be (RFC 5321); sign-up refuses longer, so no account has one. */
const EMAIL_MAX_LENGTH = 254;
/** An address sign-up would accept; anything else names no account and reaches no query. */
export const emailSchema = z.email().max(EMAIL_MAX_LENGTH);
export const INVALID_EMAIL = "Please enter a valid email address.";

/**
 * Email and password, as a next-auth Credentials provider: the fields it
 * takes and the `authorize` that verifies them. The site calls `authorize`
 * itself, as next-auth's callback route would, and keeps the login in its
 * own session (see docs/decisions/0006-accounts.md for why next-auth's
 * session and routes are not used).
 */
export function credentialsProvider(database: Database) {
  return Credentials({
    name: "Email and password",
    credentials: {
      email: { label: "Email", type: "email" },
      password: { label: "Password", type: "password" },
    },
    async authorize(credentials): Promise<AuthUser | null> {
      const email = normaliseEmail(credentials?.email ?? "");
      const password = credentials?.password ?? "";
      const user = await database.user.findUnique({ where: { email } });
      if (!user) {
        await burnTime(password);
        return null;
      }
      if (!(await checkPassword(password, user.passwordHash))) return null;
      return { id: String(user.id), email: user.email };
    },
  });
}

/** The account's id when the email and password match one, else null. */
export async function authenticate(
  database: Database,
  email: string,
  password: string,
): Promise<number | null> {
  const provider = credentialsProvider(database);
  // next-auth keeps the user's options (our authorize) under `options` and merges them in
  // before calling; the provider object's own `authorize` is a placeholder.
  const { authorize } = { ...provider, ...(provider.options as typeof provider) };
  const request = { body: { email, password }, method: "POST", headers: {}, query: {} };
  const user = await authorize({ email, password }, request);
  return user ? Number(user.id) : null;
}

/** Emails are compared case-insensitively: stored trimmed and lower-cased. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
