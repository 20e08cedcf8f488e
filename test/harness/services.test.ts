import { execFileSync } from "node:child_process";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { freePort, MissingBinaryError, startManaged, waitForPort } from "./processes";
import { startRedisCluster } from "./redis-cluster";
import { ready, startMemcached, startPostgres, startRedis } from "./services";

describe("test harness", () => {
  it.each([
    ["redis-server", startRedis],
    ["redis-server", startRedisCluster],
    ["memcached", startMemcached],
    ["initdb", startPostgres],
  ])("fails at once, naming the package, when %s is not installed", async (binary, start) => {
    const nowhere = { searchDirs: ["/nonexistent"] };
    await expect(start(nowhere)).rejects.toThrow(MissingBinaryError);
    await expect(start(nowhere)).rejects.toThrow(new RegExp(`^${binary} is not installed`));
  });

  it.each([
    ["Redis", startRedis],
    ["a Redis Cluster", startRedisCluster],
    ["memcached", startMemcached],
    ["PostgreSQL", startPostgres],
  ])("starts %s on other ports when a port it was handed is taken first", async (_, start) => {
    const taken = await listeningOnAFreePort();
    let picks = 0;
    // The first port handed out is one another process took after `freePort` found it free.
    const pickPort = async () => (picks++ === 0 ? taken.port : freePort());
    try {
      const service = await start({ pickPort });
      await service.stop();
      expect(picks).toBeGreaterThan(1);
      expect(service.url).not.toContain(`:${taken.port}`);
    } finally {
      taken.server.close();
    }
  });

  it("does not move a server asked for on a fixed port that is taken", async () => {
    const taken = await listeningOnAFreePort();
    try {
      await expect(startRedis({ port: taken.port })).rejects.toThrow("Address already in use");
    } finally {
      taken.server.close();
    }
  });

  it("does not take a server that listens for ready until it says it is", async () => {
    const port = await freePort();
    // Listens at once, says nothing: like PostgreSQL before "ready to accept connections".
    const listen = `import socket,time; s=socket.socket(); s.bind(("127.0.0.1",${port})); s.listen(); time.sleep(30)`;
    const server = startManaged("python3", ["-c", listen], { name: "quiet" });
    await expect(
      ready(server, port, "quiet", { saying: "ready to accept connections", timeoutMs: 1_000 }),
    ).rejects.toThrow('quiet did not say "ready to accept connections" within 1000 ms');
    expect(server.child.signalCode).toBe("SIGTERM");
  });

  it("reports a server that dies on start instead of waiting for it", async () => {
    const port = await freePort();
    const server = startManaged("sh", ["-c", "echo 'bad config' >&2; exit 3"], { name: "broken" });
    await expect(waitForPort(port, server.child, { name: "broken" })).rejects.toThrow(
      "broken exited before accepting connections (exit code 3)",
    );
    expect(server.output()).toContain("bad config");
  });

  it("gives up on a server that never listens, within the deadline", async () => {
    const port = await freePort();
    const server = startManaged("sleep", ["30"], { name: "silent" });
    try {
      await expect(
        waitForPort(port, server.child, { name: "silent", timeoutMs: 300 }),
      ).rejects.toThrow(`silent did not accept connections on 127.0.0.1:${port} within 300 ms`);
    } finally {
      await server.stop();
    }
    expect(server.child.signalCode).toBe("SIGTERM");
  });

  it("starts a Redis Cluster of three masters sharing every slot, and stops all of them", async () => {
    const cluster = await startRedisCluster();
    const redisCli = (port: number, ...command: string[]) =>
      execFileSync("redis-cli", ["-p", String(port), ...command], { stdio: "pipe" }).toString();
    try {
      expect(cluster.url).toBe(
        `redis+cluster://${cluster.ports.map((port) => `127.0.0.1:${port}`).join(",")}`,
      );
      const info = redisCli(cluster.ports[0]!, "cluster", "info");
      expect(info).toMatch(/^cluster_state:ok\r?$/m);
      expect(info).toMatch(/^cluster_slots_assigned:16384\r?$/m);
      expect(info).toMatch(/^cluster_size:3\r?$/m);
    } finally {
      await cluster.stop();
    }
    for (const port of cluster.ports) {
      expect(() => redisCli(port, "ping")).toThrow();
    }
  });
});

/** A port this process listens on: taken, as far as any server is concerned. */
async function listeningOnAFreePort(): Promise<{ server: net.Server; port: number }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as net.AddressInfo).port };
}
