import { ImproperlyConfigured, SuspiciousSession, UnserializableValue } from "./errors";

/**
 * How session data becomes bytes and back: the `Serializer` interface and the
 * default `JSONSerializer`, byte-for-byte Django's
 * `django.core.signing.JSONSerializer`, so Django and this library read each
 * other's sessions.
 */

/** A value JSON carries faithfully: what a session may hold. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A session's contents: string keys to JSON values. */
export type SessionData = Record<string, Json>;

/**
 * Turns session data into bytes and back (Django's `SESSION_SERIALIZER`).
 *
 * Implementations must be pure and synchronous. `loads` may throw on bytes it
 * cannot read; `signing.loads` turns any such throw into `BadSignature`, so a
 * corrupt session becomes an empty one rather than an error page.
 */
export interface Serializer {
  /** The bytes for `data`. Throws `UnserializableValue` for data it cannot carry. */
  dumps(data: SessionData): Buffer;
  /** The data in `bytes`, as produced by `dumps` (or by Django's serializer of the same name). */
  loads(bytes: Buffer): SessionData;
}

/**
 * Django's `JSONSerializer`: Python's `json.dumps(data, separators=(",", ":"))`
 * encoded as latin-1, and `json.loads(bytes.decode("latin-1"))`.
 *
 * - `dumps` output is pure ASCII: every character outside space…`~` is escaped
 *   as lowercase `\uXXXX` (astral characters as surrogate pairs, lone
 *   surrogates as themselves), exactly like Python's `ensure_ascii`.
 * - Numbers print as Python prints them (`1e-05`, `1.5e-07`), except that an
 *   integral number always prints as an integer: JavaScript cannot tell
 *   Python's `2.0` from `2`, so a float like that comes back as `2` — the same
 *   value, different bytes.
 * - Keys keep insertion order, except that integer-like keys (`"2"`) come
 *   first, as in every JavaScript object.
 * - `loads` rejects (throws `SuspiciousSession`) anything but a JSON object,
 *   and Python-only tokens (`NaN`, `Infinity`) that strict JSON does not have.
 * - A `"__proto__"` key in the input stays an ordinary own key of the result:
 *   `JSON.parse` defines properties instead of assigning them, so no
 *   prototype changes. Code that copies session data should use spread or
 *   `structuredClone`, not `Object.assign`, which would assign `__proto__`.
 */
export const JSONSerializer: Serializer = {
  dumps(data: SessionData): Buffer {
    if (!isPlainObject(data)) {
      throw new UnserializableValue(`session data must be a plain object, not ${describe(data)}`);
    }
    const found = survey(data, 0);
    if (found & UNCERTAIN) checkJson(data, () => "", new Set());
    // Pure ASCII, so latin-1 (Django's choice) and UTF-8 give the same bytes.
    return Buffer.from(found === 0 ? asciiJson(data) : pythonJson(data), "latin1");
  },

  loads(bytes: Buffer): SessionData {
    const parsed = parseJson(bytes.toString("latin1"));
    if (!isPlainObject(parsed)) {
      throw new SuspiciousSession(`session data is ${describe(parsed)}, not a JSON object`);
    }
    return parsed as SessionData;
  },
};

/**
 * The bytes `value` takes in a session as stored, in the serializer's
 * output (default `JSONSerializer`): what `SESSION_MAX_SIZE` counts. With
 * the JSON serializer a string costs one byte per printable ASCII character,
 * two for `"`, `\\` and a line break or tab, and six for any other UTF-16
 * unit (`\uXXXX`), so twelve for an emoji outside the BMP; plus its quotes.
 */
export function serializedLength(value: Json, serializer: Serializer = JSONSerializer): number {
  return serializer.dumps({ v: value }).length - '{"v":}'.length;
}

/**
 * The serializer for a `SESSION_SERIALIZER` value: `"json"` (the default) or
 * an object that implements `Serializer` (returned as is).
 *
 * Throws `ImproperlyConfigured` naming `SESSION_SERIALIZER` for any other
 * name, and for an object without `dumps` and `loads` methods. Django's
 * `PickleSerializer` is deliberately absent: unpickling can run code.
 */
