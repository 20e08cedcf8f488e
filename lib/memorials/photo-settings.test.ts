import { describe, expect, it } from "vitest";
import { parsePhotoSettings } from "./photo-settings";

describe("photo settings", () => {
  it("default to one worker, six waiting, 60 photos a session and 300 an address a day", () => {
    const problems: string[] = [];
    expect(parsePhotoSettings({}, problems)).toEqual({
      PHOTO_WORKERS: 1,
      PHOTO_QUEUE: 6,
      PHOTO_DAILY_PER_SESSION: 60,
      PHOTO_DAILY_PER_ADDRESS: 300,
    });
    expect(problems).toEqual([]);
  });

  it("allow more workers when UV_THREADPOOL_SIZE makes libuv's pool larger, never the whole pool", () => {
    const problems: string[] = [];
    expect(
      parsePhotoSettings({ UV_THREADPOOL_SIZE: "8", PHOTO_WORKERS: "7" }, problems),
    ).toMatchObject({ PHOTO_WORKERS: 7 });
    parsePhotoSettings({ UV_THREADPOOL_SIZE: "8", PHOTO_WORKERS: "8" }, problems);
    expect(problems).toEqual(['PHOTO_WORKERS: expected 1 to 7, got "8"']);
  });

  it("name each bad variable, and refuse more workers than leave libuv a thread for logins", () => {
    const problems: string[] = [];
    parsePhotoSettings(
      { PHOTO_WORKERS: "4", PHOTO_QUEUE: "lots", PHOTO_DAILY_PER_SESSION: "0" },
      problems,
    );
    expect(problems).toEqual([
      'PHOTO_WORKERS: expected 1 to 3, got "4"',
      'PHOTO_QUEUE: expected a whole number, got "lots"',
      'PHOTO_DAILY_PER_SESSION: expected 1 to 10000, got "0"',
    ]);
  });
});
