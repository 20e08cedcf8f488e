import { describe, expect, it } from "vitest";
import { formFields } from "./form-fields";

describe("formFields", () => {
  it("keeps a form's text fields and leaves files out", () => {
    const form = new FormData();
    form.set("name", "Biscuit");
    form.set("photo", new File(["x"], "x.jpg"));
    expect(formFields(form)).toEqual({ name: "Biscuit" });
  });

  it("reads anything but a form as an empty form, instead of throwing", () => {
    for (const hostile of ["abc", null, undefined, 42, {}, [["name", "x"]]]) {
      expect(formFields(hostile)).toEqual({});
    }
  });
});
