import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { Managed } from "./processes";
import {
  freePort,
  requireBinary,
  retryingPortClash,
  searchDirs,
  sleep,
  startManaged,
} from "./processes";
import type { Service, StartOptions } from "./services";
import { ready } from "./services";

const run = promisify(execFile);

/** A throwaway Redis Cluster: three masters, no replicas, every slot assigned. */
export interface RedisCluster extends Service {
  /** `redis+cluster://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3`. */
  url: string;
  /** The masters' client ports. */
  ports: number[];
  /** Stops one master; its directory (and so its identity and slots) is kept for `restartNode`. */
  stopNode(port: number): Promise<void>;
  /** Starts a stopped master again, on its port, as the same node. */
  restartNode(port: number): Promise<void>;
}

const MASTERS = 3;

/**
 * Three `redis-server --cluster-enabled yes` processes, each in its own
 * temporary directory, joined with `redis-cli --cluster create`; ready once
 * every node reports `cluster_state:ok`. The cluster bus ports are free ports
 * too (not the default port + 10000, which may be taken or out of range).
 */
export async function startRedisCluster({
  searchDirs: dirs = searchDirs(),
  pickPort = freePort,
}: Omit<StartOptions, "port"> = {}): Promise<RedisCluster> {
  const binary = requireBinary("redis-server", "redis-server", dirs);
  const cli = requireBinary("redis-cli", "redis-tools", dirs);
  // On fresh ports again if one was taken before its node could bind it.
  return retryingPortClash(() => startCluster(binary, cli, pickPort));
}

async function startCluster(
  binary: string,
  cli: string,
  pickPort: () => Promise<number>,
): Promise<RedisCluster> {
  const ports = await distinctFreePorts(2 * MASTERS, pickPort);
  const nodes = ports.slice(0, MASTERS).map((port, i) => ({
    port,
    busPort: ports[MASTERS + i]!,
    dir: fs.mkdtempSync(path.join(os.tmpdir(), "evermore-redis-cluster-")),
    server: undefined as Managed | undefined,
  }));
  const addresses = nodes.map(({ port }) => `127.0.0.1:${port}`);
  const node = (port: number) => {
    const found = nodes.find((candidate) => candidate.port === port);
    if (!found) throw new Error(`no node of this cluster listens on ${port}`);
    return found;
  };
  const startNode = async (port: number) => {
    const found = node(port);
    const args = ["--port", String(port), "--cluster-port", String(found.busPort)];
    const files = ["--dir", found.dir, "--cluster-config-file", path.join(found.dir, "nodes.conf")];
    const name = "redis-server (cluster)";
    found.server = startManaged(binary, [...args, ...files, ...NODE_SETTINGS], { name });
    await ready(found.server, port, name);
  };
  const stopNode = async (port: number) => {
    await node(port).server?.stop();
  };
  const stop = async () => {
    await Promise.all(nodes.map((each) => stopNode(each.port)));
    for (const { dir } of nodes) fs.rmSync(dir, { recursive: true, force: true });
  };

  try {
    await Promise.all(nodes.map(({ port }) => startNode(port)));
    const create = [
      "--cluster",
      "create",
      ...addresses,
      "--cluster-replicas",
      "0",
      "--cluster-yes",
    ];
    await run(cli, create, { timeout: 30_000 });
    await Promise.all(nodes.map(({ port }) => untilClusterOk(cli, port)));
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `redis+cluster://${addresses.join(",")}`,
    ports: nodes.map(({ port }) => port),
    stop,
    stopNode,
    restartNode: startNode,
  };
}

/** Each node's settings: loopback only, nothing written to disk but its `nodes.conf`. */
const NODE_SETTINGS = [
  ...["--cluster-enabled", "yes", "--bind", "127.0.0.1"],
  ...["--save", "", "--appendonly", "no"],
];

/** `freePort` asks the OS for one port at a time, so two answers may repeat. */
async function distinctFreePorts(count: number, pickPort: () => Promise<number>) {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await pickPort());
  return [...ports];
}

async function untilClusterOk(cli: string, port: number, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let info = "";
  while (Date.now() < deadline) {
    ({ stdout: info } = await run(cli, ["-p", String(port), "cluster", "info"]));
    if (/^cluster_state:ok\r?$/m.test(info)) return;
    await sleep(100);
  }
  const state = /^cluster_state:\w+/m.exec(info)?.[0] ?? "no cluster_state";
  throw new Error(`Redis Cluster node 127.0.0.1:${port} not ok within ${timeoutMs} ms (${state})`);
}
