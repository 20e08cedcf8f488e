import { spawnSync } from "node:child_process";
import { deflateSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { ImproperlyConfigured, SessionTooLarge, UnserializableValue } from "./errors";
import type { SessionData } from "./serializers";
import { JSONSerializer } from "./serializers";
import {
  b62Decode,
  b62Encode,
  b64Decode,
  b64Encode,
  BadSignature,
  dumps,
  loads,
  MAX_INFLATED_BYTES,
  maxSignedLength,
  PayloadTooLarge,
  SignatureExpired,
  Signer,
  TimestampSigner,
} from "./signing";

const KEY = "predictable-secret";
/** Django's frozen time in tests/signing (123456789), a quarter second in, as milliseconds. */
const FROZEN = 123_456_789_250;
const at = (ms: number) => () => ms;

/** Signs `payload` as `dumps` would, so tests can hand `loads` well-signed garbage. */
const signPayload = (payload: string, key = KEY) =>
  new TimestampSigner({ key, salt: "django.core.signing", now: at(FROZEN) }).sign(payload);

describe("Django's published vectors (tests/signing/tests.py)", () => {
  it.each(["/", "*sep*", ","])("Signer signs 'foo' with sep %j exactly as Django does", (sep) => {
    const signer = new Signer({ key: KEY, sep });
    expect(signer.sign("foo")).toBe(`foo${sep}jZQoX_FtSO70jX9HLRGg2A_2s4kdDBxz1QoO_OpEQb0`);
  });

  it("Signer with sha512 gives Django's signature", () => {
    expect(new Signer({ key: KEY, algorithm: "sha512" }).signature("hello")).toBe(
      "Usf3uVQOZ9m6uPfVonKR-EBXjPe7bjMbp3_Fq8MfsptgkkM1ojidN0BxYaT5HAEN1VzO9_jVu7R-VkqknHYNvw",
    );
  });

  it.each(["", "-", "abc", "a=b_"])(
    "refuses the unsafe separator %j with Django's message",
    (sep) => {
      expect(() => new Signer({ key: KEY, sep })).toThrow(
        `Unsafe Signer separator: ${JSON.stringify(sep)} (cannot be empty or consist of only A-z0-9-_=)`,
      );
    },
  );

  it.each([
    "q;wjmbk;wkmb",
    "3098247529087",
    "3098247:529:087:",
    "jkw osanteuh ,rcuh nthu aou oauh ,ud du",
    "\u2019",
  ])("sign then unsign gives back %j", (example) => {
    const signer = new Signer({ key: KEY });
    const signed = signer.sign(example);
    expect(signed).not.toBe(example);
    expect(signer.unsign(signed)).toBe(example);
  });

  it("TimestampSigner honours maxAge around Django's frozen clock (signed at 123456789, read at 123456800)", () => {
    const signed = new TimestampSigner({ key: "predictable-key", now: at(123_456_789_000) }).sign(
      "hello",
    );
    expect(signed).not.toBe(new Signer({ key: "predictable-key" }).sign("hello"));
    const later = new TimestampSigner({ key: "predictable-key", now: at(123_456_800_000) });
    expect(later.unsign(signed, { maxAge: 12 })).toBe("hello");
    expect(later.unsign(signed, { maxAge: 11 })).toBe("hello");
    expect(() => later.unsign(signed, { maxAge: 10 })).toThrow(SignatureExpired);
  });

  it.each([-(10 ** 10), 10 ** 10, 1620378259, ...Array.from({ length: 200 }, (_, i) => i - 100)])(
    "base62 round-trips %i",
    (value) => {
      expect(b62Decode(b62Encode(value))).toBe(value);
    },
  );

  it("a retired key in fallbackKeys verifies (test_verify_with_non_default_key)", () => {
    const signed = new Signer({ key: "secret" }).sign("abc");
    const signer = new Signer({ key: "newsecret", fallbackKeys: ["othersecret", "secret"] });
    expect(signer.unsign(signed)).toBe("abc");
  });
});

// Computed with Django 3.2 (python3-django) with time.time() frozen at 123456789.25.
describe("values computed with real Django", () => {
  it("Signer with a salt", () => {
    expect(new Signer({ key: KEY, salt: "extra-salt" }).signature("hello")).toBe(
      "g8YZrsJ1xXg4hGFgU2uc4ff9ZZRKt3ReprMkjND8TfM",
    );
  });

  it("Signer with a non-ASCII key (encoded as UTF-8, as Django's force_bytes does)", () => {
    expect(new Signer({ key: "ç" }).sign("foo")).toBe(
      "foo:XMBPxGZL0pzaixVEFv6cglvwOpVV6mPjjapPnGKEF-4",
    );
  });

  it("Signer with a non-ASCII value", () => {
    expect(new Signer({ key: KEY }).sign("\u2019")).toBe(
      "\u2019:dlLe36d72rMTJA-Nx4rZmsbVBttx4TfQ4hk3i_WNycU",
    );
  });

  it("TimestampSigner, whose default salt is django.core.signing.TimestampSigner", () => {
    const signer = new TimestampSigner({ key: "predictable-key", now: at(FROZEN) });
    expect(signer.salt).toBe("django.core.signing.TimestampSigner");
    expect(signer.sign("hello")).toBe("hello:8M0kX:0pJB1_TN9Bno2aK29thnZKKHn76ngzcQVnIrp_DNs5M");
  });

  it("dumps without compression", () => {
    const signed = "eyJmb28iOiJiYXIiLCJiYXoiOjF9:8M0kX:d8dshrZP3VMyOuacbLsZl54Atd9Z9uFZTbMrxpIhIPo";
    expect(dumps({ foo: "bar", baz: 1 }, { key: KEY, now: at(FROZEN) })).toBe(signed);
    expect(loads(signed, { key: KEY })).toEqual({ foo: "bar", baz: 1 });
  });

  it("dumps with compression", () => {
    const data = { a: Array.from({ length: 19 }, (_, i) => i + 1) };
    const signed =
      ".eJwFwbkRwCAAwLBdqF1gfliFo8gcOXZH-sMX1pZEplBpdAYTI4oJMxas2LDjwHnuA0HeC3w:8M0kX:O9l6BwcRdl-Kkgcg11Fy_0RE4MP2N_2vJTfwYOdXx4U";
    expect(loads(signed, { key: KEY })).toEqual(data);
    expect(dumps(data, { key: KEY, compress: true, now: at(FROZEN) })).toBe(signed);
  });

  it("dumps of session data with non-ASCII text, salted like Django's session store", () => {
    const data = { _auth_user_id: "1", name: "Zoë 🐍" };
    const salt = "django.contrib.sessions.SessionStore";
    const signed =
      "eyJfYXV0aF91c2VyX2lkIjoiMSIsIm5hbWUiOiJab1x1MDBlYiBcdWQ4M2RcdWRjMGQifQ:8M0kX:LGg71htfWYrXSMrvvdGLE75uvXekzrVhBvdccrhRzs0";
    expect(dumps(data, { key: KEY, salt, compress: true, now: at(FROZEN) })).toBe(signed);
    expect(loads(signed, { key: KEY, salt })).toEqual(data);
  });
});

describe("encodings", () => {
  it("b64Encode is URL-safe and unpadded", () => {
    expect(b64Encode(Buffer.from([0xfb, 0xff]))).toBe("-_8");
    expect(b64Encode(new Uint8Array([0x61]))).toBe("YQ");
  });

  it("b64Decode reads what b64Encode writes, padded or not", () => {
    for (let length = 0; length < 10; length++) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 97) % 256));
      expect(b64Decode(b64Encode(bytes))).toEqual(bytes);
    }
    expect(b64Decode("YQ==").toString()).toBe("a");
  });

  it.each(["a+b/", "abcde", "ab cd", "YQ=x", "é"])(
    "b64Decode refuses %j with BadSignature",
    (text) => {
      expect(() => b64Decode(text)).toThrow(BadSignature);
    },
  );

  it("b62 matches Django's digits", () => {
    expect(b62Encode(0)).toBe("0");
    expect(b62Encode(61)).toBe("z");
    expect(b62Encode(62)).toBe("10");
    expect(b62Encode(123456789)).toBe("8M0kX");
    expect(b62Encode(-(10 ** 10))).toBe("-Aukyoa");
    expect(b62Decode("-0")).toBe(0);
  });

  it.each(["", "-", "!", "8M0k X", "zzzzzzzzzzzz"])(
    "b62Decode refuses %j with BadSignature",
    (text) => {
      expect(() => b62Decode(text)).toThrow(BadSignature);
    },
  );

  it("b62Encode refuses what is not a safe integer", () => {
    expect(() => b62Encode(1.5)).toThrow(RangeError);
    expect(() => b62Encode(2 ** 60)).toThrow(RangeError);
  });
});

