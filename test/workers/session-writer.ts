/**
 * A separate process that hammers one session store: `rounds` rounds of
 * `concurrency` requests, each loading a session, setting a key and saving.
 * Settings come from the environment (SESSION_ENGINE, DATABASE_URL, …).
 * Prints one JSON line: how many cycles succeeded and the failures' messages.
 */
import { getSessionStore } from "../../lib/sessions";

const rounds = Number(process.env.WRITER_ROUNDS ?? 20);
const concurrency = Number(process.env.WRITER_CONCURRENCY ?? 10);
const sharedKey = process.env.WRITER_SHARED_KEY || null;
const name = process.env.WRITER_NAME ?? String(process.pid);

const Store = await getSessionStore();
let succeeded = 0;
const failures: string[] = [];
for (let round = 0; round < rounds; round++) {
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      try {
        // Half the requests create sessions of their own, half write one shared session.
        const session = new Store(i % 2 === 0 ? sharedKey : null);
        await session.set(`${name}-${round}-${i}`, round);
        await session.save();
        succeeded++;
      } catch (error) {
        const cause = (error as Error).cause as Error | undefined;
        failures.push(`${(error as Error).message}${cause ? ` (${cause.message})` : ""}`);
      }
    }),
  );
}
console.log(JSON.stringify({ succeeded, failures }));
process.exit(0);
