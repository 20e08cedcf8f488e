import { z } from "zod";
import type { SessionBase, SessionStoreClass } from "@/lib/sessions";
import { BadSignature, dumps, loads } from "@/lib/sessions";
import { maskKey } from "./mask";

/**
 * The logout demo's evidence that `flush()` killed the old key. The check
 * runs in the action, right after the flush, while the old key is still in
 * memory; the key is then dropped. Only the result crosses the redirect, in
 * the URL, signed so that nobody can hand the page a made-up "proof", and
 * carrying nothing but a masked key.
 */
export interface FlushProof {
  /** The old key as the page may show it (`abcd…wxyz`). */
  oldKey: string;
  /** How many values the session held before the flush. */
  valuesBefore: number;
  /** The store still has a record under the old key. */
  recordExists: boolean;
  /** How many values a fresh session opened with the old key finds. */
  valuesUnderOldKey: number;
}

const proofSchema = z.object({
  oldKey: z.string().max(12),
  valuesBefore: z.number().int().min(0),
  recordExists: z.boolean(),
  valuesUnderOldKey: z.number().int().min(0),
});

/** Proofs are signed for this purpose only, and read for ten minutes. */
const SALT = "evermore.how-it-works.flush-proof";
const PROOF_MAX_AGE = 600;

/** Flushes the session (logout), then asks the store what is left under the old key. */
export async function flushAndProve(
  session: SessionBase,
  Store: SessionStoreClass,
): Promise<FlushProof> {
  // Loading first turns an unknown or expired key into no key, as the flush would.
  const valuesBefore = (await session.keys()).length;
  const oldKey = session.sessionKey;
  await session.flush();
  if (!oldKey)
    return { oldKey: maskKey(null), valuesBefore, recordExists: false, valuesUnderOldKey: 0 };
  const probe = new Store(oldKey);
  return {
    oldKey: maskKey(oldKey),
    valuesBefore,
    recordExists: await probe.exists(oldKey),
    valuesUnderOldKey: (await probe.keys()).length,
  };
}

/** The old key is dead: no record, and opening it gives an empty session. */
export function oldKeyIsDead(proof: FlushProof): boolean {
  return !proof.recordExists && proof.valuesUnderOldKey === 0;
}

export function signProof(proof: FlushProof, secret: string): string {
  return dumps({ ...proof }, { key: secret, salt: SALT });
}

/** The proof in a URL, or null when it is missing, tampered with, malformed or too old. */
export function readProof(text: string | undefined, secret: string): FlushProof | null {
  if (!text) return null;
  try {
    const parsed = proofSchema.safeParse(
      loads(text, { key: secret, salt: SALT, maxAge: PROOF_MAX_AGE }),
    );
    return parsed.success ? parsed.data : null;
  } catch (error) {
    if (error instanceof BadSignature) return null;
    throw error;
  }
}
