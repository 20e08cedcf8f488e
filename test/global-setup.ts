import type { TestProject } from "vitest/node";
import type { Service } from "./harness/services";
import { startRedisCluster } from "./harness/redis-cluster";
import { startMemcached, startPostgres, startRedis } from "./harness/services";

/**
 * Starts the real services every integration test may use, hands their URLs
 * to the tests (`inject("services")`), and stops them when the run ends,
 * passed or failed.
 */
export default async function setup(project: TestProject) {
  const started: Service[] = [];
  const track = async (start: () => Promise<Service>) => {
    const service = await start();
    started.push(service);
    return service;
  };
  const teardown = async () => {
    await Promise.allSettled(started.map((service) => service.stop()));
  };

  try {
    const [redis, redisCluster, memcached, postgres] = await Promise.all([
      track(startRedis),
      track(startRedisCluster),
      track(startMemcached),
      track(startPostgres),
    ]);
    project.provide("services", {
      redisUrl: redis.url,
      redisClusterUrl: redisCluster.url,
      memcachedUrl: memcached.url,
      postgresUrl: postgres.url,
    });
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}

declare module "vitest" {
  export interface ProvidedContext {
    services: {
      redisUrl: string;
      /** `redis+cluster://` with the three masters of a throwaway Redis Cluster. */
      redisClusterUrl: string;
      memcachedUrl: string;
      postgresUrl: string;
    };
  }
}
