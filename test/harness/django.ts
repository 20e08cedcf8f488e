import { spawn } from "node:child_process";
import path from "node:path";

/**
 * Real Django (Debian's python3-django, run by /usr/bin/python3) as a peer:
 * it writes sessions our code must read, and reads the sessions we write.
 * `npm test` installs the package; see scripts/test/system-packages.ts.
 */
export const DJANGO_PYTHON = "/usr/bin/python3";
const PEER = path.join(import.meta.dirname, "..", "django", "peer.py");

export interface DjangoRequest {
  engine: "db" | "file" | "signed_cookies";
  secret_key: string;
  database?: string;
  file_path?: string;
  cookie_name?: string;
  op: "write" | "read";
  data?: Record<string, unknown>;
  expiry?: number | null;
  key?: string;
}

export function django<T = { key: string | null; data?: Record<string, unknown> }>(
  request: DjangoRequest,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(DJANGO_PYTHON, [PEER], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`Django peer failed (exit ${code}):\n${err}`));
      resolve(JSON.parse(out) as T);
    });
    child.stdin.end(JSON.stringify(request));
  });
}
