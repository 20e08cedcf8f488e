/**
 * `npm run db:generate` (also run on `npm install`): generates one Prisma
 * client per provider into lib/generated/prisma/<provider>/, from schemas
 * derived from prisma/schema.prisma (see ./schema.ts).
 *
 * The CLI downloads its native schema engine before `generate` unless
 * PRISMA_SCHEMA_ENGINE_BINARY names an existing file; generating never runs
 * it, so an empty placeholder keeps the command offline.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

import { clientOutputDir, PROVIDERS, REPO_ROOT, schemaFor } from "./schema";
import type { Provider } from "./schema";

const run = promisify(execFile);

async function main(): Promise<void> {
  const cli = prismaCli();
  const tmp = await mkdtemp(path.join(os.tmpdir(), "evermore-prisma-"));
  try {
    const placeholderEngine = path.join(tmp, "no-schema-engine");
    await writeFile(placeholderEngine, "");
    // One provider at a time keeps a failure's output readable.
    for (const provider of PROVIDERS) {
      await generate(cli, provider, tmp, placeholderEngine);
      console.log(
        `db:generate: ${provider} client -> ${path.relative(REPO_ROOT, clientOutputDir(provider))}`,
      );
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function generate(
  cli: string,
  provider: Provider,
  tmp: string,
  engine: string,
): Promise<void> {
  const schemaFile = path.join(tmp, `${provider}.prisma`);
  await writeFile(schemaFile, await schemaFor(provider, tmp));
  try {
    await run(process.execPath, [cli, "generate", "--schema", schemaFile], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PRISMA_SCHEMA_ENGINE_BINARY: engine,
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
        CHECKPOINT_DISABLE: "1",
      },
    });
  } catch (error) {
    const { stdout = "", stderr = "" } = error as { stdout?: string; stderr?: string };
    const output = `${stdout}\n${stderr}`.trim() || String(error);
    throw new Error(`prisma generate failed for ${provider}:\n${output}`);
  }
}

function prismaCli(): string {
  const require = createRequire(import.meta.url);
  try {
    const manifest = require.resolve("prisma/package.json");
    const { bin } = require(manifest) as { bin: { prisma: string } };
    return path.join(path.dirname(manifest), bin.prisma);
  } catch (error) {
    throw new Error(`the prisma CLI is not installed (devDependency "prisma"): ${String(error)}`);
  }
}

main().catch((error: unknown) => {
  console.error(`db:generate: failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