export function serializerFor(choice: string | Serializer): Serializer {
  if (typeof choice === "string") {
    if (choice === "json") return JSONSerializer;
    throw new ImproperlyConfigured(
      `SESSION_SERIALIZER=${JSON.stringify(choice)} is not a known serializer: ` +
        `use "json", or pass an object with dumps() and loads()`,
    );
  }
  if (typeof choice?.dumps !== "function" || typeof choice?.loads !== "function") {
    throw new ImproperlyConfigured(
      'SESSION_SERIALIZER must be "json" or an object with dumps() and loads() methods',
    );
  }
  return choice;
}

/**
 * Throws `UnserializableValue` unless `value` is data JSON carries faithfully:
 * null, booleans, finite numbers, strings, arrays without holes and plain
 * objects (prototype `Object.prototype` or null) of those, without cycles.
 * Shared (non-cyclic) references are allowed; they come back as copies.
 *
 * Rejected, with the offending `path` in the message (e.g. `pets[2].born`):
 * undefined, functions, symbols, bigint, NaN and ±Infinity, Dates, Maps,
 * Sets, class instances, symbol keys and cycles — everything `JSON.stringify`
 * would silently drop, change or choke on.
 *
 * @param path where `value` sits, used in the message; default `""` (the value itself).
 */
export function assertJson(value: unknown, path = ""): asserts value is Json {
  if (survey(value, 0) & UNCERTAIN) checkJson(value, () => path, new Set());
}

/** `survey` found something JSON may not carry, or nesting too deep to follow quickly: `checkJson` decides. */
const UNCERTAIN = 1;
/** `survey` found a number that Python prints in another layout than JavaScript. */
const PYTHON_NUMBER = 2;
/** Deeper than this, `survey` leaves the value to `checkJson`, which also finds cycles. */
const SURVEY_DEPTH = 64;

/**
 * One quick pass over a value, done on every save: no paths, no cycle
 * tracking, no allocation beyond key lists. Answers `UNCERTAIN` and
 * `PYTHON_NUMBER` flags; 0 means plain JSON that `JSON.stringify` prints as
 * Python does. A cycle shows up as nesting deeper than `SURVEY_DEPTH`.
 */
function survey(value: unknown, depth: number): number {
  if (value === null || typeof value === "boolean" || typeof value === "string") return 0;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return UNCERTAIN;
    return mayPrintDifferentlyInPython(value) ? PYTHON_NUMBER : 0;
  }
  if (typeof value !== "object" || depth >= SURVEY_DEPTH) return UNCERTAIN;
  let found = 0;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) found |= survey(value[index], depth + 1);
    return found;
  }
  if (!isPlainObject(value) || Object.getOwnPropertySymbols(value).length > 0) return UNCERTAIN;
  for (const key of Object.keys(value)) found |= survey(value[key], depth + 1);
  return found;
}

/**
 * The walk behind `assertJson`. `path` is a function so that the text of a
 * location is built only for a message, not for every value of every save.
 */
function checkJson(value: unknown, path: () => string, ancestors: Set<object>): void {
  if (value === null || typeof value === "boolean" || typeof value === "string") return;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) reject(path(), `${value} is not a JSON number`);
    return;
  }
  if (typeof value !== "object") reject(path(), `${describe(value)} is not JSON`);
  if (ancestors.has(value)) reject(path(), "it refers back to itself (a cycle)");
  ancestors.add(value);
  if (Array.isArray(value)) checkArray(value, path, ancestors);
  else checkObject(value, path, ancestors);
  // Only the path from the root counts: the same object twice side by side is no cycle.
  ancestors.delete(value);
}

function checkArray(array: unknown[], path: () => string, ancestors: Set<object>): void {
  for (let index = 0; index < array.length; index++) {
    // A hole reads as undefined, which JSON would turn into null.
    checkJson(array[index], () => `${path()}[${index}]`, ancestors);
  }
}

function checkObject(object: object, path: () => string, ancestors: Set<object>): void {
  if (!isPlainObject(object)) {
    reject(path(), `${describe(object)} is not a plain object; store its JSON form instead`);
  }
  if (Object.getOwnPropertySymbols(object).some((key) => isEnumerable(object, key))) {
    reject(path(), "symbol keys are not JSON");
  }
  for (const [key, item] of Object.entries(object))
    checkJson(item, () => childPath(path(), key), ancestors);
}

