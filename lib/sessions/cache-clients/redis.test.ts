import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, inject, it } from "vitest";
import { CONNECTION_OPTIONS, RedisCache } from "./redis";

const { redisUrl } = inject("services");

describe("RedisCache on one server", () => {
  const client = new Redis(redisUrl, { ...CONNECTION_OPTIONS, enableOfflineQueue: false });
  const cache = new RedisCache(client, "redis (test)", () => undefined);
  afterAll(() => cache.close());

  it("holds back the commands of one turn of the event loop and sends them together", async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `test.redis.batch.${randomUUID()}.${i}`);
    await cache.set(keys[0]!, "connected", 60);
    const saves = keys.map((key, i) => cache.set(key, `value ${i}`, 60));
    // `set` waits for the connection check before sending: let that settle, still in this turn.
    await Promise.resolve();
    await Promise.resolve();
    expect(client.stream.writableCorked).toBe(1);
    expect(client.stream.writableLength).toBeGreaterThan(0);
    await Promise.all(saves);
    expect(client.stream.writableCorked).toBe(0);
    expect(await Promise.all(keys.map((key) => cache.get(key)))).toEqual(
      keys.map((_, i) => `value ${i}`),
    );
  });

  it("sends a lone command at the end of its turn: a sequence of commands never stalls", async () => {
    const key = `test.redis.lone.${randomUUID()}`;
    for (let i = 0; i < 50; i++) await cache.set(key, `value ${i}`, 60);
    expect(await cache.get(key)).toBe("value 49");
    expect(await cache.compareAndSet(key, "value 49", "value 50", 60)).toBe("saved");
  });
});