describe("Signer", () => {
  const signer = new Signer({ key: KEY });
  const signed = signer.sign("Another string");

  it.each<[string, (s: string) => string]>([
    ["upper-cased", (s) => s.toUpperCase()],
    ["with a character appended", (s) => `${s}a`],
    ["with its first character replaced", (s) => `a${s.slice(1)}`],
    ["without its separator", (s) => s.replace(":", "")],
    ["with a truncated signature", (s) => s.slice(0, -1)],
    [
      "with the signature's last character changed",
      (s) => s.slice(0, -1) + (s.endsWith("A") ? "B" : "A"),
    ],
    ["with an empty signature", (s) => s.slice(0, s.lastIndexOf(":") + 1)],
  ])("rejects a value %s", (_label, tamper) => {
    expect(signer.unsign(signed)).toBe("Another string");
    expect(() => signer.unsign(tamper(signed))).toThrow(BadSignature);
  });

  it("uses Django's default salt, and an empty salt means the default", () => {
    expect(signer.salt).toBe("django.core.signing.Signer");
    expect(new Signer({ key: KEY, salt: "" }).sign("x")).toBe(signer.sign("x"));
  });

  it("a value signed for another purpose (salt) with the same secret is rejected", () => {
    const forCookies = new Signer({ key: KEY, salt: "cookies" }).sign("admin");
    expect(() => new Signer({ key: KEY, salt: "password-reset" }).unsign(forCookies)).toThrow(
      BadSignature,
    );
  });

  it("a value signed with another secret is rejected", () => {
    expect(() => signer.unsign(new Signer({ key: "other" }).sign("x"))).toThrow(BadSignature);
  });

  it("the current key still verifies when fallback keys are set", () => {
    const rotating = new Signer({ key: "new", fallbackKeys: ["old"] });
    expect(rotating.unsign(rotating.sign("abc"))).toBe("abc");
  });

  it("always signs with the current key, never a fallback", () => {
    const rotating = new Signer({ key: "new", fallbackKeys: ["old"] });
    expect(() => new Signer({ key: "old" }).unsign(rotating.sign("abc"))).toThrow(BadSignature);
  });

  it("keeps no signature text in its messages (it is attacker-chosen and bound for logs)", () => {
    expect(() => signer.unsign("value:<script>")).toThrow("sessions: Signature does not match");
  });

  it("refuses an empty secret key, naming SECRET_KEY", () => {
    expect(() => new Signer({ key: "" })).toThrow(ImproperlyConfigured);
    expect(() => new Signer({ key: "" })).toThrow(/SECRET_KEY/);
  });

  it("refuses an empty fallback key, which anyone could sign with, naming SECRET_KEY_FALLBACKS", () => {
    expect(() => new Signer({ key: KEY, fallbackKeys: [""] })).toThrow(/SECRET_KEY_FALLBACKS/);
  });

  it("refuses an unknown hash algorithm at construction", () => {
    expect(() => new Signer({ key: KEY, algorithm: "whatever" })).toThrow(RangeError);
  });
});

