import path from "node:path";
import { describe, expect, it } from "vitest";
import { incomingFile, photoFile, photoIdOfFile, temporaryFile } from "./photo-files";

describe("photo file names", () => {
  it("lead back to their photo's id, whichever file of it they name", () => {
    for (const variant of ["full", "thumb"] as const) {
      const file = photoFile("Ab_9-xyz", variant);
      expect(photoIdOfFile(path.basename(file))).toBe("Ab_9-xyz");
      expect(photoIdOfFile(path.basename(temporaryFile(file)))).toBe("Ab_9-xyz");
    }
    // An upload cut off by a crash is swept like any other file of a photo nothing holds.
    expect(photoIdOfFile(path.basename(incomingFile("Ab_9-xyz")))).toBe("Ab_9-xyz");
  });

  it("belong to no photo when they are anything else", () => {
    for (const name of [
      "notes.txt",
      "short.webp",
      "Ab_9-xyz.png",
      "Ab_9-xyz.webp.tmp",
      ".webp",
      "Ab_9-xyz.upload.tmp",
    ])
      expect(photoIdOfFile(name), name).toBeNull();
  });
});
