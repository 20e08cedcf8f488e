/**
 * Random Cookie headers from a seeded generator (a failure names its seed
 * and can be replayed): well-formed and broken session keys, signed-cookie
 * look-alikes, percent-encoding, control characters, non-ASCII, several
 * cookies and several session cookies in one header.
 */
export function seededRandom(seed: number): () => number {
  // mulberry32: small, fast, and the same sequence on every machine.
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join("");
const SPECIAL = [
  "../",
  "..\\",
  "/",
  "\\",
  "%2e%2e%2f",
  "%00",
  "%",
  "%zz",
  "%E0%A4%A",
  ":",
  "=",
  ";",
  '"',
];
const UNICODE = ["ｓｅｓｓｉｏｎ", "．．／", "é", "😀", "\u202e", "\ufeff"];
/** Control bytes a request line can carry (not CR or LF, which end the header). */
const CONTROL = [0x00, 0x01, 0x08, 0x09, 0x0b, 0x0c, 0x1b, 0x7f];

export function randomCookieHeader(random: () => number): Buffer {
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const text = (alphabet: string, max: number) =>
    Array.from({ length: Math.floor(random() * max) }, () => pick([...alphabet])).join("");
  const value = (): Buffer => {
    switch (Math.floor(random() * 7)) {
      case 0:
        return Buffer.from(text(KEY_CHARS, 45)); // a key of any length, 0 to 44
      case 1:
        return Buffer.from(text(PRINTABLE, 300));
      case 2:
        return Buffer.from(`${text(KEY_CHARS, 20)}${pick(SPECIAL)}${text(KEY_CHARS, 20)}`);
      case 3:
        return Buffer.from(`${pick(UNICODE)}${text(KEY_CHARS, 32)}`, "utf8");
      case 4:
        return Buffer.concat([Buffer.from(text(KEY_CHARS, 16)), Buffer.from([pick(CONTROL)])]);
      case 5: // a signed value's shape: data:timestamp:signature
        return Buffer.from(`${text(PRINTABLE, 60)}:${text(KEY_CHARS, 6)}:${text(PRINTABLE, 43)}`);
      default:
        return Buffer.from(text(KEY_CHARS, 32).padEnd(32, "a"));
    }
  };
  const parts: Buffer[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let i = 0; i < count; i++) {
    const name =
      random() < 0.8 ? "sessionid" : pick(["SessionID", " sessionid", "sessionid ", "other"]);
    parts.push(Buffer.from(`${name}=`), value());
    if (i < count - 1) parts.push(Buffer.from(pick(["; ", ";", "; ;", ", "])));
  }
  return Buffer.concat(parts);
}
