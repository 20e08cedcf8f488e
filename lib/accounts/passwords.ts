import { hash, verify } from "@node-rs/argon2";

/**
 * Passwords are stored as argon2id hashes (the PHC string carries the salt and
 * the cost, so the cost can rise later without breaking old hashes). The
 * parameters are OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane.
 */
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN_LENGTH = 10;
/** argon2 accepts more, but a longer "password" is a denial-of-service vector, not a secret. */
export const PASSWORD_MAX_LENGTH = 200;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Whether `password` matches `passwordHash` (always one of ours: a malformed hash throws). */
export function checkPassword(password: string, passwordHash: string): Promise<boolean> {
  return verify(passwordHash, password);
}

/**
 * Hashed when an email has no account, so that "no such account" takes as long
 * as "wrong password" and timing does not reveal which emails are registered.
 */
let dummyHash: Promise<string> | undefined;
export async function burnTime(password: string): Promise<void> {
  dummyHash ??= hashPassword("evermore-timing-equaliser");
  await checkPassword(password, await dummyHash);
}
