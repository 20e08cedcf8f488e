import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ImproperlyConfigured, SuspiciousSession, UnserializableValue } from "./errors";
import type { Serializer, SessionData } from "./serializers";
import {
  assertJson,
  JSONSerializer,
  mayPrintDifferentlyInPython,
  pythonNumber,
  serializedLength,
  serializerFor,
} from "./serializers";

const dumpsText = (data: SessionData) => JSONSerializer.dumps(data).toString("latin1");
const loadsText = (text: string) => JSONSerializer.loads(Buffer.from(text, "latin1"));

describe("JSONSerializer.dumps", () => {
  // Expected bytes printed by CPython 3: json.dumps(value, separators=(",", ":")).
  it.each([
    [
      { a: 1, b: [true, false, null], c: "x", d: {}, e: [] },
      '{"a":1,"b":[true,false,null],"c":"x","d":{},"e":[]}',
    ],
    [{ s: "café 你好 🐍" }, '{"s":"caf\\u00e9 \\u4f60\\u597d \\ud83d\\udc0d"}'],
    [{ c: '\x00\x1f\x7f\b\f\n\r\t"\\/' }, '{"c":"\\u0000\\u001f\\u007f\\b\\f\\n\\r\\t\\"\\\\/"}'],
    [{ lone: "\ud800x\udfff" }, '{"lone":"\\ud800x\\udfff"}'],
    [
      { n: [0.1, -2.5, 123.456, 1e-5, 1.5e-7, 0.0001, 0.00012, 5e-324, 1e-100] },
      '{"n":[0.1,-2.5,123.456,1e-05,1.5e-07,0.0001,0.00012,5e-324,1e-100]}',
    ],
    [
      { i: [0, -1, 2 ** 53, 1e21, -1e22] },
      '{"i":[0,-1,9007199254740992,1000000000000000000000,-10000000000000000000000]}',
    ],
  ])("writes what Python's json.dumps writes: %j", (data, expected) => {
    expect(dumpsText(data as SessionData)).toBe(expected);
  });

  it("escapes non-ASCII keys as well as values", () => {
    expect(dumpsText({ clé: "ü" })).toBe('{"cl\\u00e9":"\\u00fc"}');
  });

  it("produces only ASCII bytes, whatever the text", () => {
    const bytes = JSONSerializer.dumps({ text: "Zoë’s 🐕 \u{10ffff} \u0080\u00ff\uffff" });
    expect(bytes.every((byte) => byte < 0x80)).toBe(true);
  });

  it("writes -0 as 0, like an integer", () => {
    expect(dumpsText({ zero: -0 })).toBe('{"zero":0}');
  });

  it("keeps insertion order of keys, except that integer-like keys come first as in any JS object", () => {
    expect(dumpsText({ b: 1, a: 2, "2": 3 })).toBe('{"2":3,"b":1,"a":2}');
  });

  it("refuses data that is not a plain object at the top", () => {
    expect(() => JSONSerializer.dumps([] as unknown as SessionData)).toThrow(UnserializableValue);
    expect(() => JSONSerializer.dumps(null as unknown as SessionData)).toThrow(UnserializableValue);
  });

  it("refuses values JSON cannot carry, naming where they are", () => {
    const data = { pets: [{}, {}, { born: new Date(0) }] } as unknown as SessionData;
    expect(() => JSONSerializer.dumps(data)).toThrow(/pets\[2\]\.born: a Date/);
  });
});

describe("the quick pass before each save", () => {
  it("sends every number Python prints in another layout down the slow path, and common ones not", () => {
    const edges = [
      0,
      -0,
      1e-4,
      -1e-4,
      0.00009999999999999999,
      1e-6,
      5e-324,
      1e21,
      -1e21,
      1e21 - 65536,
    ];
    const numbers = [
      ...edges,
      ...randomValues(3000).map((data) => (Object.values(data)[0] as number[])[0]!),
    ];
    for (const value of numbers as number[]) {
      if (pythonNumber(value) !== JSON.stringify(value)) {
        expect(mayPrintDifferentlyInPython(value), String(value)).toBe(true);
      }
    }
    for (const common of [0, 1, -1, 0.1, 2.5, 1e-4, 123456.789, 2 ** 53, 1e20]) {
      expect(mayPrintDifferentlyInPython(common), String(common)).toBe(false);
    }
  });

  /** `value` wrapped in `depth` arrays and objects, alternately. */
  const nested = (depth: number, value: unknown): unknown =>
    depth === 0 ? value : nested(depth - 1, depth % 2 ? [value] : { d: value });

  it("leaves nesting deeper than it follows to the careful check, which accepts valid data", () => {
    const data = { deep: nested(200, 1e-5) } as SessionData;
    expect(dumpsText(data)).toBe(JSON.stringify(data).replace("0.00001", "1e-05"));
  });

  it("still names a bad value or a cycle deep down", () => {
    expect(() => JSONSerializer.dumps({ deep: nested(100, new Date(0)) } as SessionData)).toThrow(
      /a Date is not a plain object/,
    );
    const ring: Record<string, unknown> = {};
    ring.next = nested(100, ring);
    expect(() => JSONSerializer.dumps({ ring } as SessionData)).toThrow(
      /ring\.next.*: it refers back to itself/,
    );
  });
});

