import { describe, expect, it } from "vitest";
import { freePort, MissingBinaryError, startManaged, waitForPort } from "./processes";
import { startMemcached, startPostgres, startRedis } from "./services";

describe("test harness", () => {
  it.each([
    ["redis-server", startRedis],
    ["memcached", startMemcached],
    ["initdb", startPostgres],
  ])("fails at once, naming the package, when %s is not installed", async (binary, start) => {
    const nowhere = { searchDirs: ["/nonexistent"] };
    await expect(start(nowhere)).rejects.toThrow(MissingBinaryError);
    await expect(start(nowhere)).rejects.toThrow(new RegExp(`^${binary} is not installed`));
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
});
