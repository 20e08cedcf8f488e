import fs from "node:fs";
import path from "node:path";

/**
 * The last check of `npm test`: everything the run printed, and every
 * `next start` the tests ran, must hold no secret and no session key.
 * A leak is described by where it is and a masked excerpt, never repeated
 * whole (the report would leak it again).
 */

/**
 * A session key: 32 characters of a-z0-9, standing alone. Hexadecimal
 * strings of that length (digests, fingerprints) are not keys: a random key
 * has a letter after `f` in all but one case in 10^14.
 */
const KEY_LIKE = /(?<![A-Za-z0-9])[a-z0-9]{32}(?![A-Za-z0-9])/g;
const HEX = /^[0-9a-f]+$/;

export interface Leak {
  file: string;
  line: number;
  what: string;
}

export function findLeaks(text: string, secrets: string[], file = "output"): Leak[] {
  const leaks: Leak[] = [];
  text.split("\n").forEach((content, index) => {
    secrets.forEach((secret, which) => {
      if (secret && content.includes(secret))
        leaks.push({ file, line: index + 1, what: `secret #${which + 1}` });
    });
    for (const [token] of content.matchAll(KEY_LIKE)) {
      if (!HEX.test(token))
        leaks.push({ file, line: index + 1, what: `a session key ${token.slice(0, 4)}…` });
    }
  });
  return leaks;
}

/** Every `.log` file under `dir`, scanned. */
export function findLeaksInDirectory(dir: string, secrets: string[]): Leak[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".log"))
    .flatMap((name) => {
      const file = path.join(dir, name);
      return findLeaks(fs.readFileSync(file, "utf8"), secrets, file);
    });
}
