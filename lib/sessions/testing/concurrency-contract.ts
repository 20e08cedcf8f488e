import { describe, expect, it } from "vitest";
import type { Json, SessionBase } from "../base";
import { ChangeConflict, SessionInterrupted, UpdateError } from "../errors";

/**
 * What requests running at the same time on one session must keep, for
 * every server-side engine (part of `sessionContract`). Each "request" is a
 * store of its own over the same key, as in separate requests or processes.
 */
export function concurrencyContract(open: (key?: string | null) => SessionBase) {
  describe("requests at the same time on one session", () => {
    async function savedKey(data: Record<string, Json> = { shared: 0 }) {
      const session = open();
      await session.update(data);
      await session.save();
      return session.sessionKey!;
    }

    it("50 requests each setting its own key keep all 50 keys, round after round", async () => {
      const key = await savedKey();
      const rounds = 3;
      for (let round = 0; round < rounds; round++) {
        const requests = Array.from({ length: 50 }, () => open(key));
        // Every request reads the same version first: the worst case for lost updates.
        await Promise.all(requests.map((request) => request.keys()));
        await Promise.all(
          requests.map(async (request, i) => {
            await request.set(`round${round}-request${i}`, i);
            await request.save();
          }),
        );
      }
      const keys = await open(key).keys();
      expect(keys).toHaveLength(1 + rounds * 50);
      for (let round = 0; round < rounds; round++)
        for (let i = 0; i < 50; i++) expect(keys).toContain(`round${round}-request${i}`);
    }, 120_000); // 50 writers contend for one record: up to 50 × 50 conditional writes a round

    it("keeps a deletion and a set made by two requests to different keys", async () => {
      const key = await savedKey({ a: 1, b: 2 });
      const [first, second] = [open(key), open(key)];
      await Promise.all([first.keys(), second.keys()]);
      await first.delete("a");
      await second.set("c", 3);
      await first.save();
      await second.save();
      expect(Object.fromEntries(await open(key).items())).toEqual({ b: 2, c: 3 });
    });

    it("lets the last writer of the same key win", async () => {
      const key = await savedKey();
      const [first, second] = [open(key), open(key)];
      await Promise.all([first.keys(), second.keys()]);
      await first.set("shared", 1);
      await second.set("shared", 2);
      await first.save();
      await second.save();
      expect(await open(key).get("shared")).toBe(2);
    });

    it("keeps both requests' alterations of the same key", async () => {
      const key = await savedKey();
      const append = (item: string) => (current: Json | undefined) => [
        ...(Array.isArray(current) ? current : []),
        item,
      ];
      const [first, second] = [open(key), open(key)];
      await Promise.all([first.keys(), second.keys()]);
      await first.alter("pets", append("Biscuit"));
      await first.alter("pets", append("Pip"));
      await second.alter("pets", append("Mog"));
      await second.set("shared", 2);
      await first.save();
      await second.save();
      const saved = open(key);
      expect(await saved.get("pets")).toEqual(["Biscuit", "Pip", "Mog"]);
      expect(await saved.get("shared")).toBe(2);
      // The session that merged holds what it saved, and saves on top of it next time.
      expect(await second.get("pets")).toEqual(["Biscuit", "Pip", "Mog"]);
    });

    it("refuses a save whose alteration refuses what another request saved, keeping that", async () => {
      const key = await savedKey();
      // At most two pets: each request alone adds the second, together they would add a third.
      const addPet = (pet: string) => (current: Json | undefined) => {
        const pets = Array.isArray(current) ? current : [];
        if (pets.length >= 2) throw new RangeError("two pets at most");
        return [...pets, pet];
      };
      const setUp = open(key);
      await setUp.set("pets", ["Biscuit"]);
      await setUp.save();
      const [first, second] = [open(key), open(key)];
      await Promise.all([first.keys(), second.keys()]);
      await first.alter("pets", addPet("Pip"));
      await second.alter("pets", addPet("Mog"));
      await second.set("shared", 2);
      await first.save();
      const refused = second.save();
      await expect(refused).rejects.toThrow(ChangeConflict);
      await expect(refused).rejects.toBeInstanceOf(SessionInterrupted);
      const saved = open(key);
      expect(await saved.get("pets")).toEqual(["Biscuit", "Pip"]);
      expect(await saved.get("shared")).toBe(0);
    });

    it("a write racing a logout fails and never brings the session back", async () => {
      const key = await savedKey();
      const writer = open(key);
      await writer.set("pet", "Biscuit");
      await open(key).flush();
      await expect(writer.save()).rejects.toThrow(UpdateError);
      expect(await writer.exists(key)).toBe(false);
      expect(await open(key).keys()).toEqual([]);
    });

    it("a login keeps what another request saved between its read and its key change", async () => {
      const key = await savedKey({ shared: 0, pets: ["Biscuit"] });
      const [login, autosave] = [open(key), open(key)];
      await Promise.all([login.keys(), autosave.keys()]);
      await login.set("user", 7);
      await login.alter("pets", (pets) => [...(pets as Json[]), "Pip"]);
      await autosave.set("story", "the windowsill");
      await autosave.alter("pets", (pets) => [...(pets as Json[]), "Moss"]);
      await autosave.save();
      await login.cycleKey();
      await login.save();
      expect(login.sessionKey).not.toBe(key);
      expect(await login.exists(key)).toBe(false);
      expect(Object.fromEntries(await open(login.sessionKey).items())).toEqual({
        shared: 0,
        user: 7,
        story: "the windowsill",
        pets: ["Biscuit", "Moss", "Pip"],
      });
    });

    it("a logout that finds a save made since its read deletes nothing, and says so", async () => {
      const key = await savedKey();
      const [logout, autosave] = [open(key), open(key)];
      await Promise.all([logout.keys(), autosave.keys()]);
      await autosave.set("story", "the windowsill");
      await autosave.save();
      await expect(logout.flush()).rejects.toThrow(ChangeConflict);
      expect(await open(key).get("story")).toBe("the windowsill");
      // The refused logout now holds what is stored, so it may look again and retry.
      expect(await logout.get("story")).toBe("the windowsill");
      expect(logout.sessionKey).toBe(key);
      await logout.flush();
      expect(logout.sessionKey).toBeNull();
      expect(await logout.exists(key)).toBe(false);
    });

    it("two logins racing on one session leave exactly one live key", async () => {
      const key = await savedKey({ cart: 1 });
      const logins = [open(key), open(key)];
      await Promise.all(logins.map((login) => login.keys()));
      const results = await Promise.allSettled(logins.map((login) => login.cycleKey()));
      const won = results.filter((result) => result.status === "fulfilled");
      const lost = results.filter((result) => result.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost.map((result) => result.reason)).toEqual([expect.any(SessionInterrupted)]);
      const live = await Promise.all(
        logins.map((login) => (login.sessionKey ? login.exists(login.sessionKey) : false)),
      );
      expect(live.filter(Boolean)).toHaveLength(1);
      expect(await logins[0]!.exists(key)).toBe(false);
      const winner = logins[results.indexOf(won[0]!)]!;
      expect(await open(winner.sessionKey).get("cart")).toBe(1);
    });
  });
}
