import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { databaseBackends, useFreshDatabase } from "../../test/harness/vitest-databases";
import { databaseFor } from "./client";
import { committedMigrations, migrationsDirectory, pendingMigrations } from "./migrations";
import { databaseProvider } from "./url";

const committed = async (provider: "sqlite" | "postgresql") =>
  (await committedMigrations(migrationsDirectory(provider)))!;

describe("the committed migrations", () => {
  it("are the directories under prisma/migrations/<provider>, oldest first", async () => {
    for (const provider of ["sqlite", "postgresql"] as const) {
      const names = await committed(provider);
      expect(names.length).toBeGreaterThan(0);
      expect(names).toEqual([...names].sort());
      expect(names).not.toContain("migration_lock.toml");
    }
  });

  it("are unknown (null) where there is no such directory", async () => {
    expect(await committedMigrations(path.join(os.tmpdir(), "evermore-no-such-dir"))).toBeNull();
  });
});

describe.each(databaseBackends)("pending migrations ($name)", ({ fresh }) => {
  const state = useFreshDatabase(fresh);

  it("none on a database that `npm run db:migrate` brought up to date", async () => {
    const provider = databaseProvider(state.database.url);
    expect(await pendingMigrations(state.client, provider, await committed(provider))).toEqual([]);
  });

  it("a migration committed since, and one whose row says it was rolled back", async () => {
    const provider = databaseProvider(state.database.url);
    const names = await committed(provider);
    await state.client.$executeRaw`
      UPDATE _prisma_migrations SET rolled_back_at = finished_at WHERE migration_name = ${names[0]}`;
    const later = [...names, "29991231000000_not_applied_yet"];
    expect(await pendingMigrations(state.client, provider, later)).toEqual([
      names[0],
      "29991231000000_not_applied_yet",
    ]);
  });
});

describe("pending migrations on a database never migrated", () => {
  it("are all of them", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-empty-db-"));
    const database = databaseFor(`file:${path.join(dir, "empty.db")}`);
    try {
      const names = await committed("sqlite");
      expect(await pendingMigrations(database, "sqlite", names)).toEqual(names);
    } finally {
      await database.$disconnect();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