describe("TimestampSigner maxAge", () => {
  const SIGNED_AT = 123_456_789_000;
  const signed = new TimestampSigner({ key: KEY, now: at(SIGNED_AT) }).sign("hello");
  const readAt = (ms: number) => new TimestampSigner({ key: KEY, now: at(ms) });

  it("accepts a value exactly maxAge seconds old", () => {
    expect(readAt(SIGNED_AT + 60_000).unsign(signed, { maxAge: 60 })).toBe("hello");
  });

  it("rejects a value a millisecond older than maxAge, with Django's message", () => {
    const late = () => readAt(SIGNED_AT + 60_001).unsign(signed, { maxAge: 60 });
    expect(late).toThrow(SignatureExpired);
    expect(late).toThrow("sessions: Signature age 60.001 > 60 seconds");
  });

  it("an expired signature is also a BadSignature, so one catch handles both", () => {
    expect(() => readAt(SIGNED_AT + 61_000).unsign(signed, { maxAge: 60 })).toThrow(BadSignature);
  });

  it("without maxAge (undefined or null) a value never expires", () => {
    const muchLater = readAt(SIGNED_AT + 10 * 365 * 86_400_000);
    expect(muchLater.unsign(signed)).toBe("hello");
    expect(muchLater.unsign(signed, { maxAge: null })).toBe("hello");
  });

  it("refuses a NaN maxAge instead of letting every value live forever", () => {
    expect(() => readAt(SIGNED_AT).unsign(signed, { maxAge: NaN })).toThrow(RangeError);
  });

  it("loads passes maxAge through", () => {
    const text = dumps({ a: 1 }, { key: KEY, now: at(SIGNED_AT) });
    expect(loads(text, { key: KEY, maxAge: 5, now: at(SIGNED_AT + 5_000) })).toEqual({ a: 1 });
    expect(() => loads(text, { key: KEY, maxAge: 5, now: at(SIGNED_AT + 5_500) })).toThrow(
      SignatureExpired,
    );
  });
});

