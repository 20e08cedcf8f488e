import { createHash, createHmac, getHashes, timingSafeEqual } from "node:crypto";
import { deflateSync, inflateSync } from "node:zlib";
import { ImproperlyConfigured, SessionError, SessionTooLarge } from "./errors";
import { BoundedMemo } from "./memo";
import type { Serializer, SessionData } from "./serializers";
import { JSONSerializer } from "./serializers";

/**
 * Django's `django.core.signing` (3.2 – 5.x), value for value:
 *
 *     [.]base64url(serialized data) : base62(unix seconds) : base64url(HMAC)
 *
 * HMAC-SHA256 keyed with sha256(salt + "signer" + secret), base64url without
 * padding, zlib only when it saves more than one byte (marked by a leading
 * "."). A value signed here is read by Django's `signing.loads` and the other
 * way round, given the same secret and salt.
 *
 * Beyond Django: reading never throws anything but `BadSignature` for bad
 * input, inflated data is capped, and empty keys are refused.
 */

/** The value's signature is wrong, or the value is malformed. Never show the message to users. */
export class BadSignature extends SessionError {}

/** The signature is right but older than the `maxAge` asked for. */
export class SignatureExpired extends BadSignature {}

/**
 * A value larger than the reader's `maxBytes` allows: refused before its
 * signature is checked or anything is decoded, inflated or parsed.
 */
export class PayloadTooLarge extends BadSignature {}

/** Default cap on decompressed payloads (8 MiB): far above any sane session, far below harm. */
export const MAX_INFLATED_BYTES = 8 * 1024 * 1024;

/**
 * The longest `dumps` value whose data serializes to `maxBytes` bytes: the
 * payload as base64 (compression only ever shortens it), its "." mark, and a
 * generous allowance for the two separators, the timestamp and the widest
 * HMAC. A longer value could not have been written under that cap.
 */
export function maxSignedLength(maxBytes: number): number {
  return Math.ceil(maxBytes / 3) * 4 + 1 + 256;
}

// ---- encodings ----------------------------------------------------------------------------

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** URL-safe base64 without `=` padding (Django's `b64_encode`). */
export function b64Encode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}

/**
 * The bytes of URL-safe base64 with or without padding (Django's `b64_decode`).
 * Stricter than Node and Python, which skip characters they do not know:
 * throws `BadSignature` for any character outside the alphabet or an
 * impossible length.
 */
export function b64Decode(text: string): Buffer {
  const unpadded = text.replace(/={1,2}$/, "");
  if (!BASE64URL.test(unpadded) || unpadded.length % 4 === 1) {
    throw new BadSignature("payload is not valid base64url");
  }
  return Buffer.from(unpadded, "base64url");
}

const BASE62_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Django's `b62_encode` of a safe integer (timestamps): `0` → "0", `62` → "10", `-1` → "-1". */
export function b62Encode(value: number): string {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`sessions: b62Encode needs a safe integer, got ${value}`);
  }
  if (value === 0) return "0";
  let rest = Math.abs(value);
  let digits = "";
  while (rest > 0) {
    digits = BASE62_ALPHABET.charAt(rest % 62) + digits;
    rest = Math.floor(rest / 62);
  }
  return value < 0 ? `-${digits}` : digits;
}

/**
 * Django's `b62_decode`. Throws `BadSignature` for an empty string, a digit
 * outside the alphabet or a value beyond a safe integer (where Python would
 * raise some other error or silently grow).
 */
export function b62Decode(text: string): number {
  const negative = text.startsWith("-");
  const digits = negative ? text.slice(1) : text;
  if (digits === "") throw new BadSignature("timestamp is empty");
  let value = 0;
  for (const digit of digits) {
    const index = BASE62_ALPHABET.indexOf(digit);
    if (index < 0) throw new BadSignature("timestamp is not base62");
    value = value * 62 + index;
    if (!Number.isSafeInteger(value)) throw new BadSignature("timestamp is out of range");
  }
  // 0 - value, not -value: "-0" must decode to 0, not -0.
  return negative ? 0 - value : value;
}