describe("JSONSerializer.loads", () => {
  it("reads what Django writes", () => {
    expect(loadsText('{"s":"caf\\u00e9 \\ud83d\\udc0d","n":[1,2.5,1e-05],"o":{"x":null}}')).toEqual(
      {
        s: "café 🐍",
        n: [1, 2.5, 1e-5],
        o: { x: null },
      },
    );
  });

  it("round-trips every JSON value it writes", () => {
    const data: SessionData = {
      text: "Zoë 🐍 \ud800",
      nested: { list: [1, -0.5, "two", [null, true], { deep: {} }] },
    };
    expect(JSONSerializer.loads(JSONSerializer.dumps(data))).toEqual(data);
  });

  it("decodes bytes as latin-1, as Django does (so raw UTF-8 reads as mojibake, not as an error)", () => {
    const utf8 = Buffer.from('{"text":"héllo"}', "utf8");
    expect(JSONSerializer.loads(utf8)).toEqual({ text: "hÃ©llo" });
  });

  it.each([
    ["invalid JSON", "{not json"],
    ["an empty payload", ""],
    ["Python's NaN, which strict JSON lacks", '{"x":NaN}'],
    ["a string", '"hello"'],
    ["an array", "[1,2]"],
    ["null", "null"],
  ])("refuses %s with SuspiciousSession", (_label, text) => {
    expect(() => loadsText(text)).toThrow(SuspiciousSession);
  });

  it("keeps a __proto__ key as plain data and pollutes no prototype", () => {
    const data = loadsText('{"__proto__":{"polluted":true},"a":{"__proto__":{"polluted":true}}}');

    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(data.a)).toBe(Object.prototype);
    expect(Object.keys(data)).toEqual(["__proto__", "a"]);
    expect((data as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
    // It survives a round trip as the ordinary key it is.
    expect(dumpsText(data)).toBe(
      '{"__proto__":{"polluted":true},"a":{"__proto__":{"polluted":true}}}',
    );
  });
});

describe("assertJson", () => {
  class Pet {
    name = "Rex";
  }

  it.each<[string, unknown]>([
    ["null", null],
    ["booleans, numbers and strings", [true, 0, -1.5, "", "🐍"]],
    ["nested plain objects and arrays", { a: [{ b: { c: [] } }] }],
    ["objects without a prototype", Object.assign(Object.create(null) as object, { a: 1 })],
  ])("accepts %s", (_label, value) => {
    expect(() => assertJson(value)).not.toThrow();
  });

  it("accepts the same object twice side by side (no cycle)", () => {
    const shared = { x: 1 };
    expect(() => assertJson({ a: shared, b: [shared, shared] })).not.toThrow();
  });

  it.each<[string, unknown, RegExp]>([
    ["undefined", { a: undefined }, /a: undefined is not JSON/],
    ["a function", { a: () => 1 }, /a: a function is not JSON/],
    ["a symbol", { a: Symbol("s") }, /a: a symbol is not JSON/],
    ["a bigint", { a: 1n }, /a: a bigint is not JSON/],
    ["NaN", { a: NaN }, /a: NaN is not a JSON number/],
    ["Infinity", { a: Infinity }, /a: Infinity is not a JSON number/],
    ["-Infinity", { a: -Infinity }, /a: -Infinity is not a JSON number/],
    ["a Date", { a: new Date(0) }, /a: a Date is not a plain object/],
    ["a Map", { a: new Map() }, /a: a Map is not a plain object/],
    ["a Set", { a: new Set() }, /a: a Set is not a plain object/],
    ["a class instance", { a: new Pet() }, /a: a Pet is not a plain object/],
    ["a hole in an array", { a: [1, , 3] }, /a\[1\]: undefined is not JSON/],
    ["a symbol key", { a: { [Symbol("k")]: 1 } }, /a: symbol keys are not JSON/],
  ])("refuses %s with UnserializableValue", (_label, value, message) => {
    expect(() => assertJson(value)).toThrow(UnserializableValue);
    expect(() => assertJson(value)).toThrow(message);
  });

  it("names the full path to the bad value, starting from the given path", () => {
    const value = { pets: [{}, {}, { born: new Date(0) }] };
    expect(() => assertJson(value)).toThrow("sessions: cannot serialize pets[2].born: a Date");
    expect(() => assertJson(value.pets, "pets")).toThrow("cannot serialize pets[2].born");
    expect(() => assertJson({ "my key": NaN })).toThrow('cannot serialize ["my key"]');
    expect(() => assertJson(undefined)).toThrow("cannot serialize the value");
  });

  it("refuses cycles, naming where the value refers back", () => {
    const pet: Record<string, unknown> = { name: "Rex" };
    pet.owner = { pets: [pet] };
    expect(() => assertJson({ pet })).toThrow(UnserializableValue);
    expect(() => assertJson({ pet })).toThrow("pet.owner.pets[0]: it refers back to itself");
  });
});

describe("serializedLength", () => {
  it.each([
    ["plain ASCII", "Biscuit", 9],
    ["a quote, a backslash and a line break", '"\\\n', 8],
    ["a CRLF line break, as a form posts it", "\r\n", 6],
    ["an accented letter", "é", 8],
    ["a CJK character", "猫", 8],
    ["an emoji outside the BMP", "🐶", 14],
  ])("counts %s as the session stores it", (_, text, bytes) => {
    expect(serializedLength(text)).toBe(bytes);
  });
});

describe("serializerFor", () => {
  it('returns JSONSerializer for "json"', () => {
    expect(serializerFor("json")).toBe(JSONSerializer);
  });

  it("returns a custom serializer object as is", () => {
    const custom: Serializer = { dumps: () => Buffer.from("{}"), loads: () => ({}) };
    expect(serializerFor(custom)).toBe(custom);
  });

  it("refuses an unknown name with ImproperlyConfigured naming SESSION_SERIALIZER", () => {
    expect(() => serializerFor("pickle")).toThrow(ImproperlyConfigured);
    expect(() => serializerFor("pickle")).toThrow(/SESSION_SERIALIZER="pickle"/);
  });

  it("refuses an object without dumps() and loads()", () => {
    expect(() => serializerFor({ dumps: () => Buffer.alloc(0) } as unknown as Serializer)).toThrow(
      /SESSION_SERIALIZER/,
    );
  });
});

const PYTHON = "/usr/bin/python3";
const pythonMissing = spawnSync(PYTHON, ["-c", "import json"]).status !== 0;

describe.skipIf(pythonMissing)(
  `agreement with CPython's json (skipped when ${PYTHON} is missing)`,
  () => {
    it("writes the same bytes as json.dumps for many random numbers and strings", () => {
      const values = randomValues(2000);
      const script =
        "import json, sys\n" +
        "for v in json.loads(sys.stdin.buffer.read()): print(json.dumps(v, separators=(',', ':')))\n";
      // JSON.stringify gives Python the exact same values: integers (below 1e21) as ints, the rest as floats.
      const run = spawnSync(PYTHON, ["-c", script], {
        input: JSON.stringify(values),
        encoding: "utf8",
      });
      expect(run.stderr).toBe("");
      const expected = run.stdout.trimEnd().split("\n");

      const ours = values.map((value) => dumpsText(value));
      expect(ours).toEqual(expected);
    });
  },
);

/** Deterministic values covering every exponent range and every kind of UTF-16 code unit. */
function randomValues(count: number): SessionData[] {
  let seed = 0x2545f491;
  const next = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const view = new DataView(new ArrayBuffer(8));
  const randomNumber = (): number => {
    view.setUint32(0, next());
    view.setUint32(4, next());
    const number = view.getFloat64(0);
    const usable =
      Number.isFinite(number) && !(Number.isInteger(number) && Math.abs(number) >= 1e21);
    return usable ? number : next() / 7;
  };
  const randomText = (): string => {
    const units = Array.from({ length: next() % 12 }, () => {
      const pick = next() % 4;
      if (pick === 0) return next() % 0x80; // ASCII, controls included
      if (pick === 1) return 0xd800 + (next() % 0x800); // surrogates, paired or lone
      return next() % 0x10000;
    });
    return String.fromCharCode(...units);
  };
  return Array.from({ length: count }, () => ({ [randomText()]: [randomNumber(), randomText()] }));
}