describe("dumps and loads", () => {
  const data: SessionData = {
    foo: "bar",
    baz: 1,
    nested: { list: ["a", "list"], text: "a string \u2019" },
  };

  it.each([false, true])("round-trip (compress: %s)", (compress) => {
    expect(loads(dumps(data, { key: KEY, compress }), { key: KEY })).toEqual(data);
  });

  it("compress only when that saves more than a byte, marked by a leading '.'", () => {
    expect(dumps({ a: 1 }, { key: KEY, compress: true }).startsWith(".")).toBe(false);
    const long = dumps({ text: "abc".repeat(500) }, { key: KEY, compress: true });
    expect(long.startsWith(".")).toBe(true);
    expect(loads(long, { key: KEY })).toEqual({ text: "abc".repeat(500) });
  });

  it("compressFrom leaves payloads shorter than it uncompressed, and compresses the rest", () => {
    const text = "abc".repeat(500); // {"text":"…"} is 1,511 bytes of JSON
    expect(dumps({ text }, { key: KEY, compress: true, compressFrom: 1512 })).not.toMatch(/^\./);
    const compressed = dumps({ text }, { key: KEY, compress: true, compressFrom: 1511 });
    expect(compressed).toMatch(/^\./);
    expect(loads(compressed, { key: KEY })).toEqual({ text });
  });

  it("signers are shared per salt and keys, never across them", () => {
    const value = dumps(data, { key: KEY, salt: "one" });
    expect(loads(value, { key: KEY, salt: "one" })).toEqual(data);
    expect(() => loads(value, { key: KEY, salt: "two" })).toThrow(BadSignature);
    expect(() => loads(value, { key: `${KEY}x`, salt: "one" })).toThrow(BadSignature);
    // The retired key is accepted only while it is listed.
    expect(loads(value, { key: "new key", fallbackKeys: [KEY], salt: "one" })).toEqual(data);
    expect(() => loads(value, { key: "new key", salt: "one" })).toThrow(BadSignature);
  });

  it("reject a value signed with another salt", () => {
    const text = dumps(data, { key: KEY, salt: "django.contrib.sessions.backends.signed_cookies" });
    expect(() => loads(text, { key: KEY, salt: "django.contrib.sessions.SessionStore" })).toThrow(
      BadSignature,
    );
    expect(() => loads(text, { key: KEY })).toThrow(BadSignature);
  });

  it("accept a value signed with a retired key while it is a fallback", () => {
    const text = dumps(data, { key: "old-secret" });
    expect(
      loads(text, { key: "new-secret", fallbackKeys: ["older-secret", "old-secret"] }),
    ).toEqual(data);
  });

  it("reject a value signed with a key that was removed from the fallbacks", () => {
    const text = dumps(data, { key: "old-secret" });
    expect(() => loads(text, { key: "new-secret", fallbackKeys: ["older-secret"] })).toThrow(
      BadSignature,
    );
  });

  it.each<[string, (s: string) => string]>([
    ["upper-cased", (s) => s.toUpperCase()],
    ["with a character appended", (s) => `${s}a`],
    ["with its first character replaced", (s) => `a${s.slice(1)}`],
    ["without separators", (s) => s.replaceAll(":", "")],
    ["with a truncated signature", (s) => s.slice(0, -3)],
    ["with the compression marker added", (s) => `.${s}`],
  ])("reject a value %s", (_label, tamper) => {
    const text = dumps(data, { key: KEY });
    expect(() => loads(tamper(text), { key: KEY })).toThrow(BadSignature);
  });

  it("let unserializable data fail loudly when signing, not as a BadSignature", () => {
    const bad = { when: new Date() } as unknown as SessionData;
    expect(() => dumps(bad, { key: KEY })).toThrow(UnserializableValue);
  });
});

