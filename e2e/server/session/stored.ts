import fs from "node:fs";
import net from "node:net";
import { openDatabase } from "../../../lib/db/client";
import type { AppServer } from "./app-server";
import type { Engine, Services } from "./fixtures";

/**
 * How many sessions an engine's store holds right now, read from the store
 * itself (rows, files, cache items), to prove that a request left it alone.
 * The cookie engines have no store: null.
 */
export async function storedSessions(
  engine: Engine,
  server: AppServer,
  services: Services,
): Promise<number | null> {
  switch (engine.name) {
    case "db":
    case "cached_db":
      return databaseRows(server.databaseFile);
    case "file":
      return fs.readdirSync(server.sessionDir).length;
    case "cache":
      return memcachedItems(services.memcachedUrl);
    default:
      return null;
  }
}

async function databaseRows(file: string): Promise<number> {
  const database = openDatabase(`file:${file}`);
  try {
    return await database.session.count();
  } finally {
    await database.$disconnect();
  }
}

/** `curr_items` from memcached's `stats`: every item, whoever wrote it (the tests run one at a time). */
function memcachedItems(url: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () =>
      socket.write("stats\r\n"),
    );
    let reply = "";
    socket.on("data", (chunk) => {
      reply += chunk.toString();
      if (!reply.endsWith("END\r\n")) return;
      socket.end();
      const items = /^STAT curr_items (\d+)\r$/m.exec(reply);
      if (items) resolve(Number(items[1]));
      else reject(new Error(`memcached stats without curr_items:\n${reply}`));
    });
    socket.on("error", reject);
  });
}
