import { z } from "zod";
import { plainTextRule } from "@/lib/plain-text";
import { LIMITS, looseDate } from "./drafts";
import type { Outcome } from "./outcome";
import { ok, refused } from "./outcome";

/** What a visitor can edit about a pet: everything but photos and stories. */
export interface Details {
  name: string;
  species: string;
  born: string | null;
  died: string | null;
  epitaph: string;
}

const DATE_HINT = "Dates look like 2011, 2011-05 or 2011-05-04.";

const optionalDate = (label: string) =>
  z
    .string(`${label}: ${DATE_HINT}`)
    .trim()
    .refine(...plainTextRule(label))
    .transform((text) => text || null)
    .refine((text) => text === null || isLooseDate(text), `${label}: ${DATE_HINT}`);

const detailsInput = z
  .object({
    name: z
      .string("Please give your companion's name.")
      .trim()
      .min(1, "Please give your companion's name.")
      .max(LIMITS.nameLength, `A name can be up to ${LIMITS.nameLength} characters.`)
      .refine(...plainTextRule("The name")),
    species: z
      .string()
      .trim()
      .max(LIMITS.speciesLength, `Species can be up to ${LIMITS.speciesLength} characters.`)
      .refine(...plainTextRule("Species"))
      .default(""),
    born: optionalDate("Born").default(null),
    died: optionalDate("Passed away").default(null),
    epitaph: z
      .string()
      .trim()
      .max(LIMITS.epitaphLength, `An epitaph can be up to ${LIMITS.epitaphLength} characters.`)
      // A textarea: a line break typed there is the visitor's, not a stray control character.
      .refine(...plainTextRule("The epitaph", { multiLine: true }))
      .default(""),
  })
  .refine((d) => inOrder(d.born, d.died), {
    message: "The date they passed away comes before the date they were born.",
  });

/**
 * Checks a submitted details form (a plain object of its fields) and
 * returns the cleaned details, or the first problem in words a visitor
 * understands.
 */
export function parseDetails(input: Record<string, unknown>): Outcome<Details> {
  const parsed = detailsInput.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  return refused(parsed.error.issues[0]?.message ?? "Please check the details.");
}

/** The session's date pattern, and a real day: `2011-13` and `2011-02-31` match the pattern only. */
function isLooseDate(text: string): boolean {
  if (!looseDate.safeParse(text).success) return false;
  const [year, month = 1, day = 1] = text.split("-").map(Number);
  const date = new Date(Date.UTC(year!, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Compares only as precisely as both dates are known: `2011` is not after `2011-05`. */
function inOrder(born: string | null, died: string | null): boolean {
  if (!born || !died) return true;
  const precision = Math.min(born.length, died.length);
  return born.slice(0, precision) <= died.slice(0, precision);
}