describe("loads on malformed input throws BadSignature and nothing else", () => {
  const EMPTY_OBJECT = b64Encode(Buffer.from("{}"));

  it.each<[string, string]>([
    ["an empty string", ""],
    ["text without separators", "garbage"],
    ["a lone separator", ":"],
    ["only separators", "::"],
    ["three made-up parts", "a:b:c"],
    ["non-ASCII text", "🐍:🐍:🐍"],
    ["a NUL byte", "\u0000"],
    ["invalid base64 with a valid signature", signPayload("!!!!")],
    ["base64 of an impossible length with a valid signature", signPayload("abcde")],
    ["invalid JSON with a valid signature", signPayload(b64Encode(Buffer.from("{not json")))],
    [
      "JSON that is not an object with a valid signature",
      signPayload(b64Encode(Buffer.from('"hello"'))),
    ],
    [
      "a compression marker on data that is not zlib",
      signPayload(`.${b64Encode(Buffer.from("plain"))}`),
    ],
    [
      "truncated zlib data",
      signPayload(`.${b64Encode(deflateSync(Buffer.from('{"a":1}')).subarray(0, 6))}`),
    ],
    [
      "a signature over a value without a timestamp",
      new Signer({ key: KEY, salt: "django.core.signing" }).sign(EMPTY_OBJECT),
    ],
    [
      "a signature over a malformed timestamp",
      new Signer({ key: KEY, salt: "django.core.signing" }).sign(`${EMPTY_OBJECT}:!!`),
    ],
  ])("%s", (_label, text) => {
    expect(() => loads(text, { key: KEY })).toThrow(BadSignature);
  });

  it("a value that is not a string at all", () => {
    expect(() => loads(undefined as unknown as string, { key: KEY })).toThrow(BadSignature);
  });

  it("a decompression bomb is refused before it is inflated in full", () => {
    // 32 MiB of JSON whitespace around {}: valid JSON, a few kilobytes compressed, over the 8 MiB cap.
    const inflated = Buffer.concat([Buffer.alloc(32 * 1024 * 1024, " "), Buffer.from("{}")]);
    const bomb = signPayload(`.${b64Encode(deflateSync(inflated))}`);
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => loads(bomb, { key: KEY })).toThrow(BadSignature);
    expect(() => loads(bomb, { key: KEY })).toThrow(
      `inflates to more than ${MAX_INFLATED_BYTES} bytes`,
    );
  });

  it("a payload over the inflated-size cap is signed uncompressed, so it reads back whole", () => {
    const data = { big: "ab".repeat(MAX_INFLATED_BYTES / 2 + 1) };
    const signed = dumps(data, { key: KEY, compress: true });
    expect(signed.startsWith(".")).toBe(false);
    expect(loads(signed, { key: KEY })).toEqual(data);
  });

  it("the inflated-size cap is exact and adjustable", () => {
    const json = Buffer.from(JSON.stringify({ text: "x".repeat(1000) }));
    const text = signPayload(`.${b64Encode(deflateSync(json))}`);
    expect(loads(text, { key: KEY, maxInflatedBytes: json.length })).toEqual({
      text: "x".repeat(1000),
    });
    expect(() => loads(text, { key: KEY, maxInflatedBytes: json.length - 1 })).toThrow(
      BadSignature,
    );
  });

  it("maxBytes: dumps refuses data that serializes past it with SessionTooLarge, and writes data at it", () => {
    const at = { t: "x".repeat(100 - '{"t":""}'.length) };
    expect(loads(dumps(at, { key: KEY, maxBytes: 100 }), { key: KEY, maxBytes: 100 })).toEqual(at);
    const over = { t: `${at.t}x` };
    expect(() => dumps(over, { key: KEY, maxBytes: 100 })).toThrow(SessionTooLarge);
    expect(() => dumps(over, { key: KEY, maxBytes: 100 })).toThrow(
      "the session's data is 101 bytes serialized, more than the 100 bytes allowed (SESSION_MAX_SIZE)",
    );
  });

  it("maxBytes: a value longer than the cap could have written is refused before its signature is checked", () => {
    const limit = maxSignedLength(1000);
    // Not even base64, and unsigned: only its length is looked at.
    expect(() => loads("!".repeat(limit + 1), { key: KEY, maxBytes: 1000 })).toThrow(
      PayloadTooLarge,
    );
    expect(() => loads("!".repeat(limit), { key: KEY, maxBytes: 1000 })).not.toThrow(
      PayloadTooLarge,
    );
    // The longest value the cap lets dumps write (uncompressed) is within the limit.
    const widest = { t: "x".repeat(1000 - '{"t":""}'.length) };
    const written = dumps(widest, { key: KEY, maxBytes: 1000 });
    expect(written.length).toBeLessThanOrEqual(limit);
    expect(loads(written, { key: KEY, maxBytes: 1000 })).toEqual(widest);
  });

  it("maxBytes: a payload inflating or decoding past it is PayloadTooLarge, a BadSignature", () => {
    const json = Buffer.from(JSON.stringify({ text: "x".repeat(1000) }));
    const compressed = signPayload(`.${b64Encode(deflateSync(json))}`);
    const plain = signPayload(b64Encode(json));
    for (const text of [compressed, plain]) {
      expect(loads(text, { key: KEY, maxBytes: json.length })).toEqual({ text: "x".repeat(1000) });
      expect(() => loads(text, { key: KEY, maxBytes: json.length - 1 })).toThrow(PayloadTooLarge);
      expect(() => loads(text, { key: KEY, maxBytes: json.length - 1 })).toThrow(BadSignature);
    }
  });

  it("fastCompressFrom: payloads from that size are deflated at zlib's level 1, smaller ones as Django does", () => {
    const small = { t: "思い出".repeat(100) };
    const large = { t: "思い出".repeat(1000) };
    const options = { key: KEY, compress: true, fastCompressFrom: 4096 };
    const payload = (signed: string) => b64Decode(signed.split(":")[0]!.slice(1));
    expect(payload(dumps(small, options))).toEqual(deflateSync(JSONSerializer.dumps(small)));
    expect(payload(dumps(large, options))).toEqual(
      deflateSync(JSONSerializer.dumps(large), { level: 1 }),
    );
    expect(loads(dumps(large, options), { key: KEY })).toEqual(large);
  });

  it("a developer mistake (an empty key) is not disguised as a bad signature", () => {
    expect(() => loads("anything", { key: "" })).toThrow(ImproperlyConfigured);
  });
});