function reject(path: string, reason: string): never {
  throw new UnserializableValue(`cannot serialize ${path || "the value"}: ${reason}`);
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function childPath(path: string, key: string): string {
  if (!IDENTIFIER.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function isEnumerable(object: object, key: PropertyKey): boolean {
  return Object.prototype.propertyIsEnumerable.call(object, key);
}

/** A short description of a value's kind for messages ("a Date", "a function"); never its contents. */
function describe(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (typeof value !== "object") return `a ${typeof value}`;
  const name: unknown = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === "string" && name !== "Object" ? `a ${name}` : "an object";
}

// ---- Python's json.dumps(obj, separators=(",", ":")), ensure_ascii=True ------------------

/**
 * Python's JSON text for data in which `survey` found nothing special:
 * JSON.stringify writes the same text as Python (quotes, escapes,
 * separators) except for non-ASCII characters, escaped afterwards. Data with
 * numbers Python prints in another layout (tiny and huge ones) takes the
 * slower, value-by-value `pythonJson`.
 */
function asciiJson(data: SessionData): string {
  const text = JSON.stringify(data);
  return NON_ASCII_TEST.test(text) ? text.replace(NON_ASCII_RUNS, escapeRun) : text;
}

/**
 * Whether `pythonNumber(value)` may differ from JavaScript's text: integral
 * values from 1e21 (JavaScript switches to exponent form, `pythonNumber`
 * prints digits), others below 1e-4 (Python switches to exponent form there,
 * JavaScript only below 1e-6, and Python pads a one-digit exponent). Some of
 * the tiny ones print alike (`5e-324`): taking the slow path for them is only slower.
 */
export function mayPrintDifferentlyInPython(value: number): boolean {
  return Number.isInteger(value) ? Math.abs(value) >= 1e21 : Math.abs(value) < 1e-4;
}

function pythonJson(value: Json): string {
  if (value === null) return "null";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return pythonNumber(value);
  if (typeof value === "string") return pythonString(value);
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(",")}]`;
  const members = Object.keys(value).map(
    (key) => `${pythonString(key)}:${pythonJson(value[key] as Json)}`,
  );
  return `{${members.join(",")}}`;
}

/** Everything Python's ensure_ascii escapes that JSON.stringify leaves alone: DEL and above. */
const NON_ASCII_RUNS = /[\u007f-\uffff]+/g;
const NON_ASCII_TEST = /[\u007f-\uffff]/;
const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/**
 * `\uXXXX` for each UTF-16 unit of a run of them. A run at a time, by table:
 * text in another script is one long run, and a call and a number
 * formatting per character made escaping the slowest part of saving it.
 */
function escapeRun(run: string): string {
  let escaped = "";
  for (let index = 0; index < run.length; index++) {
    const unit = run.charCodeAt(index);
    escaped += `\\u${HEX_BYTES[unit >> 8]!}${HEX_BYTES[unit & 0xff]!}`;
  }
  return escaped;
}

function pythonString(text: string): string {
  // JSON.stringify already escapes quotes, backslashes, control characters
  // (with Python's short forms and lowercase hex) and lone surrogates; what is
  // left is Python's ensure_ascii. Without the `u` flag the pattern sees
  // UTF-16 code units, so astral characters become surrogate pairs, as in Python.
  return JSON.stringify(text).replace(NON_ASCII_RUNS, escapeRun);
}

/**
 * Python's `repr` of a number. Integral values print as integers (never in
 * exponent form); others in the shortest round-trip digits, which JavaScript
 * and Python agree on, with Python's layout: exponent form when the value is
 * below 1e-4, and a two-digit signed exponent (`1e-05`).
 */
export function pythonNumber(value: number): string {
  if (Number.isInteger(value)) {
    // Up to 1e21 String() prints plain digits; beyond it BigInt does. -0 prints as 0.
    return Math.abs(value) < 1e21 ? String(value) : BigInt(value).toString();
  }
  const [mantissa = "", exponentText = "0"] = value.toExponential().split("e");
  const exponent = Number(exponentText);
  // Python switches to exponent form when the decimal point sits 4+ places left of the first digit.
  if (exponent > -5) return String(value);
  const sign = exponent < 0 ? "-" : "+";
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, "0")}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SuspiciousSession("session data is not valid JSON", { cause: error });
  }
}
