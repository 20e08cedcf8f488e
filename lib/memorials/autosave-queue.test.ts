import { describe, expect, it } from "vitest";
import type { AutosaveStatus, SaveResult } from "./autosave-queue";
import { AutosaveQueue } from "./autosave-queue";

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server that takes `latency` ms per save and records what it stored, and how many saves overlapped. */
function slowServer(
  latency: number,
  answer: (value: string) => SaveResult | "fail" = () => ({ ok: true }),
) {
  const server = { stored: [] as string[], inFlight: 0, maxInFlight: 0 };
  const save = async (value: string): Promise<SaveResult> => {
    server.inFlight++;
    server.maxInFlight = Math.max(server.maxInFlight, server.inFlight);
    await wait(latency);
    server.inFlight--;
    const result = answer(value);
    if (result === "fail") throw new TypeError("Failed to fetch");
    if (result.ok) server.stored.push(value);
    return result;
  };
  return { server, save };
}

function statuses() {
  const seen: AutosaveStatus[] = [];
  const messages: string[] = [];
  return {
    seen,
    messages,
    onStatus: (status: AutosaveStatus, message?: string) => {
      seen.push(status);
      if (message) messages.push(message);
    },
  };
}

describe("AutosaveQueue", () => {
  it("saves every keystroke's final state, one save at a time, in order", async () => {
    const { server, save } = slowServer(30);
    const log = statuses();
    const queue = new AutosaveQueue({ save, saved: "", onStatus: log.onStatus, debounceMs: 5 });
    let text = "";
    for (const letter of "Biscuit loved the sea") {
      text += letter;
      queue.change(text);
      await wait(3);
    }
    await wait(200);
    expect(server.maxInFlight).toBe(1);
    expect(server.stored.at(-1)).toBe("Biscuit loved the sea");
    expect(queue.dirty).toBe(false);
    expect(log.seen.at(-1)).toBe("saved");
  });

  it("retries a save that fails on the network, says it is offline meanwhile, and loses nothing", async () => {
    let failuresLeft = 2;
    const { server, save } = slowServer(1, () => (failuresLeft-- > 0 ? "fail" : { ok: true }));
    const log = statuses();
    const queue = new AutosaveQueue({ save, saved: "", onStatus: log.onStatus, retryMs: [10] });
    queue.change("written while offline");
    await queue.flush();
    expect(log.seen.filter((status) => status === "offline")).toHaveLength(2);
    expect(server.stored).toEqual(["written while offline"]);
    expect(log.seen.at(-1)).toBe("saved");
  });

  it("stops with the server's message when a save is refused, and resumes on the next change", async () => {
    const { server, save } = slowServer(1, (value) =>
      value.length > 5 ? { ok: false, message: "Too long." } : { ok: true },
    );
    const log = statuses();
    const queue = new AutosaveQueue({ save, saved: "", onStatus: log.onStatus });
    queue.change("far too long");
    await queue.flush();
    expect(log.seen.at(-1)).toBe("refused");
    expect(log.messages).toEqual(["Too long."]);
    expect(queue.dirty).toBe(true);
    queue.change("short");
    await queue.flush();
    expect(server.stored).toEqual(["short"]);
    expect(queue.dirty).toBe(false);
  });
});