// ---- against real Django ------------------------------------------------------------------------

const PYTHON = "/usr/bin/python3";
const djangoMissing = spawnSync(PYTHON, ["-c", "import django"]).status !== 0;

/**
 * Runs Django's signing in a child process with a frozen clock. Takes
 * { secret, now, dumps: [...], loads: [...], sign: [...], unsign: [...] } on
 * stdin and answers with the results in the same shape, as JSON.
 */
const DJANGO_SCRIPT = String.raw`
import json, sys, time
from django.conf import settings
request = json.loads(sys.stdin.buffer.read())
settings.configure(SECRET_KEY=request["secret"])
time.time = lambda: request["now"]
from django.core import signing

def attempt(read):
    try:
        return {"ok": read()}
    except signing.BadSignature as error:
        return {"error": type(error).__name__}

secret = request["secret"]
print(json.dumps({
    "dumps": [
        signing.dumps(c["data"], key=c.get("key", secret), salt=c["salt"], compress=c["compress"])
        for c in request["dumps"]
    ],
    "loads": [
        attempt(lambda c=c: signing.loads(c["text"], key=secret, salt=c["salt"], max_age=c.get("max_age")))
        for c in request["loads"]
    ],
    "sign": [signing.TimestampSigner(key=secret).sign(v) for v in request["sign"]],
    "unsign": [attempt(lambda t=t: signing.TimestampSigner(key=secret).unsign(t)) for t in request["unsign"]],
}))
`;

