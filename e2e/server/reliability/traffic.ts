import type { Reply } from "../session/visitor";
import { Visitor } from "../session/visitor";

export interface Exchange {
  visitor: number;
  op: "read" | "write";
  status: number;
  ms: number;
  reply: Reply;
  /** The visitor's cookie before the request. */
  cookieBefore: string | null;
}

/**
 * Several visitors, each sending one request after another (a write, then a
 * read, …) until `stop()`: traffic to keep running while a store is killed.
 */
export function startTraffic(baseUrl: string, visitors: Visitor[]) {
  const exchanges: Exchange[] = [];
  let running = true;
  const loops = visitors.map(async (visitor, index) => {
    for (let i = 0; running; i++) {
      const op = i % 2 === 0 ? "write" : "read";
      const cookieBefore = visitor.cookie;
      const started = performance.now();
      const reply = await visitor.get(`/testing/session/${op}`);
      exchanges.push({
        visitor: index,
        op,
        status: reply.status,
        ms: performance.now() - started,
        reply,
        cookieBefore,
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  return {
    exchanges,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function newVisitors(baseUrl: string, count: number): Visitor[] {
  return Array.from({ length: count }, () => new Visitor(baseUrl));
}
