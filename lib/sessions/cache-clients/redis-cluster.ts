import type { Redis } from "ioredis";
import { Cluster } from "ioredis";
import { ImproperlyConfigured } from "../errors";
import { CACHE_TIMEOUT_MS } from "./failure";
import { CONNECTION_OPTIONS, reconnectDelay, RedisCache } from "./redis";

/** The scheme of a Redis Cluster URL. */
export const REDIS_CLUSTER_SCHEME = "redis+cluster:";

/** `redis+cluster://[user:password@]host:port,host:port[/]`; the userinfo runs to the last `@`. */
const CLUSTER_URL = /^redis\+cluster:\/\/(?:(.*)@)?([^@/?#]+)\/?$/;

/**
 * A Redis Cluster, through ioredis `Cluster`:
 * `redis+cluster://[user:password@]host:port,host:port`. The nodes listed are
 * where discovery starts (one is enough; more survive one being down); the
 * others are found through `CLUSTER SLOTS`. A cluster has database 0 only, so
 * the URL has no path. TLS (`rediss`) is not supported yet.
 *
 * Same failures as one server: nothing is queued while a node is unreachable,
 * nothing is resent after a lost connection, and a command fails within about
 * `CACHE_TIMEOUT_MS`. A redirection (`MOVED`, `ASK`) is followed, since the
 * node that answered it did not run the command. `setting` names the variable
 * to fix when the URL is malformed; the URL is never put in a message.
 */
export function redisClusterCache(url: string, setting: string, forget: () => void): RedisCache {
  const { nodes, username, password } = parseClusterUrl(url, setting);
  const cluster = new Cluster(nodes, {
    enableOfflineQueue: false,
    // A command that met a closed connection or a cluster that is down fails now:
    // retrying it later could apply it after a newer write.
    retryDelayOnFailover: 0,
    retryDelayOnClusterDown: 0,
    // `cluster_state` is checked by every command (CLUSTERDOWN); the ready check would
    // be sent through a node connection that may still be opening.
    enableReadyCheck: false,
    slotsRefreshTimeout: CACHE_TIMEOUT_MS,
    clusterRetryStrategy: reconnectDelay,
    redisOptions: { ...CONNECTION_OPTIONS, username, password },
  });
  cluster.on("+node", openWithoutQueue);
  const hosts = nodes.map(({ host, port }) => `${host}:${port}`).join(",");
  return new RedisCache(cluster, `redis cluster at ${hosts}`, forget);
}

/**
 * ioredis opens a node connection on its first command, which waits in the
 * connection's offline queue meanwhile: were the node slow to answer, the
 * command could be sent after the caller was told it failed (and a newer write
 * made). Instead the connection opens as soon as the node is known, and a
 * command for a node that is not ready fails at once (RedisCache waits, within
 * its bound, for connections being opened).
 */
function openWithoutQueue(node: Redis) {
  node.options.enableOfflineQueue = false;
  if (node.status === "wait") node.connect().catch(() => undefined);
}

interface ClusterAddress {
  nodes: { host: string; port: number }[];
  username: string | undefined;
  password: string | undefined;
}

function parseClusterUrl(url: string, setting: string): ClusterAddress {
  // The URL itself is left out of the message: it may hold a password.
  const malformed = () =>
    new ImproperlyConfigured(
      `${setting}: expected redis+cluster://host:port,host:port (optionally user:password@ before the hosts; no database)`,
    );
  const [, userinfo, hosts = ""] = CLUSTER_URL.exec(url) ?? [];
  if (!hosts) throw malformed();
  const credentials = userinfo === undefined ? undefined : asUrl(`redis://${userinfo}@host`);
  if (credentials === null) throw malformed();
  const nodes = hosts.split(",").map((address) => {
    const node = asUrl(`redis://${address}`);
    if (!node?.hostname || node.pathname || node.username || node.password) throw malformed();
    return { host: unbracket(node.hostname), port: Number(node.port || 6379) };
  });
  return {
    nodes,
    username: credentials?.username ? decodeURIComponent(credentials.username) : undefined,
    password: credentials?.password ? decodeURIComponent(credentials.password) : undefined,
  };
}

function asUrl(text: string): URL | null {
  return URL.canParse(text) ? new URL(text) : null;
}

/** WHATWG URLs keep IPv6 hosts in brackets; sockets want them bare. */
function unbracket(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, "$1");
}
