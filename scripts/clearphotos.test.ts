import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { draft } from "../test/harness/accounts";
import type { TestDatabase } from "../test/harness/databases";
import { freshSqliteDatabase } from "../test/harness/databases";
import { runToEnd } from "../test/harness/processes";
import { drafts } from "../lib/memorials/drafts";
import { SessionStore as DbSessionStore } from "../lib/sessions/engines/db";
import { withSettings } from "../lib/sessions/testing/contract";

/** `npm run clearphotos`, run for real as a child process; the sweep itself is tested in photo-sweep.test.ts. */
const ROOT = path.resolve(import.meta.dirname, "..");

function clearphotos(env: Record<string, string>) {
  const options = { cwd: ROOT, env: { ...process.env, ...env } };
  return runToEnd("npx", ["tsx", "scripts/clearphotos.ts"], options);
}

describe("clearphotos", () => {
  let database: TestDatabase;
  let uploads: string;

  beforeAll(async () => {
    database = await freshSqliteDatabase();
    uploads = fs.mkdtempSync(path.join(os.tmpdir(), "evermore-clearphotos-"));
  });
  afterAll(async () => {
    fs.rmSync(uploads, { recursive: true, force: true });
    await database.drop();
  });

  function photo(id: string) {
    const dayAgo = new Date(Date.now() - 24 * 60 * 60 * 1000);
    for (const name of [`${id}.webp`, `${id}.thumb.webp`]) {
      fs.writeFileSync(path.join(uploads, name), "webp");
      fs.utimesSync(path.join(uploads, name), dayAgo, dayAgo);
    }
  }

  it("removes the files of photos nothing holds, keeps the others and says how many, exit 0", async () => {
    photo("keptphoto");
    photo("lostphoto");
    const session = new (withSettings(DbSessionStore, { DATABASE_URL: database.url }))();
    await drafts.write(session, [draft("draftkept", "Pip", ["keptphoto"])]);
    await session.save();

    const { status, stdout } = await clearphotos({
      SESSION_ENGINE: "db",
      DATABASE_URL: database.url,
      UPLOADS_DIR: uploads,
    });

    expect(stdout).toBe("clearphotos: removed 2 unused photo files, kept 2 (engine db)\n");
    expect(status).toBe(0);
    expect(fs.readdirSync(uploads).sort()).toEqual(["keptphoto.thumb.webp", "keptphoto.webp"]);
  });

  it("stops at a session it cannot verify (the wrong SECRET_KEY): the reason, exit 1, nothing removed", async () => {
    photo("heldbyother");
    photo("orphanofother");
    const session = new (withSettings(DbSessionStore, { DATABASE_URL: database.url }))();
    await drafts.write(session, [draft("draftother", "Pip", ["heldbyother"])]);
    await session.save();

    const { status, stderr } = await clearphotos({
      SESSION_ENGINE: "db",
      DATABASE_URL: database.url,
      UPLOADS_DIR: uploads,
      SECRET_KEY: "not the key the servers sign with, though long enough 0123456789",
    });

    expect(stderr).toMatch(/^clearphotos: a session could not be verified .*nothing was removed/);
    expect(stderr).toContain("SECRET_KEY_FALLBACKS");
    expect(status).toBe(1);
    expect(fs.existsSync(path.join(uploads, "heldbyother.webp"))).toBe(true);
    expect(fs.existsSync(path.join(uploads, "orphanofother.webp"))).toBe(true);
    await session.destroy();
  });

  it("refuses the generated development key on a database other than the development one", async () => {
    photo("devkeyorphan");
    const { status, stderr } = await clearphotos({
      SESSION_ENGINE: "db",
      DATABASE_URL: database.url,
      UPLOADS_DIR: uploads,
      SECRET_KEY: "",
    });
    expect(stderr).toMatch(
      /^clearphotos: SECRET_KEY is not set, and DATABASE_URL .* is not the development database/,
    );
    expect(status).toBe(1);
    expect(fs.existsSync(path.join(uploads, "devkeyorphan.webp"))).toBe(true);
  });

  it("refuses an engine whose sessions cannot be listed: the reason, exit 1, nothing removed", async () => {
    photo("cachephoto");
    const { status, stderr } = await clearphotos({
      SESSION_ENGINE: "signed_cookies",
      DATABASE_URL: database.url,
      UPLOADS_DIR: uploads,
    });
    expect(stderr).toMatch(/^clearphotos: sessions of the signed_cookies engine cannot be listed/);
    expect(status).toBe(1);
    expect(fs.existsSync(path.join(uploads, "cachephoto.webp"))).toBe(true);
  });
});
