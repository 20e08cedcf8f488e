import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { migrationsDirectory } from "../db/migrations";

/**
 * The migration that brought email confirmation: accounts made before it
 * count as confirmed (they could publish, and keep that); accounts made
 * after start unconfirmed. Run on the real SQL files, on both databases.
 */
const MIGRATION = "20261207232358_email_verification";

function sqlBefore(provider: "sqlite" | "postgresql"): { before: string[]; migration: string } {
  const dir = migrationsDirectory(provider);
  const names = fs
    .readdirSync(dir)
    .filter((name) => /^\d+_/.test(name))
    .sort();
  const read = (name: string) => fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
  return {
    before: names.filter((name) => name < MIGRATION).map(read),
    migration: read(MIGRATION),
  };
}

const INSERT_OLD = `INSERT INTO accounts_user (email, password_hash) VALUES ('old@example.com', 'x')`;
const INSERT_NEW = `INSERT INTO accounts_user (email, password_hash) VALUES ('new@example.com', 'x')`;
const SELECT = `SELECT email, email_verified, last_login FROM accounts_user ORDER BY id`;

describe("the email confirmation migration", () => {
  it("on SQLite: existing accounts are confirmed, new ones are not", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-migration-"));
    const client = createClient({ url: `file:${path.join(dir, "old.db")}` });
    try {
      const { before, migration } = sqlBefore("sqlite");
      for (const sql of before) await client.executeMultiple(sql);
      await client.execute(INSERT_OLD);
      await client.executeMultiple(migration);
      await client.execute(INSERT_NEW);
      const rows = (await client.execute(SELECT)).rows.map((row) => ({ ...row }));
      expect(rows).toEqual([
        { email: "old@example.com", email_verified: 1, last_login: null },
        { email: "new@example.com", email_verified: 0, last_login: null },
      ]);
    } finally {
      client.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("on PostgreSQL: existing accounts are confirmed, new ones are not", async () => {
    const server = inject("services").postgresUrl;
    const name = `evermore_migration_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    const client = new pg.Client({ connectionString: url.toString() });
    try {
      await client.connect();
      const { before, migration } = sqlBefore("postgresql");
      for (const sql of before) await client.query(sql);
      await client.query(INSERT_OLD);
      await client.query(migration);
      await client.query(INSERT_NEW);
      expect((await client.query(SELECT)).rows).toEqual([
        { email: "old@example.com", email_verified: true, last_login: null },
        { email: "new@example.com", email_verified: false, last_login: null },
      ]);
    } finally {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
