import { describe, expect, it } from "vitest";
import { databaseBackends, useFreshDatabase } from "../../test/harness/vitest-databases";
import {
  MAX_MEMORIAL_ID,
  ownedMemorial,
  parseMemorialEdit,
  parseMemorialId,
  publishedMemorial,
} from "./memorials";

describe("parseMemorialId", () => {
  it.each([
    ["1", 1],
    ["42", 42],
    ["2147483647", MAX_MEMORIAL_ID],
  ])("reads %j as %d", (text, id) => {
    expect(parseMemorialId(text)).toBe(id);
  });

  it.each(["2147483648", "9999999999", "99999999999999999999", "0", "-1", "1.5", "1e3", "", " 7"])(
    "refuses %j",
    (text) => {
      expect(parseMemorialId(text)).toBeNull();
    },
  );

  it("refuses what is not text (a file, a missing field)", () => {
    expect(parseMemorialId(null)).toBeNull();
    expect(parseMemorialId(new Blob(["1"]))).toBeNull();
  });
});

describe.each(databaseBackends)("memorial ids on the database ($name)", ({ fresh }) => {
  const db = useFreshDatabase(fresh);

  it("every id parseMemorialId accepts is a plain miss, however large; none beyond reaches the query", async () => {
    for (const text of ["2147483647", "2147483648", "9999999999"]) {
      const id = parseMemorialId(text);
      const memorial = id === null ? null : await ownedMemorial(db.client, 1, id);
      expect(memorial).toBeNull();
    }
  });

  it("an address no memorial can have (a NUL, spaces, too long) is a plain miss", async () => {
    // PostgreSQL refuses a NUL in any text parameter: it must never reach the query.
    for (const slug of ["\u0000", "pip\u0000-abc", "Pip Pip", "é", "x".repeat(121), ""]) {
      expect(await publishedMemorial(db.client, slug)).toBeNull();
    }
  });
});

describe("parseMemorialEdit", () => {
  it("trims the fields and ignores any others", () => {
    expect(
      parseMemorialEdit({ name: " Zoë 🐾 ", species: "cat ", epitaph: "Always.", born: "x" }),
    ).toEqual({ ok: true, value: { name: "Zoë 🐾", species: "cat", epitaph: "Always." } });
  });

  it("refuses control and bidi-override characters with a message naming the field", () => {
    expect(parseMemorialEdit({ name: "Pip\u0000", species: "", epitaph: "" })).toEqual({
      ok: false,
      message: expect.stringMatching(/^The name contains an invisible/),
    });
    expect(parseMemorialEdit({ name: "Pip", species: "\u202edog", epitaph: "" })).toEqual({
      ok: false,
      message: expect.stringMatching(/^Species contains an invisible/),
    });
  });

  it("needs a name", () => {
    expect(parseMemorialEdit({ name: " ", species: "", epitaph: "" })).toEqual({
      ok: false,
      message: "Please give your companion's name.",
    });
  });
});