// ---- Signer -------------------------------------------------------------------------------

/** What every signer needs. */
export interface SignerOptions {
  /** The secret (Django's `SECRET_KEY`), as UTF-8. Required and non-empty. */
  key: string;
  /** Older secrets still accepted by `unsign`, tried in order (`SECRET_KEY_FALLBACKS`). Default none. */
  fallbackKeys?: readonly string[];
  /** Separates value, timestamp and signature. Default ":". Must not be only base64url characters. */
  sep?: string;
  /**
   * Namespaces signatures: a value signed with one salt never verifies with
   * another. Default (also for "", as in Django) `django.core.signing.Signer`
   * or `django.core.signing.TimestampSigner`.
   */
  salt?: string;
  /** A `node:crypto` hash, used for key derivation and HMAC. Default "sha256". */
  algorithm?: string;
}

// Django's _SEP_UNSAFE, quirk included: A-z also spans [ \ ] ^ _ and the backtick.
const UNSAFE_SEP = /^[A-z0-9\-_=]*$/;

/**
 * Django's `Signer`: appends `sep` and an HMAC of the value; `unsign`
 * checks it against the key and then each fallback key, in constant time.
 */
export class Signer {
  readonly sep: string;
  readonly salt: string;
  readonly algorithm: string;
  /** The HMAC key derived from `key`: the only one that signs. */
  readonly #signingKey: Buffer;
  /** HMAC keys derived from `key` and then each fallback key: all of them verify. */
  readonly #verifyingKeys: Buffer[];

  /** Throws for an empty key, an unsafe separator or an unknown algorithm: all developer mistakes. */
  constructor(options: SignerOptions) {
    const { key, fallbackKeys = [], sep = ":", salt, algorithm = "sha256" } = options;
    assertKeys(key, fallbackKeys);
    assertSafeSeparator(sep);
    assertKnownAlgorithm(algorithm);
    this.sep = sep;
    // `||`, not `??`: Django treats an empty salt as no salt.
    this.salt = salt || this.defaultSalt();
    this.algorithm = algorithm;
    this.#signingKey = this.deriveKey(key);
    this.#verifyingKeys = [
      this.#signingKey,
      ...fallbackKeys.map((secret) => this.deriveKey(secret)),
    ];
  }

  /** Django names the default salt after the class: `django.core.signing.<ClassName>`. */
  protected defaultSalt(): string {
    return "django.core.signing.Signer";
  }

  /** The base64url HMAC of `value` under the current key (Django's `Signer.signature`). */
  signature(value: string): string {
    return this.signatureWith(this.#signingKey, value);
  }

  /** `value + sep + signature`. */
  sign(value: string): string {
    return `${value}${this.sep}${this.signature(value)}`;
  }

  /**
   * The value inside `signedValue`. Throws `BadSignature` when there is no
   * separator or no key (current or fallback) produced the signature.
   */
  unsign(signedValue: string): string {
    if (typeof signedValue !== "string") throw new BadSignature("signed value is not a string");
    const at = signedValue.lastIndexOf(this.sep);
    if (at < 0) throw new BadSignature(`No "${this.sep}" found in value`);
    const value = signedValue.slice(0, at);
    const given = Buffer.from(signedValue.slice(at + this.sep.length));
    // Every key is tried even after a match would be known: no timing hint about which key signed.
    let matched = false;
    for (const hmacKey of this.#verifyingKeys) {
      matched = sameBytes(given, Buffer.from(this.signatureWith(hmacKey, value))) || matched;
    }
    // The signature itself is left out of the message: it is attacker-chosen text bound for logs.
    if (!matched) throw new BadSignature("Signature does not match");
    return value;
  }

  /**
   * Serializes `data` (zlib-compressed when `compress` and smaller) and signs
   * it (Django's `sign_object`). Throws `SessionTooLarge` when the
   * serialization passes `maxBytes`.
   */
  signObject(data: SessionData, options: ObjectOptions = {}): string {
    return this.sign(encodePayload(data, options));
  }

  /** The data inside a `signObject` value. Throws only `BadSignature`, whatever is wrong with it. */
  unsignObject(signedObject: string, options: ReadObjectOptions = {}): SessionData {
    assertReadable(signedObject, options);
    return decodePayload(this.unsign(signedObject), options);
  }

  /** Django's `salted_hmac` key: hash(salt + "signer" + secret). */
  private deriveKey(secret: string): Buffer {
    return createHash(this.algorithm).update(`${this.salt}signer`).update(secret).digest();
  }

  private signatureWith(hmacKey: Buffer, value: string): string {
    return b64Encode(createHmac(this.algorithm, hmacKey).update(value).digest());
  }
}

