import type { TestProject } from "vitest/node";
import type { Service } from "./harness/services";
import { startRedisCluster } from "./harness/redis-cluster";
import { startMemcached, startPostgres, startRedis } from "./harness/services";
import { startSmtp } from "./harness/smtp";

/**
 * Starts the real services every integration test may use (an SMTP server too), hands their URLs
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
    const smtp = await startSmtp();
    started.push({ url: `smtp://${smtp.host}:${smtp.port}`, stop: smtp.stop });
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
      smtp: { host: smtp.host, port: smtp.port, mailDir: smtp.mailDir },
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
      /** A throwaway SMTP server that writes every message it accepts to `mailDir` (harness/smtp.ts). */
      smtp: { host: string; port: number; mailDir: string };
    };
  }
}
