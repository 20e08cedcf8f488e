import { createHash, createHmac } from "node:crypto";
import { sealData, unsealData } from "iron-session";
import type { SessionData } from "../base";
import { ImproperlyConfigured } from "../errors";
import { BoundedMemo } from "../memo";
import { BadSignature, SignatureExpired } from "../signing";
import type { OpenedCookie } from "./cookie-session";
import { CookieSession } from "./cookie-session";

/** Separates the iron password from every other use of `SECRET_KEY`. */
const PASSWORD_SALT = "sessions.encrypted-cookies";

/** An iron-session v8 seal: `Fe26.2*id*salt*iv*ciphertext*expiry*salt*mac~2`, nothing else. */
const SEAL = /^Fe26\.2\*(\d{1,16})\*[0-9a-f]+\*[\w-]+\*[\w-]+\*\d*\*[0-9a-f]+\*[\w-]+~2$/;

/** What is sealed: the data and when it was sealed (whole seconds, as Django's timestamps). */
interface Envelope {
  at: number;
  data: SessionData;
}

/** An iron password and the id that names it inside seals. */
interface IronPassword {
  id: string;
  password: string;
}

/**
 * `SESSION_ENGINE=encrypted_cookies` (beyond Django): the cookie holds the
 * data sealed with iron-session — AES-256-CBC plus HMAC-SHA256 — so the
 * client can neither read nor change it.
 *
 * - Keys: the iron password is derived from `SECRET_KEY` (HMAC-SHA256 with a
 *   fixed salt); `SECRET_KEY_FALLBACKS` give the passwords that still open
 *   older seals, which then mark the session modified so the response
 *   re-seals them under `SECRET_KEY`.
 * - Size: under 4096 bytes for `SESSION_COOKIE_NAME=value`; sealing adds
 *   about 280 bytes and a third, leaving roughly 2.8 KB of JSON (no
 *   compression). `save()` throws `CookieTooLarge` beyond that.
 * - Expiry and replay: a seal is accepted until it is `SESSION_COOKIE_AGE`
 *   seconds old (or older than a shorter `setExpiry`), even after a newer
 *   cookie replaced it or the user logged out — as with `signed_cookies`.
 *   The seal also carries iron's own TTL, a backstop 60 seconds later.
 * - Serializer: iron seals JSON; `SESSION_SERIALIZER` does not apply.
 * - Scale: no storage at all; `clearExpired` has nothing to do.
 */
export class SessionStore extends CookieSession {
  protected async seal(data: SessionData): Promise<string> {
    const { id, password } = ironPassword(this.settings.SECRET_KEY);
    const envelope: Envelope = { at: Math.floor(Date.now() / 1000), data };
    // A one-entry map: iron seals with the highest id, which says nothing about which key is current.
    return sealData(envelope, { password: { [id]: password }, ttl: this.getSessionCookieAge() });
  }

  protected async open(value: string, maxAge: number): Promise<OpenedCookie> {
    const sealedWith = SEAL.exec(value)?.[1];
    if (sealedWith === undefined) throw new BadSignature("not an iron-session seal");
    const current = ironPassword(this.settings.SECRET_KEY);
    const fallbacks = this.settings.SECRET_KEY_FALLBACKS.map(ironPassword);
    const envelope = await unseal(value, [current, ...fallbacks]);
    // Django's rule, without iron's 60 seconds of clock skew: the same edge as signed_cookies.
    const age = (Date.now() - envelope.at * 1000) / 1000;
    if (age > maxAge) throw new SignatureExpired(`seal age ${age} > ${maxAge} seconds`);
    // The id is covered by the MAC, so it names the password that opened the seal.
    const byFallbackKey = sealedWith !== current.id;
    return { data: envelope.data, writtenAt: new Date(envelope.at * 1000), byFallbackKey };
  }
}

/**
 * The iron password for a secret (64 hex characters; iron needs 32 or more)
 * and its id: a number, because iron-session compares ids numerically, taken
 * from the password itself so that it stays the same when the secret moves
 * to `SECRET_KEY_FALLBACKS`. The id is public; it reveals nothing of the
 * password.
 */
function ironPassword(secret: string): IronPassword {
  // An empty secret would give a password anyone can derive from the public salt.
  if (secret === "") {
    throw new ImproperlyConfigured("SECRET_KEY or SECRET_KEY_FALLBACKS holds an empty key");
  }
  return ironPasswords.get(secret, () => {
    const password = createHmac("sha256", secret).update(PASSWORD_SALT).digest("hex");
    const id = createHash("sha256").update(password).digest().readUIntBE(0, 6);
    return { id: String(id), password };
  });
}

/** Derived passwords by secret: every seal and every opening needs them. */
const ironPasswords = new BoundedMemo<IronPassword>(16);

/** The envelope inside a seal; `BadSignature` for anything that is not one of ours. */
async function unseal(value: string, accepted: IronPassword[]): Promise<Envelope> {
  const passwords = Object.fromEntries(accepted.map(({ id, password }) => [id, password]));
  let opened: unknown;
  try {
    opened = await unsealData<unknown>(value, { password: passwords });
  } catch (error) {
    // The format is checked, so what throws here is the seal's content (prefix, expiry field, cipher).
    throw new BadSignature("seal could not be opened", { cause: error });
  }
  // iron-session answers `{}` for a bad MAC, an unknown password id or its own expiry.
  if (!isEnvelope(opened)) throw new BadSignature("seal did not verify");
  return opened;
}

function isEnvelope(value: unknown): value is Envelope {
  if (typeof value !== "object" || value === null) return false;
  const { at, data } = value as Partial<Record<keyof Envelope, unknown>>;
  return (
    Number.isSafeInteger(at) && typeof data === "object" && data !== null && !Array.isArray(data)
  );
}