/** Options of `TimestampSigner`: a `Signer`'s, plus a clock for tests. */
export interface TimestampSignerOptions extends SignerOptions {
  /** Milliseconds since the epoch, like (and by default) `Date.now`. */
  now?: () => number;
}

/** Options of `TimestampSigner.unsign`. */
export interface UnsignOptions {
  /** Reject signatures older than this many seconds (an age equal to it still passes). Default: no limit. */
  maxAge?: number | null;
}

/**
 * Django's `TimestampSigner`: signs `value + sep + base62(unix seconds)`, so
 * `unsign` can refuse values older than `maxAge`.
 */
export class TimestampSigner extends Signer {
  readonly #now: () => number;

  constructor(options: TimestampSignerOptions) {
    super(options);
    // Date.now looked up at each call, not kept: a shared signer must follow a clock replaced later (tests).
    this.#now = options.now ?? (() => Date.now());
  }

  protected override defaultSalt(): string {
    return "django.core.signing.TimestampSigner";
  }

  /** The current time as Django writes it: whole seconds, base62. */
  timestamp(): string {
    return b62Encode(Math.floor(this.#now() / 1000));
  }

  override sign(value: string): string {
    return super.sign(`${value}${this.sep}${this.timestamp()}`);
  }

  /**
   * The value inside `signedValue`. Throws `SignatureExpired` when it was
   * signed more than `maxAge` seconds ago, `BadSignature` for anything else wrong.
   */
  override unsign(signedValue: string, options: UnsignOptions = {}): string {
    const { maxAge } = options;
    if (maxAge != null && !Number.isFinite(maxAge)) {
      // NaN would compare false and let every signature live forever.
      throw new RangeError(`sessions: maxAge must be a finite number of seconds, got ${maxAge}`);
    }
    const result = super.unsign(signedValue);
    const at = result.lastIndexOf(this.sep);
    if (at < 0) throw new BadSignature("value has no timestamp");
    const signedAt = b62Decode(result.slice(at + this.sep.length));
    if (maxAge != null) this.assertAge(signedAt, maxAge);
    return result.slice(0, at);
  }

  private assertAge(signedAt: number, maxAge: number): void {
    // Subtracting in milliseconds keeps the age exact ("60.001", not "60.00100000202656").
    const age = (this.#now() - signedAt * 1000) / 1000;
    if (age > maxAge) throw new SignatureExpired(`Signature age ${age} > ${maxAge} seconds`);
  }

  /** The data inside a `signObject` value, refused when older than `maxAge` seconds. */
  override unsignObject(
    signedObject: string,
    options: ReadObjectOptions & UnsignOptions = {},
  ): SessionData {
    assertReadable(signedObject, options);
    return decodePayload(this.unsign(signedObject, options), options);
  }
}

// ---- dumps / loads --------------------------------------------------------------------------

/** How a signed object is serialized. */
export interface ObjectOptions {
  /** Default `JSONSerializer`. */
  serializer?: Serializer;
  /** zlib-compress when that saves more than a byte. Default false. */
  compress?: boolean;
  /** With `compress`: leave payloads shorter than this many bytes (serialized) uncompressed. Default 0. */
  compressFrom?: number;
  /**
   * With `compress`: deflate payloads of this many bytes or more at zlib's
   * fastest level (1) rather than its default (6, Django's). Any zlib reader,
   * Django's included, inflates both. Default: never (Django's bytes exactly).
   */
  fastCompressFrom?: number;
  /** Refuse (`SessionTooLarge`) data that serializes to more bytes than this. Default: no cap. */
  maxBytes?: number;
}

/** How a signed object is read back. */
export interface ReadObjectOptions {
  /** Default `JSONSerializer`. */
  serializer?: Serializer;
  /** Cap on the decompressed size; larger payloads are a `BadSignature`. Default `MAX_INFLATED_BYTES`. */
  maxInflatedBytes?: number;
  /**
   * Cap on the serialized size, compressed or not (`dumps`' `maxBytes`): a
   * value longer than `maxSignedLength(maxBytes)` is refused before its
   * signature is checked, and a payload that decodes or inflates past it
   * before it is parsed, with `PayloadTooLarge`. Default: no cap beyond
   * `maxInflatedBytes`.
   */
  maxBytes?: number;
}

/** Options of `dumps`. `fallbackKeys` is accepted so one options object serves `dumps` and `loads`; signing always uses `key`. */
export type DumpsOptions = Omit<TimestampSignerOptions, "sep" | "algorithm"> & ObjectOptions;

/** Options of `loads`. */
export type LoadsOptions = Omit<TimestampSignerOptions, "sep" | "algorithm"> &
  ReadObjectOptions &
  UnsignOptions;

const DEFAULT_SALT = "django.core.signing";

/**
 * Django's `signing.dumps`: URL-safe, timestamped, signed (optionally
 * compressed) serialized data. Salt defaults to "django.core.signing"; use
 * one salt per purpose. Throws `UnserializableValue` for data the serializer
 * cannot carry.
 */
export function dumps(data: SessionData, options: DumpsOptions): string {
  return timestampSigner(options).signObject(data, options);
}

/**
 * Django's `signing.loads`: the data inside a `dumps` value, checked against
 * `key` and then `fallbackKeys`, refused when older than `maxAge` seconds.
 * Any problem with `text` — tampered, expired, truncated, not base64, not
 * zlib, too large once inflated, not JSON — throws `BadSignature` (or its
 * subclass `SignatureExpired`) and nothing else. Throws other errors only for
 * developer mistakes in `options` (empty key, NaN maxAge).
 */
export function loads(text: string, options: LoadsOptions): SessionData {
  return timestampSigner(options).unsignObject(text, options);
}

/**
 * Signers of `dumps` and `loads`, by salt and keys: deriving a signer's HMAC
 * keys costs as much as signing a small session, and every request signs or
 * reads one. A few salts and key sets per process; the cap is a safety net.
 */
const signers = new BoundedMemo<TimestampSigner>(64);

function timestampSigner(options: DumpsOptions | LoadsOptions): TimestampSigner {
  const { salt = DEFAULT_SALT, key, fallbackKeys = [], now } = options;
  // A signer with its own clock (tests) is not shared.
  if (now) return new TimestampSigner({ key, fallbackKeys, salt, now });
  return signers.get(JSON.stringify([salt, key, fallbackKeys]), () => {
    return new TimestampSigner({ key, fallbackKeys, salt });
  });
}

function encodePayload(data: SessionData, options: ObjectOptions): string {
  const { serializer = JSONSerializer, compress = false, compressFrom = 0, maxBytes } = options;
  const { fastCompressFrom = Infinity } = options;
  const serialized = serializer.dumps(data);
  if (maxBytes !== undefined) assertSerializedFits(serialized.length, maxBytes);
  // Never compress what `loads` would refuse to inflate: larger payloads go uncompressed and read back.
  if (compress && serialized.length >= compressFrom && serialized.length <= MAX_INFLATED_BYTES) {
    const level = serialized.length >= fastCompressFrom ? 1 : -1;
    const compressed = deflateSync(serialized, { level });
    if (compressed.length < serialized.length - 1) return `.${b64Encode(compressed)}`;
  }
  return b64Encode(serialized);
}

/**
 * Throws `SessionTooLarge` when `bytes` of serialized session data pass
 * `maxBytes` (`SESSION_MAX_SIZE`). The message gives the sizes, never the data.
 */
export function assertSerializedFits(bytes: number, maxBytes: number): void {
  if (bytes <= maxBytes) return;
  throw new SessionTooLarge(
    `the session's data is ${bytes} bytes serialized, more than the ${maxBytes} bytes ` +
      "allowed (SESSION_MAX_SIZE); nothing was saved",
  );
}

/** `PayloadTooLarge` for a value longer than any that `maxBytes` lets `dumps` write. */
function assertReadable(signedObject: string, { maxBytes }: ReadObjectOptions): void {
  if (maxBytes === undefined || typeof signedObject !== "string") return;
  const limit = maxSignedLength(maxBytes);
  if (signedObject.length > limit)
    throw new PayloadTooLarge(`value is ${signedObject.length} characters, more than ${limit}`);
}

function decodePayload(payload: string, options: ReadObjectOptions): SessionData {
  const { serializer = JSONSerializer, maxBytes = Infinity } = options;
  const maxInflatedBytes = Math.min(options.maxInflatedBytes ?? MAX_INFLATED_BYTES, maxBytes);
  const compressed = payload.startsWith(".");
  const bytes = b64Decode(compressed ? payload.slice(1) : payload);
  const serialized = compressed ? inflate(bytes, maxInflatedBytes) : bytes;
  if (serialized.length > maxBytes)
    throw new PayloadTooLarge(`payload is ${serialized.length} bytes, more than ${maxBytes}`);
  try {
    return serializer.loads(serialized);
  } catch (error) {
    throw new BadSignature("signed data could not be deserialized", { cause: error });
  }
}

function inflate(bytes: Buffer, maxBytes: number): Buffer {
  try {
    // maxOutputLength stops a zip bomb while inflating, before the memory is taken.
    return inflateSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    if (error instanceof RangeError) {
      throw new PayloadTooLarge(`compressed payload inflates to more than ${maxBytes} bytes`, {
        cause: error,
      });
    }
    throw new BadSignature("compressed payload is not valid zlib data", { cause: error });
  }
}

// ---- helpers ------------------------------------------------------------------------------

function assertKeys(key: string, fallbackKeys: readonly string[]): void {
  if (typeof key !== "string" || key === "") {
    throw new ImproperlyConfigured("SECRET_KEY is empty: signing needs a secret key");
  }
  // An empty secret would make signatures anyone can compute from the public salt.
  if (fallbackKeys.some((fallback) => typeof fallback !== "string" || fallback === "")) {
    throw new ImproperlyConfigured("SECRET_KEY_FALLBACKS holds an empty key; remove it");
  }
}

function assertSafeSeparator(sep: string): void {
  if (UNSAFE_SEP.test(sep)) {
    throw new RangeError(
      `sessions: Unsafe Signer separator: ${JSON.stringify(sep)} ` +
        "(cannot be empty or consist of only A-z0-9-_=)",
    );
  }
}

/** node:crypto's hashes, listed once: `getHashes()` builds a new array of ~50 names per call. */
let knownHashes: Set<string> | undefined;

function assertKnownAlgorithm(algorithm: string): void {
  knownHashes ??= new Set(getHashes());
  if (!knownHashes.has(algorithm)) {
    throw new RangeError(`sessions: ${JSON.stringify(algorithm)} is not a hash node:crypto knows`);
  }
}

/** Constant-time equality; the length is not secret (every signature of one algorithm has the same). */
function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