interface DjangoRequest {
  secret: string;
  /** Seconds since the epoch, like Python's time.time(). */
  now: number;
  dumps: { data: SessionData; salt: string; compress: boolean; key?: string }[];
  loads: { text: string; salt: string; max_age?: number }[];
  sign: string[];
  unsign: string[];
}

interface DjangoResponse {
  dumps: string[];
  loads: ({ ok: SessionData } | { error: string })[];
  sign: string[];
  unsign: ({ ok: string } | { error: string })[];
}

function django(request: DjangoRequest): DjangoResponse {
  const run = spawnSync(PYTHON, ["-c", DJANGO_SCRIPT], {
    input: JSON.stringify(request),
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`Django failed (${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout) as DjangoResponse;
}

describe.skipIf(djangoMissing)(
  `wire compatibility with real Django (skipped only when ${PYTHON} cannot import django: apt-get install python3-django)`,
  () => {
    const secret = "django-and-node-share-this-secret-0123456789abcdefghijklmnop";
    const NOW = 1_700_000_000_500;
    const SESSION_SALT = "django.contrib.sessions.SessionStore";
    const COOKIE_SALT = "django.contrib.sessions.backends.signed_cookies";
    const nonAscii: SessionData = {
      name: "Zoë",
      emoji: "🐍🐕",
      quote: "’",
      cjk: "你好",
      lone: "\ud800",
      del: "\u007f",
    };
    const nested: SessionData = {
      _auth_user_id: "42",
      cart: { items: [{ sku: "A-1", qty: 2, price: 9.99 }], coupon: null },
      flags: [true, false],
      numbers: [3.14159, 1e-7, 0.0001, 1e20, -42],
    };
    const long: SessionData = {
      log: "visited /pets/rex ".repeat(400),
      ids: Array.from({ length: 500 }, (_, i) => i),
    };
    const cases: { name: string; data: SessionData; salt: string; compress: boolean }[] = [
      { name: "small", data: { greeting: "hello" }, salt: "django.core.signing", compress: false },
      {
        name: "small, compression not worth it",
        data: { greeting: "hello" },
        salt: SESSION_SALT,
        compress: true,
      },
      { name: "non-ASCII", data: nonAscii, salt: SESSION_SALT, compress: false },
      { name: "non-ASCII, compressed", data: nonAscii, salt: SESSION_SALT, compress: true },
      { name: "nested", data: nested, salt: COOKIE_SALT, compress: false },
      { name: "nested, compressed", data: nested, salt: COOKIE_SALT, compress: true },
      { name: "long, compressed", data: long, salt: SESSION_SALT, compress: true },
    ];

    const ours = cases.map((c) =>
      dumps(c.data, { key: secret, salt: c.salt, compress: c.compress, now: at(NOW) }),
    );
    const signedByUs = new TimestampSigner({ key: secret, now: at(NOW) }).sign("hello ’");
    const expiredForDjango = dumps({ a: 1 }, { key: secret, now: at(NOW - 61_000) });
    let theirs: DjangoResponse;
    beforeAll(() => {
      theirs = django({
        secret,
        now: NOW / 1000,
        dumps: [
          ...cases.map(({ data, salt, compress }) => ({ data, salt, compress })),
          {
            data: { signed: "with a retired key" },
            salt: SESSION_SALT,
            compress: true,
            key: "retired-secret",
          },
        ],
        loads: [
          ...cases.map((c, i) => ({ text: ours[i] as string, salt: c.salt })),
          { text: expiredForDjango, salt: "django.core.signing", max_age: 60 },
          { text: ours[0] as string, salt: SESSION_SALT },
        ],
        sign: ["hello ’"],
        unsign: [signedByUs],
      });
    });

    it.each(cases.map((c, i) => [c.name, i] as const))(
      "we read what Django dumps (%s)",
      (_name, i) => {
        const { data, salt } = cases[i]!;
        expect(loads(theirs.dumps[i]!, { key: secret, salt, maxAge: 60, now: at(NOW) })).toEqual(
          data,
        );
      },
    );

    it.each(cases.map((c, i) => [c.name, i] as const))(
      "Django reads what we dump (%s)",
      (_name, i) => {
        expect(theirs.loads[i]).toEqual({ ok: cases[i]!.data });
      },
    );

    it("values not compressed are byte-identical to Django's for the same second", () => {
      cases.forEach((c, i) => {
        if (!c.compress) expect(ours[i]).toBe(theirs.dumps[i]);
      });
      // Too small to gain from zlib: both leave it uncompressed, so the bytes match too.
      expect(ours[1]).toBe(theirs.dumps[1]);
      expect(ours[1]!.startsWith(".")).toBe(false);
    });

    it("compressed values agree on whether to compress and on the timestamp (zlib bytes may differ)", () => {
      cases.forEach((c, i) => {
        if (!c.compress) return;
        const [ourPayload = "", ourTimestamp] = ours[i]!.split(":");
        const [theirPayload = "", theirTimestamp] = theirs.dumps[i]!.split(":");
        expect(ourPayload.startsWith("."), c.name).toBe(theirPayload.startsWith("."));
        expect(ourTimestamp, c.name).toBe(theirTimestamp);
      });
      expect(ours.at(-1)!.startsWith(".")).toBe(true);
    });

    it("we read a value Django signed with a key that is now a fallback", () => {
      const retired = theirs.dumps[cases.length]!;
      const options = { key: secret, salt: SESSION_SALT, now: at(NOW) };
      expect(loads(retired, { ...options, fallbackKeys: ["retired-secret"] })).toEqual({
        signed: "with a retired key",
      });
      expect(() => loads(retired, options)).toThrow(BadSignature);
    });

    it("Django enforces max_age on our timestamps, and rejects our value under another salt", () => {
      expect(theirs.loads[cases.length]).toEqual({ error: "SignatureExpired" });
      expect(theirs.loads[cases.length + 1]).toEqual({ error: "BadSignature" });
    });

    it("TimestampSigner agrees both ways, byte for byte", () => {
      expect(theirs.sign[0]).toBe(signedByUs);
      expect(theirs.unsign[0]).toEqual({ ok: "hello ’" });
    });
  },
);
