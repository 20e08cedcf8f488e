import { describe, expect, it } from "vitest";
import { databaseBackends, useFreshDatabase } from "../../test/harness/vitest-databases";
import { claimPhoto, quotaBuckets, releasePhotos } from "./photo-quota";

const LIMITS = { PHOTO_DAILY_PER_SESSION: 3, PHOTO_DAILY_PER_ADDRESS: 5 };
const hours = (n: number) => n * 3_600_000;

describe.each(databaseBackends)("daily photo quotas ($name)", ({ fresh }) => {
  const db = useFreshDatabase(fresh);

  it("takes a session's photos up to its quota, then says when it may add more", async () => {
    const buckets = quotaBuckets("uploader-a", "10.0.0.1", LIMITS);
    const start = Date.now();
    for (let i = 0; i < 3; i++) {
      expect(await claimPhoto(db.client, buckets, new Date(start + hours(i)))).toHaveProperty(
        "claim",
      );
    }
    expect(await claimPhoto(db.client, buckets, new Date(start + hours(3)))).toEqual({
      refused:
        "You have added 3 photos in the last day, the most we take from one visitor. " +
        "You can add more in about 21 hours.",
    });
    // Once the first photo is a day old, there is room for one more.
    expect(await claimPhoto(db.client, buckets, new Date(start + hours(24.1)))).toHaveProperty(
      "claim",
    );
  });

  it("holds an address to its quota whichever new sessions it uses", async () => {
    const now = new Date();
    for (let i = 0; i < 5; i++) {
      const buckets = quotaBuckets(`fresh-session-${i}`, "10.0.0.2", LIMITS);
      expect(await claimPhoto(db.client, buckets, now)).toHaveProperty("claim");
    }
    const refused = await claimPhoto(
      db.client,
      quotaBuckets("fresh-session-5", "10.0.0.2", LIMITS),
      now,
    );
    expect(refused).toEqual({
      refused: expect.stringContaining("5 photos were added from your network"),
    });
    // Another address is not held to it.
    expect(
      await claimPhoto(db.client, quotaBuckets("fresh-session-6", "10.0.0.3", LIMITS), now),
    ).toHaveProperty("claim");
  });

  it("gives back the claim of a photo that was refused or not kept", async () => {
    const buckets = quotaBuckets("uploader-b", null, LIMITS);
    const claims = [];
    for (let i = 0; i < 3; i++) {
      const outcome = await claimPhoto(db.client, buckets);
      if ("claim" in outcome) claims.push(outcome.claim);
    }
    expect(claims).toHaveLength(3);
    await releasePhotos(db.client, claims.slice(0, 2));
    expect(await claimPhoto(db.client, buckets)).toHaveProperty("claim");
    expect(await claimPhoto(db.client, buckets)).toHaveProperty("claim");
    expect(await claimPhoto(db.client, buckets)).toHaveProperty("refused");
  });

  it("lets no more than the quota through when photos arrive at once", async () => {
    const buckets = quotaBuckets("uploader-c", "10.0.0.4", LIMITS);
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () => claimPhoto(db.client, buckets)),
    );
    expect(outcomes.filter((outcome) => "claim" in outcome).length).toBeLessThanOrEqual(3);
  });
});
