import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { Cache } from "./caches";
import { cacheFor, closeCaches, sessionCache } from "./caches";
import { ImproperlyConfigured, StorageError } from "./errors";

const { redisUrl, redisClusterUrl, memcachedUrl } = inject("services");

afterAll(() => closeCaches());

describe.each([
  { name: "Redis", url: redisUrl },
  { name: "Redis Cluster", url: redisClusterUrl },
  { name: "memcached", url: memcachedUrl },
])("the $name cache", ({ url }) => {
  const cache = (): Cache => cacheFor(url);
  /** A key no other test uses. */
  const fresh = () => `test.caches.${randomUUID()}`;

  it("gets what was set, and nothing for an unknown key", async () => {
    const key = fresh();
    expect(await cache().get(key)).toBeNull();
    expect(await cache().has(key)).toBe(false);
    await cache().set(key, "value ünïcode", 60);
    expect(await cache().get(key)).toBe("value ünïcode");
    expect(await cache().has(key)).toBe(true);
  });

  it("adds only a key that is free", async () => {
    const key = fresh();
    expect(await cache().add(key, "first", 60)).toBe(true);
    expect(await cache().add(key, "second", 60)).toBe(false);
    expect(await cache().get(key)).toBe("first");
  });

  it("replaces only a key that is present", async () => {
    const key = fresh();
    expect(await cache().replace(key, "never", 60)).toBe(false);
    expect(await cache().has(key)).toBe(false);
    await cache().set(key, "old", 60);
    expect(await cache().replace(key, "new", 60)).toBe(true);
    expect(await cache().get(key)).toBe("new");
  });

  it("deletes a key, saying whether there was one; a missing key is not an error", async () => {
    const key = fresh();
    await cache().set(key, "value", 60);
    expect(await cache().delete(key)).toBe(true);
    expect(await cache().has(key)).toBe(false);
    expect(await cache().delete(key)).toBe(false);
  });

  it("compares and sets atomically: saved, changed or gone", async () => {
    const key = fresh();
    expect(await cache().compareAndSet(key, "v1", "v2", 60)).toBe("gone");
    expect(await cache().has(key)).toBe(false);
    await cache().set(key, "v1", 60);
    expect(await cache().compareAndSet(key, "v0", "v2", 60)).toBe("changed");
    expect(await cache().get(key)).toBe("v1");
    expect(await cache().compareAndSet(key, "v1", "v2", 60)).toBe("saved");
    expect(await cache().get(key)).toBe("v2");
  });

  it("lets exactly one of many compare-and-sets from the same value win", async () => {
    const key = fresh();
    await cache().set(key, "start", 60);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => cache().compareAndSet(key, "start", `writer ${i}`, 60)),
    );
    expect(results.filter((result) => result === "saved")).toHaveLength(1);
    expect(results.filter((result) => result === "changed")).toHaveLength(19);
  });

  it("stores nothing for a TTL of zero or less, and set/replace then delete", async () => {
    const free = fresh();
    expect(await cache().add(free, "expired", 0)).toBe(true);
    expect(await cache().has(free)).toBe(false);

    const taken = fresh();
    await cache().set(taken, "live", 60);
    expect(await cache().add(taken, "expired", -5)).toBe(false);
    expect(await cache().get(taken)).toBe("live");
    expect(await cache().replace(taken, "expired", -5)).toBe(true);
    expect(await cache().has(taken)).toBe(false);

    await cache().set(taken, "live", 60);
    await cache().set(taken, "expired", 0);
    expect(await cache().has(taken)).toBe(false);
  });

  it("keeps an entry whose TTL is longer than 30 days (memcached's Unix-time threshold)", async () => {
    const key = fresh();
    await cache().set(key, "long-lived", 40 * 24 * 60 * 60);
    expect(await cache().get(key)).toBe("long-lived");
    expect(await cache().replace(key, "still", 365 * 24 * 60 * 60)).toBe(true);
    expect(await cache().get(key)).toBe("still");
  });
});

describe("cache clients", () => {
  it("are one per URL, and a closed one is replaced on next use", async () => {
    const first = cacheFor(redisUrl);
    expect(cacheFor(redisUrl)).toBe(first);
    await first.close();
    const second = cacheFor(redisUrl);
    expect(second).not.toBe(first);
    await second.set(`test.caches.${randomUUID()}`, "works", 60);
  });

  it("refuse memcached keys with spaces or over 250 characters", async () => {
    const cache = cacheFor(memcachedUrl);
    await expect(cache.get("has space")).rejects.toThrow(StorageError);
    await expect(cache.set("k".repeat(251), "v", 60)).rejects.toThrow(StorageError);
  });

  it("refuse a URL of another scheme, naming the variable to fix", () => {
    expect(() => cacheFor("http://127.0.0.1:1", "CACHE_X_URL")).toThrow(ImproperlyConfigured);
    expect(() => cacheFor("http://127.0.0.1:1", "CACHE_X_URL")).toThrow(
      /^sessions: CACHE_X_URL: expected redis/,
    );
  });

  it.each([
    ["no host", "redis+cluster://"],
    ["an empty host", "redis+cluster://:secret@127.0.0.1:7000,,127.0.0.1:7001"],
    ["a bad port", "redis+cluster://:secret@127.0.0.1:7000,127.0.0.1:port"],
    ["a database", "redis+cluster://:secret@127.0.0.1:7000,127.0.0.1:7001/2"],
  ])("refuse a cluster URL with %s, naming the variable and never the password", (_, url) => {
    expect(() => cacheFor(url, "CACHE_X_URL")).toThrow(ImproperlyConfigured);
    expect(() => cacheFor(url, "CACHE_X_URL")).toThrow(
      /^sessions: CACHE_X_URL: expected redis\+cluster:\/\/host:port,host:port/,
    );
    expect(() => cacheFor(url, "CACHE_X_URL")).not.toThrow(/secret/);
  });

  it("sessionCache uses CACHES[SESSION_CACHE_ALIAS] and names CACHE_<ALIAS>_URL when it is missing", () => {
    const caches = { default: memcachedUrl, sessions: redisUrl };
    expect(sessionCache({ CACHES: caches, SESSION_CACHE_ALIAS: "sessions" })).toBe(
      cacheFor(redisUrl),
    );
    expect(sessionCache({ CACHES: caches, SESSION_CACHE_ALIAS: "default" })).toBe(
      cacheFor(memcachedUrl),
    );
    expect(() => sessionCache({ CACHES: caches, SESSION_CACHE_ALIAS: "other" })).toThrow(
      /CACHE_OTHER_URL is not set/,
    );
  });

  it("fail with StorageError when nothing listens, instead of waiting", async () => {
    // Port 1 on loopback: connections are refused at once.
    for (const url of [
      "redis://127.0.0.1:1",
      "redis+cluster://127.0.0.1:1,127.0.0.1:2",
      "memcached://127.0.0.1:1",
    ]) {
      const cache = cacheFor(url);
      await expect(cache.get("test.caches.refused")).rejects.toThrow(StorageError);
      await expect(cache.set("test.caches.refused", "v", 60)).rejects.toThrow(StorageError);
      await cache.close();
    }
  });
});
