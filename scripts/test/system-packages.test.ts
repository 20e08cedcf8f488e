import { afterEach, describe, expect, it } from "vitest";
import { ensureSystemPackages } from "./system-packages";

const chromiumPath = process.env.CHROMIUM_PATH;
afterEach(() => {
  process.env.CHROMIUM_PATH = chromiumPath;
  if (chromiumPath === undefined) delete process.env.CHROMIUM_PATH;
});

describe("system packages", () => {
  it("names the exact apt-get line when a package is missing and installing is off", () => {
    process.env.CHROMIUM_PATH = "/nonexistent/chromium";
    expect(() => ensureSystemPackages({ browser: true, install: false })).toThrow(
      "Missing system packages: chromium.\nInstall them, then run the tests again:\n  sudo apt-get install chromium",
    );
  });

  it("does not ask for a browser when only server-side layers run", () => {
    process.env.CHROMIUM_PATH = "/nonexistent/chromium";
    expect(() => ensureSystemPackages({ browser: false, install: false })).not.toThrow();
  });
});
