/**
 * What visitors may type into a text field: anything printable, in any
 * script, emoji included. Refused: C0 control characters (NUL among them,
 * which PostgreSQL cannot store at all), DEL, C1 control characters, and the
 * bidirectional embedding, override and isolate characters (U+202A–U+202E,
 * U+2066–U+2069), which can make a name read differently from what it is.
 * A multi-line field (a story's body) may also hold line breaks and tabs.
 */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const UNPRINTABLE_IN_MULTI_LINE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Whether `text` holds only characters a visitor can type and see; `multiLine` allows `\n`, `\r` and `\t`. */
export function isPlainText(text: string, { multiLine = false } = {}): boolean {
  return withoutUnprintable(text, { multiLine }) === text;
}

/**
 * `text` without the characters `isPlainText` refuses: for text that got in
 * before the rule did (an older draft), on its way into the database.
 */
export function withoutUnprintable(text: string, { multiLine = false } = {}): string {
  return text.replace(multiLine ? UNPRINTABLE_IN_MULTI_LINE : UNPRINTABLE, "");
}

/** The message for a field that is not plain text; such characters mostly arrive with pasted text. */
export function notPlainTextMessage(field: string): string {
  return (
    `${field} contains an invisible control or formatting character, perhaps from pasted ` +
    "text. Please type it again without it."
  );
}

/** `isPlainText` as the arguments of a zod `refine`, with the message naming `field`. */
export function plainTextRule(field: string, { multiLine = false } = {}) {
  return [(text: string) => isPlainText(text, { multiLine }), notPlainTextMessage(field)] as const;
}
